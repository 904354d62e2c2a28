#include "platform/windows_wake_source.h"

#include <windows.h>

#include <algorithm>
#include <limits>

#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

std::string OsError(const std::string& what, DWORD error = GetLastError()) {
  return what + ": Windows error " + std::to_string(error);
}

// The process-wide requests, each taken by the wait that reports it (auto
// reset), as a signal is by the signalfd read on Linux.
HANDLE StopEvent() {
  static HANDLE event = CreateEventW(nullptr, FALSE, FALSE, nullptr);
  return event;
}

HANDLE ReloadEvent() {
  static HANDLE event = CreateEventW(nullptr, FALSE, FALSE, nullptr);
  return event;
}

BOOL WINAPI OnConsoleControl(DWORD control) {
  switch (control) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      WindowsWakeSource::RequestStop();
      return TRUE;
    default:
      return FALSE;
  }
}

}  // namespace

// One folder watched with ReadDirectoryChangesW, always with a read pending
// on its event while the watch is open.
struct WindowsWakeSource::Watch {
  HANDLE dir = INVALID_HANDLE_VALUE;
  HANDLE event = nullptr;
  OVERLAPPED overlapped{};
  alignas(DWORD) char buffer[32 * 1024];

  ~Watch() {
    if (dir != INVALID_HANDLE_VALUE) {
      CancelIoEx(dir, &overlapped);
      DWORD ignored = 0;
      GetOverlappedResult(dir, &overlapped, &ignored, TRUE);  // the buffer is ours again
      CloseHandle(dir);
    }
    if (event != nullptr) CloseHandle(event);
  }

  DWORD changes = 0;

  // False with the reason in `why` when the folder's changes cannot be watched.
  bool Open(const std::filesystem::path& folder, DWORD what, std::string& why) {
    changes = what;
    dir = CreateFileW(folder.c_str(), FILE_LIST_DIRECTORY,
                      FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                      OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, nullptr);
    if (dir == INVALID_HANDLE_VALUE) {
      throw Error::Io(OsError("cannot open the folder " + folder.string()));
    }
    event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    if (event == nullptr) throw Error::Io(OsError("CreateEvent"));
    if (!Start()) {
      why = OsError("ReadDirectoryChangesW on " + folder.string());
      return false;
    }
    return true;
  }

  bool Start() {
    ResetEvent(event);
    overlapped = OVERLAPPED{};
    overlapped.hEvent = event;
    return ReadDirectoryChangesW(dir, buffer, sizeof buffer, FALSE, changes, nullptr, &overlapped,
                                 nullptr) != 0;
  }

  // The names added, written or renamed in since the last call; nullopt when
  // the buffer overflowed and events were lost (look at every file instead).
  std::optional<std::vector<std::string>> Take() {
    DWORD bytes = 0;
    if (!GetOverlappedResult(dir, &overlapped, &bytes, FALSE)) {
      DWORD error = GetLastError();
      if (error == ERROR_IO_INCOMPLETE) return std::vector<std::string>{};
      if (error != ERROR_NOTIFY_ENUM_DIR) throw Error::Io(OsError("ReadDirectoryChangesW", error));
      bytes = 0;
    }
    std::optional<std::vector<std::string>> names;
    if (bytes > 0) {
      names.emplace();
      for (const char* p = buffer;;) {
        const auto* info = reinterpret_cast<const FILE_NOTIFY_INFORMATION*>(p);
        if (info->Action == FILE_ACTION_ADDED || info->Action == FILE_ACTION_MODIFIED ||
            info->Action == FILE_ACTION_RENAMED_NEW_NAME) {
          std::wstring name(info->FileName, info->FileNameLength / sizeof(wchar_t));
          try {
            names->push_back(std::filesystem::path(name).string());
          } catch (const std::exception&) {
            names.reset();  // a name the narrow encoding cannot hold: look at them all
            break;
          }
        }
        if (info->NextEntryOffset == 0) break;
        p += info->NextEntryOffset;
      }
    }
    if (!Start()) throw Error::Io(OsError("ReadDirectoryChangesW"));
    return names;
  }
};

WindowsWakeSource::WindowsWakeSource(const std::filesystem::path& drop_folder,
                                     const std::filesystem::path& data_dir, const Clock& clock)
    : clock_(clock), drop_folder_(drop_folder), marker_(data_dir / kChangedMarker) {
  if (StopEvent() == nullptr || ReloadEvent() == nullptr) throw Error::Io(OsError("CreateEvent"));
  SetConsoleCtrlHandler(OnConsoleControl, TRUE);
  // A synchronisation timer: reset by the wait it ends, so a timer that fired
  // while another event woke the wait cannot end every later one at once.
  timer_ = CreateWaitableTimerW(nullptr, FALSE, nullptr);
  if (timer_ == nullptr) throw Error::Io(OsError("CreateWaitableTimer"));
  if (!std::filesystem::is_directory(drop_folder)) {
    throw Error::Io("cannot look at the drop folder " + drop_folder.string() + ": not a directory");
  }
  std::string why;
  auto drop = std::make_unique<Watch>();
  auto data = std::make_unique<Watch>();
  // The drop folder: files added, written or renamed in. The data directory:
  // names only (the changed-marker arrives by a rename), not the store's writes.
  constexpr DWORD kDropChanges =
      FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_LAST_WRITE | FILE_NOTIFY_CHANGE_SIZE;
  if (drop->Open(drop_folder, kDropChanges, why) &&
      data->Open(data_dir, FILE_NOTIFY_CHANGE_FILE_NAME, why)) {
    drop_watch_ = std::move(drop);
    data_watch_ = std::move(data);
    return;
  }
  look_.emplace(marker_, why);
}

WindowsWakeSource::~WindowsWakeSource() {
  SetConsoleCtrlHandler(OnConsoleControl, FALSE);
  if (timer_ != nullptr) CloseHandle(timer_);
}

void WindowsWakeSource::RequestStop() { SetEvent(StopEvent()); }

void WindowsWakeSource::RequestReload() { SetEvent(ReloadEvent()); }

Wake WindowsWakeSource::WaitUntil(std::int64_t deadline_ms) {
  Wake wake;
  const bool looking = drop_watch_ == nullptr;
  std::int64_t wait = std::max<std::int64_t>(0, deadline_ms - clock_.NowMillis());
  if (looking) wait = std::min(wait, MarkerLook::kEveryMs);
  // Relative due time in 100 ns units, negative; "never" is left unarmed.
  constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max() / 10'000;
  if (wait < kForever) {
    LARGE_INTEGER due;
    due.QuadPart = -wait * 10'000;
    if (!SetWaitableTimer(timer_, &due, 0, nullptr, nullptr, FALSE)) {
      throw Error::Io(OsError("SetWaitableTimer"));
    }
  } else {
    CancelWaitableTimer(timer_);
  }
  HANDLE waits[5] = {StopEvent(), ReloadEvent(), timer_, nullptr, nullptr};
  if (!looking) {
    waits[3] = drop_watch_->event;
    waits[4] = data_watch_->event;
  }
  DWORD woken = WaitForMultipleObjects(looking ? 3 : 5, waits, FALSE, INFINITE);
  if (woken == WAIT_FAILED) throw Error::Io(OsError("WaitForMultipleObjects"));
  CancelWaitableTimer(timer_);
  // The event that ended the wait was taken by it; the other request, if
  // also made meanwhile, is taken here, so none waits for the next call.
  wake.stop = woken == WAIT_OBJECT_0 || WaitForSingleObject(StopEvent(), 0) == WAIT_OBJECT_0;
  wake.reload =
      woken == WAIT_OBJECT_0 + 1 || WaitForSingleObject(ReloadEvent(), 0) == WAIT_OBJECT_0;
  if (looking) {
    look_->Look(wake);
    return wake;
  }
  if (auto names = drop_watch_->Take()) {
    for (std::string& name : *names) wake.files.push_back(std::move(name));
  } else {
    wake.rescan = true;
  }
  if (auto names = data_watch_->Take()) {
    wake.local_change = std::find(names->begin(), names->end(), kChangedMarker) != names->end();
  } else {
    wake.local_change = true;  // events lost: perhaps the marker's among them
  }
  return wake;
}

}  // namespace tributary::agent
