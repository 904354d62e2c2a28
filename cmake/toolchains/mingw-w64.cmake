# Cross-compiling for 64-bit Windows with Debian's mingw-w64 (the POSIX
# threads variant, which std::thread and std::mutex need): cmake --preset windows.
# The libraries come from scripts/windows-deps.sh, built from Debian's source
# packages once per machine; this file runs it (it returns at once when they
# are built) and searches its prefix.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

if(NOT TRIBUTARY_WINDOWS_DEPS_PREFIX)
  execute_process(
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/../../scripts/windows-deps.sh
    OUTPUT_VARIABLE prefix
    RESULT_VARIABLE status
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT status EQUAL 0 OR NOT EXISTS "${prefix}/.complete")
    message(FATAL_ERROR "scripts/windows-deps.sh failed (status ${status}): the Windows libraries "
                        "are not built")
  endif()
  set(TRIBUTARY_WINDOWS_DEPS_PREFIX "${prefix}" CACHE PATH
      "The Windows libraries (scripts/windows-deps.sh)")
endif()
# Checks CMake compiles on the way see the same prefix.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES TRIBUTARY_WINDOWS_DEPS_PREFIX)

set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32 "${TRIBUTARY_WINDOWS_DEPS_PREFIX}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The tests run under Debian's wine (package wine64).
set(CMAKE_CROSSCOMPILING_EMULATOR wine)
