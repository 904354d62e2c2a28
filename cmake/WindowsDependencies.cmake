# The Windows agent's libraries, as the same targets the Linux build finds
# (CMakeLists.txt), from the prefix scripts/windows-deps.sh built: static
# OpenSSL, libcurl, zstd and libsodium; Boost.JSON compiled once in header-only
# mode; toml++ and Catch2 headers. tributary-agent.exe links them all in and
# needs no DLL but Windows' own.
set(prefix "${TRIBUTARY_WINDOWS_DEPS_PREFIX}")

set(OPENSSL_USE_STATIC_LIBS TRUE)
set(OPENSSL_ROOT_DIR "${prefix}")
find_package(OpenSSL 3 REQUIRED)
find_package(CURL CONFIG REQUIRED)
find_package(zstd CONFIG REQUIRED)
find_package(Threads REQUIRED)

# The code links zstd::libzstd_shared (Debian's); here it is the static library.
add_library(zstd::libzstd_shared INTERFACE IMPORTED)
target_link_libraries(zstd::libzstd_shared INTERFACE zstd::libzstd_static)

add_library(tributary_boost_json STATIC third_party/boost_json/boost_json.cc)
target_include_directories(tributary_boost_json SYSTEM PUBLIC "${prefix}/include")
add_library(Boost::json INTERFACE IMPORTED)
target_link_libraries(Boost::json INTERFACE tributary_boost_json)
add_library(Boost::headers INTERFACE IMPORTED)
target_include_directories(Boost::headers SYSTEM INTERFACE "${prefix}/include")

add_library(tomlplusplus::tomlplusplus INTERFACE IMPORTED)
target_include_directories(tomlplusplus::tomlplusplus SYSTEM INTERFACE "${prefix}/include")

add_library(PkgConfig::SODIUM STATIC IMPORTED)
set_target_properties(PkgConfig::SODIUM PROPERTIES
  IMPORTED_LOCATION "${prefix}/lib/libsodium.a"
  INTERFACE_INCLUDE_DIRECTORIES "${prefix}/include"
  INTERFACE_COMPILE_DEFINITIONS SODIUM_STATIC)

# One executable, no DLLs: the C and C++ runtimes and winpthreads linked in.
add_link_options(-static -static-libgcc -static-libstdc++)
# Windows 10 and Server 2016 or later.
add_compile_definitions(_WIN32_WINNT=0x0A00 WINVER=0x0A00 WIN32_LEAN_AND_MEAN NOMINMAX UNICODE
                        _UNICODE)
