// The web pages' static files — the NHS.UK frontend's compiled stylesheet,
// script, icons and logos, and Tributary's own small stylesheet and script —
// read once from a directory at start and served from memory under /assets/.
//
// The directory is built from the pinned nhsuk-frontend package at build time
// (web/CMakeLists.txt) and installed by the server package in
// /usr/share/tributary-server/web; `web_assets_dir` in server.toml names
// another. Nothing is fetched from another site at run time.
//
// Immutable after Load: thread-safe to read.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace tributary::server::web {

struct Asset {
  std::string content_type;
  std::string body;
  std::string etag;  // "\"<sha256 prefix>\"": the body's digest
};

class WebAssets {
 public:
  // No files: every /assets/ path is a 404 (tests of the pages' HTML).
  WebAssets() = default;

  // Every regular file under `dir`, by its path relative to it with '/'.
  // Throws Error(kNotFound) naming `dir` when it does not exist or holds no
  // stylesheet (the build did not make it); Error(kIo) when a file cannot
  // be read. A file of a type it cannot name is refused too (kInvalidInput),
  // so nothing is served as the wrong type.
  static WebAssets Load(const std::filesystem::path& dir);

  // The file at `relative` ("css/tributary.css"), or nullptr.
  const Asset* Find(std::string_view relative) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, Asset, std::less<>> files_;
};

}  // namespace tributary::server::web
