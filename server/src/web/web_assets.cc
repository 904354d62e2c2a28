#include "web/web_assets.h"

#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::server::web {
namespace {

// The content type of each kind of file the pages use.
const char* ContentTypeOf(const std::filesystem::path& file) {
  static const std::map<std::string, const char*> kTypes = {
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"}};
  auto it = kTypes.find(file.extension().string());
  return it == kTypes.end() ? nullptr : it->second;
}

}  // namespace

WebAssets WebAssets::Load(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw Error::NotFound("web assets directory " + dir.string() +
                          " does not exist (set web_assets_dir in server.toml, or build the "
                          "server: it makes them from nhsuk-frontend)");
  }
  WebAssets assets;
  bool has_stylesheet = false;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const char* type = ContentTypeOf(entry.path());
    std::string relative = entry.path().lexically_relative(dir).generic_string();
    if (type == nullptr) {
      throw Error::InvalidInput("web asset " + entry.path().string() +
                                ": unknown type of file; remove it or name its type");
    }
    Asset asset;
    asset.content_type = type;
    asset.body = files::Read(entry.path());
    asset.etag = "\"" + digest::Sha256Hex(asset.body).substr(0, 32) + "\"";
    has_stylesheet |= entry.path().extension() == ".css";
    assets.files_.emplace(std::move(relative), std::move(asset));
  }
  if (!has_stylesheet) {
    throw Error::NotFound("web assets directory " + dir.string() +
                          " holds no stylesheet: the build did not make the assets");
  }
  return assets;
}

const Asset* WebAssets::Find(std::string_view relative) const {
  auto it = files_.find(relative);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace tributary::server::web
