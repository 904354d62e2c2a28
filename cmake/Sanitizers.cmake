# TRIBUTARY_SANITIZE selects a sanitizer build for the whole tree:
#   address  -> AddressSanitizer + UndefinedBehaviorSanitizer (no recovery)
#   thread   -> ThreadSanitizer
set(TRIBUTARY_SANITIZE "" CACHE STRING "Sanitizer build: '', 'address' or 'thread'")
if(TRIBUTARY_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(TRIBUTARY_SANITIZE STREQUAL "thread")
  # Boost.Asio's std_fenced_block uses atomic_thread_fence, which GCC warns
  # TSan cannot model; the warning is about the tool, not our code.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
elseif(NOT TRIBUTARY_SANITIZE STREQUAL "")
  message(FATAL_ERROR "TRIBUTARY_SANITIZE must be '', 'address' or 'thread'")
endif()
