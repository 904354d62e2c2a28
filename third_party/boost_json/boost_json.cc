// Boost.JSON's implementation, compiled once, for builds without Debian's
// libboost-json (the Windows agent: cmake/WindowsDependencies.cmake).
#include <boost/json/src.hpp>
