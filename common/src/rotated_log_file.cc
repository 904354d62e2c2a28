#include "rotated_log_file.h"

#include <string>

#include "tributary/common/error.h"

namespace tributary::log {
namespace fs = std::filesystem;

RotatedLogFile::RotatedLogFile(fs::path path, std::uintmax_t max_bytes, int keep)
    : path_(std::move(path)),
      max_bytes_(max_bytes),
      rotate_at_(max_bytes),
      keep_(keep < 1 ? 1 : keep) {
  std::error_code ec;
  fs::create_directories(path_.parent_path(), ec);
  if (ec) throw Error::Io("cannot create " + path_.parent_path().string() + ": " + ec.message());
  if (!Open()) throw Error::Io("cannot open the log file " + path_.string());
}

RotatedLogFile::~RotatedLogFile() = default;

bool RotatedLogFile::Open() {
  // std::ofstream takes the path in the platform's own encoding (UTF-16 on Windows).
  file_.clear();
  file_.open(path_, std::ios::binary | std::ios::app);
  if (!file_) return false;
  std::error_code ec;
  size_ = fs::file_size(path_, ec);
  if (ec) size_ = 0;
  return true;
}

// The current file is moved aside first: if it cannot be (on Windows, a
// reader that does not share deletion holds it), nothing older is touched,
// the log goes on in it, and rotation is tried again a tenth of the limit on.
void RotatedLogFile::Rotate() {
  file_.close();
  auto numbered = [this](int n) { return fs::path(path_.string() + "." + std::to_string(n)); };
  fs::path aside = path_.string() + ".rotating";
  std::error_code ec;
  fs::rename(path_, aside, ec);
  if (ec) {
    Open();
    rotate_at_ = size_ + max_bytes_ / 10;
    return;
  }
  fs::remove(numbered(keep_), ec);
  for (int n = keep_ - 1; n >= 1; --n) {
    if (fs::exists(numbered(n), ec)) fs::rename(numbered(n), numbered(n + 1), ec);
  }
  fs::rename(aside, numbered(1), ec);
  Open();
  rotate_at_ = max_bytes_;
}

void RotatedLogFile::Append(std::string_view line) {
  if (file_.is_open() && size_ > 0 && size_ + line.size() > rotate_at_) Rotate();
  if (!file_.is_open() && !Open()) {
    ++lost_;
    return;
  }
  if (lost_ > 0) {
    std::string note = "{\"level\":\"warning\",\"event\":\"log_lines_lost\",\"detail\":\"count=" +
                       std::to_string(lost_) + "\"}\n";
    if (file_.write(note.data(), static_cast<std::streamsize>(note.size()))) {
      size_ += note.size();
      lost_ = 0;
    }
  }
  if (!file_.write(line.data(), static_cast<std::streamsize>(line.size())) || !file_.flush()) {
    ++lost_;
    file_.close();
    file_.clear();  // opened again for the next line
    return;
  }
  size_ += line.size();
}

}  // namespace tributary::log
