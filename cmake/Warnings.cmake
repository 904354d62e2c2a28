option(TRIBUTARY_WERROR "Treat warnings as errors" ON)

# Every target links tributary_warnings: warnings are errors everywhere, but
# in the `dev` preset (TRIBUTARY_WERROR=OFF), for work in progress.
# -Wnull-dereference is left out: with -O2, GCC 12 reports it inside inlined
# Boost.Asio code, where it cannot be fixed.
add_library(tributary_warnings INTERFACE)
target_compile_options(tributary_warnings INTERFACE
  -Wall -Wextra -Wpedantic $<$<BOOL:${TRIBUTARY_WERROR}>:-Werror>
  -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
  -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
