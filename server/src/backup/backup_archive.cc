#include "backup/backup_archive.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "tributary/common/error.h"
#include "tributary/common/platform_file.h"

namespace tributary::server {

namespace {

constexpr std::string_view kMagic = "TRIBUTARY-BACKUP";
constexpr std::uint32_t kFormat = 1;
constexpr std::size_t kFramePlaintext = 64 * 1024;
constexpr std::size_t kFrameCiphertextMax =
    kFramePlaintext + crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t kHeaderSize =
    16 + 4 + 8 + 8 + crypto_pwhash_SALTBYTES + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
// A header asking for more than this is not one Tributary wrote: refusing
// it keeps a crafted file from taking the machine's memory.
constexpr std::uint64_t kMaxOpsLimit = 16;
constexpr std::uint64_t kMaxMemLimit = 4ULL << 30;

void PutLittleEndian(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::uint64_t GetLittleEndian(const unsigned char* in, int bytes) {
  std::uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | in[i];
  return value;
}

void StartSodium() {
  if (sodium_init() < 0) throw Error::Crypto("libsodium cannot start");
}

// The key, wiped when it goes.
struct Key {
  std::array<unsigned char, crypto_secretstream_xchacha20poly1305_KEYBYTES> bytes{};
  ~Key() { sodium_memzero(bytes.data(), bytes.size()); }
};

void DeriveKey(Key& key, std::string_view passphrase, const unsigned char* salt, std::uint64_t ops,
               std::uint64_t mem) {
  if (crypto_pwhash(key.bytes.data(), key.bytes.size(), passphrase.data(), passphrase.size(), salt,
                    ops, static_cast<std::size_t>(mem), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error::Crypto("cannot derive the backup key (out of memory?)");
  }
}

}  // namespace

// The frames of one backup file, in one direction.
class SealedFile {
 public:
  SealedFile(UniqueFd fd, std::filesystem::path path)
      : fd_(std::move(fd)), path_(std::move(path)) {}

  void StartWriting(std::string_view passphrase) {
    std::array<unsigned char, crypto_pwhash_SALTBYTES> salt{};
    randombytes_buf(salt.data(), salt.size());
    std::uint64_t ops = crypto_pwhash_OPSLIMIT_MODERATE;
    std::uint64_t mem = crypto_pwhash_MEMLIMIT_MODERATE;
    Key key;
    DeriveKey(key, passphrase, salt.data(), ops, mem);
    std::array<unsigned char, crypto_secretstream_xchacha20poly1305_HEADERBYTES> stream{};
    crypto_secretstream_xchacha20poly1305_init_push(&state_, stream.data(), key.bytes.data());
    header_.assign(kMagic);
    PutLittleEndian(header_, kFormat, 4);
    PutLittleEndian(header_, ops, 8);
    PutLittleEndian(header_, mem, 8);
    header_.append(reinterpret_cast<const char*>(salt.data()), salt.size());
    header_.append(reinterpret_cast<const char*>(stream.data()), stream.size());
    WriteAll(header_);
  }

  void StartReading(std::string_view passphrase) {
    std::string header(kHeaderSize, '\0');
    if (ReadUpTo(header.data(), header.size()) != header.size() ||
        header.compare(0, kMagic.size(), kMagic) != 0) {
      throw Error::InvalidInput(path_.string() + " is not a Tributary backup");
    }
    const auto* h = reinterpret_cast<const unsigned char*>(header.data()) + kMagic.size();
    std::uint64_t format = GetLittleEndian(h, 4);
    std::uint64_t ops = GetLittleEndian(h + 4, 8);
    std::uint64_t mem = GetLittleEndian(h + 12, 8);
    if (format != kFormat) {
      throw Error::InvalidInput(path_.string() + " is a backup of format " +
                                std::to_string(format) + "; this tributary-server reads format " +
                                std::to_string(kFormat) + " (use the version that made it)");
    }
    if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > kMaxOpsLimit ||
        mem < crypto_pwhash_MEMLIMIT_MIN || mem > kMaxMemLimit) {
      throw Error::InvalidInput(path_.string() + ": the header is damaged (key cost out of range)");
    }
    Key key;
    DeriveKey(key, passphrase, h + 20, ops, mem);
    if (crypto_secretstream_xchacha20poly1305_init_pull(&state_, h + 20 + crypto_pwhash_SALTBYTES,
                                                        key.bytes.data()) != 0) {
      throw Error::InvalidInput(path_.string() + ": the header is damaged");
    }
    header_ = std::move(header);
  }

  void Write(std::string_view bytes) {
    plain_.append(bytes);
    while (plain_.size() > kFramePlaintext) {
      Seal(std::string_view(plain_).substr(0, kFramePlaintext),
           crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
      plain_.erase(0, kFramePlaintext);
    }
  }

  void Close() {
    Seal(plain_, crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    plain_.clear();
    if (::fsync(fd_.get()) != 0) Fail("cannot sync");
    fd_.Reset();
  }

  // Exactly `size` bytes of plaintext, or kInvalidInput if the file ends first.
  void Read(char* out, std::size_t size) {
    while (size > 0) {
      if (offset_ == plain_.size()) Open();
      std::size_t n = std::min(size, plain_.size() - offset_);
      std::memcpy(out, plain_.data() + offset_, n);
      offset_ += n;
      out += n;
      size -= n;
    }
  }

  // After the closing entry: the last frame was final and nothing follows.
  void ExpectEnd() {
    char extra = 0;
    if (!final_seen_ || offset_ != plain_.size() || ReadUpTo(&extra, 1) != 0) {
      throw Error::InvalidInput(path_.string() + " is damaged: data after the end of the backup");
    }
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  [[noreturn]] void Fail(const std::string& what) const {
    throw Error::Io(what + " " + path_.string() + ": " + std::strerror(errno));
  }

  void WriteAll(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) Fail("cannot write");
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  std::size_t ReadUpTo(char* out, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
      ssize_t n = ::read(fd_.get(), out + done, size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) Fail("cannot read");
      if (n == 0) break;
      done += static_cast<std::size_t>(n);
    }
    return done;
  }

  void Seal(std::string_view plain, unsigned char tag) {
    std::string frame(4 + plain.size() + crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
    unsigned long long sealed = 0;
    const bool first = frames_ == 0;
    crypto_secretstream_xchacha20poly1305_push(
        &state_, reinterpret_cast<unsigned char*>(frame.data()) + 4, &sealed,
        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
        first ? reinterpret_cast<const unsigned char*>(header_.data()) : nullptr,
        first ? header_.size() : 0, tag);
    std::string length;
    PutLittleEndian(length, sealed, 4);
    frame.replace(0, 4, length);
    WriteAll(frame);
    ++frames_;
  }

  void Open() {
    if (final_seen_) {
      throw Error::InvalidInput(path_.string() + " is damaged: an entry runs past the end");
    }
    unsigned char length[4];
    std::size_t got = ReadUpTo(reinterpret_cast<char*>(length), 4);
    if (got == 0) {
      throw Error::InvalidInput(path_.string() +
                                " is cut short: it ends before the backup does (copied "
                                "while being written, or truncated)");
    }
    std::uint64_t size = got == 4 ? GetLittleEndian(length, 4) : 0;
    if (got != 4 || size < crypto_secretstream_xchacha20poly1305_ABYTES ||
        size > kFrameCiphertextMax) {
      throw Error::InvalidInput(path_.string() + " is damaged at frame " +
                                std::to_string(frames_ + 1));
    }
    std::string sealed(size, '\0');
    if (ReadUpTo(sealed.data(), sealed.size()) != sealed.size()) {
      throw Error::InvalidInput(path_.string() + " is cut short in frame " +
                                std::to_string(frames_ + 1));
    }
    plain_.assign(size - crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
    unsigned long long opened = 0;
    unsigned char tag = 0;
    const bool first = frames_ == 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &state_, reinterpret_cast<unsigned char*>(plain_.data()), &opened, &tag,
            reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
            first ? reinterpret_cast<const unsigned char*>(header_.data()) : nullptr,
            first ? header_.size() : 0) != 0) {
      throw Error::InvalidInput(
          first ? "cannot open " + path_.string() + ": wrong passphrase, or the file is damaged"
                : path_.string() + " is damaged at frame " + std::to_string(frames_ + 1));
    }
    plain_.resize(opened);
    offset_ = 0;
    ++frames_;
    final_seen_ = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  }

  UniqueFd fd_;
  std::filesystem::path path_;
  crypto_secretstream_xchacha20poly1305_state state_{};
  std::string header_;
  std::string plain_;
  std::size_t offset_ = 0;
  std::uint64_t frames_ = 0;
  bool final_seen_ = false;
};

namespace {

void CheckPassphrase(std::string_view passphrase) {
  if (passphrase.size() < kMinimumPassphraseLength) {
    throw Error::InvalidArgument("the backup passphrase must have at least " +
                                 std::to_string(kMinimumPassphraseLength) + " characters");
  }
}

std::string EntryHeader(const std::string& name, std::uint64_t size) {
  std::string header;
  PutLittleEndian(header, name.size(), 2);
  header += name;
  PutLittleEndian(header, size, 8);
  return header;
}

}  // namespace

BackupWriter::BackupWriter(const std::filesystem::path& path, std::string_view passphrase)
    : path_(path), partial_(path.string() + ".partial") {
  CheckPassphrase(passphrase);
  StartSodium();
  UniqueFd fd(::open(partial_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    throw Error::Io("cannot create " + partial_.string() + ": " + std::strerror(errno));
  }
  sealed_ = std::make_unique<SealedFile>(std::move(fd), partial_);
  sealed_->StartWriting(passphrase);
}

BackupWriter::~BackupWriter() {
  if (!finished_) {
    sealed_.reset();
    std::error_code ec;
    std::filesystem::remove(partial_, ec);
  }
}

void BackupWriter::Add(const std::string& name, std::string_view content) {
  if (name.empty() || name.size() > 0xffff) throw Error::Internal("backup entry name: " + name);
  sealed_->Write(EntryHeader(name, content.size()));
  sealed_->Write(content);
}

void BackupWriter::AddFile(const std::string& name, const std::filesystem::path& file) {
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd.valid() || ::fstat(fd.get(), &st) != 0) {
    throw Error::Io("cannot read " + file.string() + ": " + std::strerror(errno));
  }
  auto size = static_cast<std::uint64_t>(st.st_size);
  sealed_->Write(EntryHeader(name, size));
  std::string buffer(kFramePlaintext, '\0');
  std::uint64_t left = size;
  while (left > 0) {
    ssize_t n = ::read(fd.get(), buffer.data(), std::min<std::uint64_t>(left, buffer.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw Error::Io("cannot read " + file.string() + ": " +
                      (n == 0 ? std::string("it shrank while being read") : std::strerror(errno)));
    }
    sealed_->Write(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    left -= static_cast<std::uint64_t>(n);
  }
}

void BackupWriter::Finish() {
  sealed_->Write(std::string(2, '\0'));  // the closing entry: an empty name
  sealed_->Close();
  platform::RenameOver(partial_, path_);
  UniqueFd dir(::open(path_.parent_path().empty() ? "." : path_.parent_path().c_str(),
                      O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.valid()) ::fsync(dir.get());
  finished_ = true;
}

BackupReader::BackupReader(const std::filesystem::path& path, std::string_view passphrase)
    : path_(path) {
  StartSodium();
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw Error::Io("cannot read " + path.string() + ": " + std::strerror(errno));
  sealed_ = std::make_unique<SealedFile>(std::move(fd), path);
  sealed_->StartReading(passphrase);
}

BackupReader::~BackupReader() = default;

std::optional<BackupReader::Entry> BackupReader::Next() {
  unsigned char length[2];
  sealed_->Read(reinterpret_cast<char*>(length), 2);
  std::size_t name_size = GetLittleEndian(length, 2);
  if (name_size == 0) {
    sealed_->ExpectEnd();
    return std::nullopt;
  }
  Entry entry;
  entry.name.resize(name_size);
  sealed_->Read(entry.name.data(), name_size);
  unsigned char size[8];
  sealed_->Read(reinterpret_cast<char*>(size), 8);
  entry.size = GetLittleEndian(size, 8);
  return entry;
}

std::string BackupReader::ReadContent(const Entry& entry) {
  if (entry.size > (64U << 20)) {
    throw Error::InvalidInput(path_.string() + ": " + entry.name + " is too large to read whole");
  }
  std::string content(static_cast<std::size_t>(entry.size), '\0');
  sealed_->Read(content.data(), content.size());
  return content;
}

void BackupReader::CopyContentTo(const Entry& entry, const std::filesystem::path& to) {
  UniqueFd fd(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) throw Error::Io("cannot create " + to.string() + ": " + std::strerror(errno));
  std::string buffer(kFramePlaintext, '\0');
  std::uint64_t left = entry.size;
  while (left > 0) {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
    sealed_->Read(buffer.data(), n);
    std::string_view chunk(buffer.data(), n);
    while (!chunk.empty()) {
      ssize_t written = ::write(fd.get(), chunk.data(), chunk.size());
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) throw Error::Io("cannot write " + to.string() + ": " + std::strerror(errno));
      chunk.remove_prefix(static_cast<std::size_t>(written));
    }
    left -= n;
  }
  if (::fsync(fd.get()) != 0) {
    throw Error::Io("cannot sync " + to.string() + ": " + std::strerror(errno));
  }
}

}  // namespace tributary::server
