# TRIBUTARY_SANITIZE selects a sanitizer build for the whole tree:
#   address  -> AddressSanitizer + UndefinedBehaviorSanitizer (no recovery)
#   thread   -> ThreadSanitizer
#   fuzzer   -> libFuzzer instrumentation + ASan + UBSan (clang only; tests/fuzz)
set(TRIBUTARY_SANITIZE "" CACHE STRING "Sanitizer build: '', 'address', 'thread' or 'fuzzer'")
if(TRIBUTARY_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(TRIBUTARY_SANITIZE STREQUAL "thread")
  # Boost.Asio's std_fenced_block uses atomic_thread_fence, which GCC warns
  # TSan cannot model; the warning is about the tool, not our code.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
elseif(TRIBUTARY_SANITIZE STREQUAL "fuzzer")
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TRIBUTARY_SANITIZE=fuzzer needs clang (cmake --preset fuzz)")
  endif()
  # Every library is instrumented for coverage; only the fuzz targets link
  # libFuzzer's main (tests/fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(NOT TRIBUTARY_SANITIZE STREQUAL "")
  message(FATAL_ERROR "TRIBUTARY_SANITIZE must be '', 'address', 'thread' or 'fuzzer'")
endif()
