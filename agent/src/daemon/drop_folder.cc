#include "daemon/drop_folder.h"

#include <algorithm>
#include <ctime>
#include <system_error>

#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/platform_file.h"

namespace tributary::agent {
namespace fs = std::filesystem;
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "20261125T153000Z", so moved files sort by when they were handled.
std::string Stamp(std::int64_t now_ms) { return FormatUtc(now_ms, UtcFormat::kStamp); }

}  // namespace

DropFolder::DropFolder(fs::path dir, std::chrono::milliseconds settle)
    : dir_(std::move(dir)), settle_(settle) {}

void DropFolder::CreateLayout() {
  std::error_code ec;
  for (const fs::path& p : {dir_, dir_ / "processed", dir_ / "rejected"}) {
    fs::create_directories(p, ec);
    if (ec) throw Error::Io("cannot create " + p.string() + ": " + ec.message());
    // The daemon moves files into these: one that is a link (or a junction)
    // would send them wherever it points.
    if (p != dir_ && platform::KindOf(p) != platform::PathKind::kDirectory) {
      throw Error::Forbidden(p.string() +
                             " is not a folder of its own (a link or junction?): remove it, "
                             "and the agent makes it again");
    }
  }
}

bool DropFolder::IsCandidateName(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.front() == '~') return false;
  for (const char* temporary : {".tmp", ".part", ".crdownload", "~", "#", ".errors.txt"}) {
    if (EndsWith(name, temporary)) return false;
  }
  return true;
}

std::optional<DropFolder::Seen> DropFolder::Observe(const std::string& name) const {
  std::error_code ec;
  std::filesystem::path file = dir_ / name;
  std::filesystem::file_status status = std::filesystem::symlink_status(file, ec);
  if (ec || !std::filesystem::exists(status) || std::filesystem::is_directory(status)) {
    return std::nullopt;
  }
  Seen seen;
  if (std::filesystem::is_regular_file(status)) {
    seen.size = std::filesystem::file_size(file, ec);
    if (ec) return std::nullopt;
  }
  auto modified = std::filesystem::last_write_time(file, ec);
  if (ec) return std::nullopt;
  seen.modified_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(modified.time_since_epoch()).count();
  return seen;
}

void DropFolder::OnFileEvent(const std::string& name, std::int64_t now_ms) {
  if (!IsCandidateName(name)) return;
  std::optional<Seen> seen = Observe(name);
  if (!seen) {
    waiting_.erase(name);  // moved away or deleted meanwhile, or a folder
    return;
  }
  seen->due_ms = now_ms + settle_.count();
  // A file seen again unchanged (a rescan) keeps settling from when it was
  // first seen; only a change starts the wait again.
  if (auto known = waiting_.find(name); known != waiting_.end() && known->second == *seen) {
    return;
  }
  waiting_[name] = *seen;
}

void DropFolder::ScanExisting(std::int64_t now_ms) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir_, ec)) {
    OnFileEvent(entry.path().filename().string(), now_ms);
  }
  if (ec) throw Error::Io("cannot read the drop folder " + dir_.string() + ": " + ec.message());
}

std::optional<std::int64_t> DropFolder::NextDueMs() const {
  std::optional<std::int64_t> next;
  for (const auto& [name, seen] : waiting_) {
    if (!next || seen.due_ms < *next) next = seen.due_ms;
  }
  return next;
}

std::vector<fs::path> DropFolder::TakeDue(std::int64_t now_ms) {
  std::vector<std::pair<std::int64_t, std::string>> due;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    Seen& seen = it->second;
    if (seen.due_ms > now_ms) {
      ++it;
      continue;
    }
    std::optional<Seen> now_seen = Observe(it->first);
    if (!now_seen) {
      it = waiting_.erase(it);
      continue;
    }
    if (!(*now_seen == seen)) {
      // Still being written: wait for it to settle again.
      seen = *now_seen;
      seen.due_ms = now_ms + settle_.count();
      ++it;
      continue;
    }
    due.emplace_back(seen.due_ms, it->first);
    it = waiting_.erase(it);
  }
  std::sort(due.begin(), due.end());
  std::vector<fs::path> out;
  for (const auto& [at, name] : due) out.push_back(dir_ / name);
  return out;
}

fs::path DropFolder::Destination(const fs::path& folder, const fs::path& file,
                                 std::int64_t now_ms) {
  // The file's own name; a file of that name handled before keeps its place
  // and this one is prefixed with when it was handled.
  fs::path target = folder / file.filename();
  std::error_code ec;
  if (!fs::exists(target, ec)) return target;
  std::string base = Stamp(now_ms) + "-" + file.filename().string();
  target = folder / base;
  for (int n = 1; fs::exists(target, ec); ++n) target = folder / (base + "." + std::to_string(n));
  return target;
}

namespace {

// The reasons beside the drop folder's file `file` (drop/NAME.errors.txt).
fs::path ReasonsBeside(const fs::path& dir, const fs::path& file) {
  return dir / (file.filename().string() + ".errors.txt");
}

void RemoveReasonsBeside(const fs::path& dir, const fs::path& file) {
  std::error_code ec;
  fs::remove(ReasonsBeside(dir, file), ec);
}

}  // namespace

fs::path DropFolder::MoveToProcessed(const fs::path& file, std::int64_t now_ms) {
  RemoveReasonsBeside(dir_, file);
  fs::path target = Destination(dir_ / "processed", file, now_ms);
  std::error_code ec;
  fs::rename(file, target, ec);
  if (ec)
    throw Error::Io("cannot move " + file.string() + " to " + target.string() + ": " +
                    ec.message());
  return target;
}

fs::path DropFolder::RemoveImported(const fs::path& file, const std::string& summary,
                                    std::int64_t now_ms) {
  RemoveReasonsBeside(dir_, file);
  fs::path note = Destination(dir_ / "processed", file.string() + ".imported.txt", now_ms);
  files::WriteAtomic(note, summary + "\n");
  std::error_code ec;
  fs::remove(file, ec);
  if (ec) throw Error::Io("cannot remove " + file.string() + ": " + ec.message());
  return note;
}

fs::path DropFolder::MoveToRejected(const fs::path& file, const std::vector<std::string>& problems,
                                    std::int64_t now_ms) {
  fs::path target = Destination(dir_ / "rejected", file, now_ms);
  std::string text;
  for (const std::string& p : problems) text += p + "\n";
  // The errors first: a file in rejected/ always has its reasons beside it,
  // and whoever saved it can read them where they saved it.
  files::WriteAtomic(target.string() + ".errors.txt", text);
  fs::path beside = ReasonsBeside(dir_, file);
  files::WriteAtomic(beside, file.filename().string() + " was not imported; it is in " +
                                 target.string() + ". Correct it and save it here again.\n" + text);
  platform::LetDropFolderUsersRead(beside);
  std::error_code ec;
  fs::rename(file, target, ec);
  if (ec)
    throw Error::Io("cannot move " + file.string() + " to " + target.string() + ": " +
                    ec.message());
  return target;
}

void DropFolder::Retry(const fs::path& file, std::int64_t now_ms, std::chrono::milliseconds delay) {
  std::string name = file.filename().string();
  OnFileEvent(name, now_ms);
  auto it = waiting_.find(name);
  if (it != waiting_.end()) {
    it->second.due_ms = now_ms + delay.count();
    it->second.retrying = true;
  }
}

void DropFolder::RetryWaitingNow(std::int64_t now_ms) {
  for (auto& [name, seen] : waiting_) {
    if (seen.retrying) seen.due_ms = std::min(seen.due_ms, now_ms);
  }
}

}  // namespace tributary::agent
