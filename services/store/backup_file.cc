#include "services/store/backup_file.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "services/common/token.h"

namespace agentgate::store {
namespace {

namespace json = boost::json;

constexpr std::string_view kMagic = "AGBK";
constexpr size_t kChunk = 1 << 20;
constexpr size_t kNonce = 12, kTag = 16;
constexpr size_t kMaxHeader = 64 * 1024;

void PutLe(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t GetLe(std::string_view in, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

std::string ChunkAad(const std::string& header, uint64_t index, bool last) {
  std::string aad = header;
  PutLe(&aad, index, 8);
  aad.push_back(last ? 1 : 0);
  return aad;
}

bool KnownEntry(std::string_view name) {
  return std::find(std::begin(kBackupEntries), std::end(kBackupEntries), name) !=
         std::end(kBackupEntries);
}

// AES-256-GCM; `encrypt` false: `in` is ciphertext and `tag` is checked.
bool Gcm(bool encrypt, std::string_view key, std::string_view nonce, std::string_view aad,
         std::string_view in, std::string* out, std::string* tag) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return false;
  int len = 0;
  out->resize(in.size());
  auto* k = reinterpret_cast<const unsigned char*>(key.data());
  auto* n = reinterpret_cast<const unsigned char*>(nonce.data());
  bool ok = (encrypt ? EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, k, n)
                     : EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, k, n)) == 1;
  auto update = [&](unsigned char* o, const std::string_view d) {
    return (encrypt
                ? EVP_EncryptUpdate(ctx, o, &len, reinterpret_cast<const unsigned char*>(d.data()),
                                    static_cast<int>(d.size()))
                : EVP_DecryptUpdate(ctx, o, &len, reinterpret_cast<const unsigned char*>(d.data()),
                                    static_cast<int>(d.size()))) == 1;
  };
  ok = ok && update(nullptr, aad);
  ok = ok && (in.empty() || update(reinterpret_cast<unsigned char*>(out->data()), in));
  if (encrypt) {
    ok = ok && EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out->data()), &len) == 1;
    tag->resize(kTag);
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTag, tag->data()) == 1;
  } else {
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTag, tag->data()) == 1;
    ok = ok && EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out->data()), &len) == 1;
  }
  EVP_CIPHER_CTX_free(ctx);
  return ok;
}

std::string HeaderJson(const BackupHeader& h) {
  json::array contents;
  for (const auto& c : h.contents) contents.emplace_back(c);
  return json::serialize(json::object{{"v", 1},
                                      {"created_at_ms", h.created_at_ms},
                                      {"seal", h.seal},
                                      {"salt", Base64Encode(h.salt)},
                                      {"host", h.host},
                                      {"contents", std::move(contents)},
                                      {"scheduled", h.scheduled}});
}

absl::StatusOr<BackupHeader> ParseHeader(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  auto bad = [] { return absl::InvalidArgumentError("the backup's header is not readable"); };
  if (ec || !v.is_object()) return bad();
  const json::object& o = v.get_object();
  BackupHeader h;
  const json::value* ver = o.if_contains("v");
  if (ver == nullptr || !ver->is_int64() || ver->get_int64() != 1) {
    return absl::InvalidArgumentError("the backup was made by a newer AgentGate (format v" +
                                      (ver != nullptr ? json::serialize(*ver) : "?") + ")");
  }
  auto str = [&](const char* k) -> const json::string* {
    const json::value* x = o.if_contains(k);
    return x != nullptr && x->is_string() ? &x->get_string() : nullptr;
  };
  const json::value* at = o.if_contains("created_at_ms");
  if (at == nullptr || !at->is_int64() || str("seal") == nullptr || str("salt") == nullptr) {
    return bad();
  }
  h.created_at_ms = at->get_int64();
  h.seal = std::string(*str("seal"));
  if (h.seal != kBackupSealMasterKey && h.seal != kBackupSealPassphrase) return bad();
  auto salt = Base64Decode(std::string_view(*str("salt")));
  if (!salt.ok()) return bad();
  h.salt = *std::move(salt);
  if (const json::string* host = str("host"); host != nullptr) h.host = std::string(*host);
  if (const json::value* c = o.if_contains("contents"); c != nullptr && c->is_array()) {
    for (const auto& e : c->get_array()) {
      if (e.is_string() && KnownEntry(e.get_string())) h.contents.emplace_back(e.get_string());
    }
  }
  if (const json::value* s = o.if_contains("scheduled"); s != nullptr && s->is_bool()) {
    h.scheduled = s->get_bool();
  }
  return h;
}

struct File {
  std::FILE* f = nullptr;
  ~File() {
    if (f != nullptr) std::fclose(f);
  }
};

bool ReadExact(std::FILE* f, size_t n, std::string* out) {
  out->resize(n);
  return n == 0 || std::fread(out->data(), 1, n, f) == n;
}

// The header: its parsed form and its exact bytes (the chunks' associated data).
absl::StatusOr<BackupHeader> ReadHeader(std::FILE* f, std::string* raw) {
  std::string head;
  if (!ReadExact(f, 8, &head) || head.substr(0, 4) != kMagic) {
    return absl::InvalidArgumentError("not an AgentGate backup");
  }
  const uint64_t len = GetLe(std::string_view(head).substr(4), 4);
  std::string text;
  if (len == 0 || len > kMaxHeader || !ReadExact(f, len, &text)) {
    return absl::InvalidArgumentError("not an AgentGate backup (its header is cut)");
  }
  *raw = head + text;
  return ParseHeader(text);
}

}  // namespace

absl::StatusOr<std::string> BackupKeyFromPassphrase(std::string_view passphrase,
                                                    std::string_view salt) {
  if (passphrase.empty()) return absl::InvalidArgumentError("the passphrase is empty");
  std::string key(32, '\0');
  if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), 1 << 15, 8,
                     1, 64u * 1024 * 1024, reinterpret_cast<unsigned char*>(key.data()),
                     key.size()) != 1) {
    return absl::InternalError("scrypt failed");
  }
  return key;
}

std::string BackupKeyFromMasterKey(std::string_view master_key) {
  std::string key(32, '\0');
  unsigned int len = 0;
  constexpr std::string_view kPurpose = "agentgate backup v1";
  HMAC(EVP_sha256(), master_key.data(), static_cast<int>(master_key.size()),
       reinterpret_cast<const unsigned char*>(kPurpose.data()), kPurpose.size(),
       reinterpret_cast<unsigned char*>(key.data()), &len);
  return key;
}

absl::StatusOr<std::unique_ptr<BackupWriter>> BackupWriter::Create(const std::string& path,
                                                                   const BackupHeader& header,
                                                                   std::string key) {
  if (key.size() != 32) return absl::InvalidArgumentError("a backup key is 32 bytes");
  std::unique_ptr<BackupWriter> w(new BackupWriter());
  w->path_ = path;
  w->part_ = path + ".part";
  w->key_ = std::move(key);
  ::unlink(w->part_.c_str());
  const int fd = ::open(w->part_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::InternalError("cannot create " + w->part_ + ": " + std::strerror(errno));
  }
  w->f_ = ::fdopen(fd, "wb");
  if (w->f_ == nullptr) {
    ::close(fd);
    return absl::InternalError("cannot write " + w->part_);
  }
  const std::string text = HeaderJson(header);
  w->aad_header_ = std::string(kMagic);
  PutLe(&w->aad_header_, text.size(), 4);
  w->aad_header_ += text;
  if (std::fwrite(w->aad_header_.data(), 1, w->aad_header_.size(), w->f_) !=
      w->aad_header_.size()) {
    return absl::InternalError("cannot write " + w->part_);
  }
  return w;
}

BackupWriter::~BackupWriter() {
  if (f_ != nullptr) std::fclose(f_);
  if (!finished_) ::unlink(part_.c_str());
}

absl::Status BackupWriter::SealChunk(bool last) {
  const size_t n = std::min(pending_.size(), kChunk);
  std::string nonce(kNonce, '\0'), ct, tag;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonce) != 1 ||
      !Gcm(true, key_, nonce, ChunkAad(aad_header_, index_, last),
           std::string_view(pending_).substr(0, n), &ct, &tag)) {
    return absl::InternalError("cannot seal the backup");
  }
  std::string out;
  PutLe(&out, kNonce + ct.size() + kTag, 4);
  out += nonce;
  out += ct;
  out += tag;
  if (std::fwrite(out.data(), 1, out.size(), f_) != out.size()) {
    return absl::InternalError("cannot write " + part_ + ": " + std::strerror(errno));
  }
  pending_.erase(0, n);
  ++index_;
  return absl::OkStatus();
}

absl::Status BackupWriter::Put(std::string_view bytes) {
  pending_.append(bytes);
  while (pending_.size() > kChunk) {
    if (auto st = SealChunk(false); !st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status BackupWriter::BeginEntry(std::string_view name, uint64_t size) {
  if (in_entry_ && entry_left_ > 0) return absl::FailedPreconditionError("an entry is unfinished");
  if (!KnownEntry(name))
    return absl::InvalidArgumentError("not a backup entry: " + std::string(name));
  std::string head;
  PutLe(&head, name.size(), 2);
  head += name;
  PutLe(&head, size, 8);
  in_entry_ = true;
  entry_left_ = size;
  return Put(head);
}

absl::Status BackupWriter::Write(std::string_view bytes) {
  if (!in_entry_ || bytes.size() > entry_left_) {
    return absl::FailedPreconditionError("more bytes than the entry said");
  }
  entry_left_ -= bytes.size();
  return Put(bytes);
}

absl::Status BackupWriter::AddFile(std::string_view name, const std::string& source) {
  File in;
  in.f = std::fopen(source.c_str(), "rb");
  struct stat st {};
  if (in.f == nullptr || ::fstat(::fileno(in.f), &st) != 0) {
    return absl::NotFoundError("cannot read " + source + ": " + std::strerror(errno));
  }
  if (auto s = BeginEntry(name, static_cast<uint64_t>(st.st_size)); !s.ok()) return s;
  std::string buf(kChunk, '\0');
  for (;;) {
    const size_t n = std::fread(buf.data(), 1, std::min<uint64_t>(buf.size(), entry_left_), in.f);
    if (n == 0) break;
    if (auto s = Write(std::string_view(buf.data(), n)); !s.ok()) return s;
  }
  if (entry_left_ != 0) return absl::DataLossError(source + " changed while it was read");
  return absl::OkStatus();
}

absl::Status BackupWriter::Finish() {
  if (entry_left_ != 0) return absl::FailedPreconditionError("an entry is unfinished");
  std::string end;
  PutLe(&end, 0, 2);
  if (auto st = Put(end); !st.ok()) return st;
  if (auto st = SealChunk(true); !st.ok()) return st;
  if (std::fflush(f_) != 0 || ::fsync(::fileno(f_)) != 0) {
    return absl::InternalError("cannot write " + part_ + ": " + std::strerror(errno));
  }
  std::fclose(f_);
  f_ = nullptr;
  if (::rename(part_.c_str(), path_.c_str()) != 0) {
    return absl::InternalError("cannot rename " + part_ + ": " + std::strerror(errno));
  }
  finished_ = true;
  return absl::OkStatus();
}

absl::StatusOr<BackupHeader> ReadBackupHeader(const std::string& path) {
  File in;
  in.f = std::fopen(path.c_str(), "rb");
  if (in.f == nullptr)
    return absl::NotFoundError("cannot read " + path + ": " + std::strerror(errno));
  std::string raw;
  return ReadHeader(in.f, &raw);
}

absl::StatusOr<std::vector<std::string>> ExtractBackup(const std::string& path,
                                                       std::string_view key,
                                                       const std::string& dest_dir) {
  File in;
  in.f = std::fopen(path.c_str(), "rb");
  if (in.f == nullptr)
    return absl::NotFoundError("cannot read " + path + ": " + std::strerror(errno));
  std::string aad_header;
  auto header = ReadHeader(in.f, &aad_header);
  if (!header.ok()) return header.status();

  std::vector<std::string> written;
  File out;
  auto fail = [&](absl::Status st) -> absl::StatusOr<std::vector<std::string>> {
    if (out.f != nullptr) std::fclose(out.f);
    out.f = nullptr;
    for (const auto& name : written) ::unlink((dest_dir + "/" + name).c_str());
    return st;
  };
  auto cut = [&] { return fail(absl::DataLossError("the backup is damaged or was changed")); };

  // The plaintext parser: names and sizes may straddle chunks; data goes straight to its file.
  enum class State { kNameLen, kName, kSize, kData, kEnd } state = State::kNameLen;
  std::string buf, name;
  uint64_t need = 2, left = 0;
  uint64_t index = 0;
  bool saw_last = false;
  std::string sealed, plain;
  while (!saw_last) {
    std::string len_bytes;
    if (!ReadExact(in.f, 4, &len_bytes)) return cut();
    const uint64_t len = GetLe(len_bytes, 4);
    if (len < kNonce + kTag || len > kNonce + kChunk + kTag || !ReadExact(in.f, len, &sealed)) {
      return cut();
    }
    // The last chunk is the one the file ends with.
    const int next = std::fgetc(in.f);
    const bool last = next == EOF;
    if (!last) std::ungetc(next, in.f);
    std::string tag = sealed.substr(len - kTag);
    if (!Gcm(false, key, std::string_view(sealed).substr(0, kNonce),
             ChunkAad(aad_header, index, last),
             std::string_view(sealed).substr(kNonce, len - kNonce - kTag), &plain, &tag)) {
      if (index == 0) {
        // Either the key is wrong or the first chunk was changed: the key is far likelier.
        return fail(absl::PermissionDeniedError(
            header->seal == kBackupSealPassphrase
                ? "the passphrase does not open this backup"
                : "this machine's master key does not open this backup (it was made by another "
                  "stack; use a passphrase backup to move between machines)"));
      }
      return cut();
    }
    ++index;
    saw_last = last;
    buf += plain;
    size_t pos = 0;
    while (pos < buf.size() || (state == State::kData && left == 0)) {
      if (state == State::kEnd) return cut();  // bytes after the end
      if (state == State::kData) {
        const size_t n = std::min<uint64_t>(left, buf.size() - pos);
        if (n > 0 && std::fwrite(buf.data() + pos, 1, n, out.f) != n) {
          return fail(absl::InternalError("cannot write into " + dest_dir));
        }
        pos += n;
        left -= n;
        if (left > 0) break;
        if (std::fclose(out.f) != 0) {
          out.f = nullptr;
          return fail(absl::InternalError("cannot write into " + dest_dir));
        }
        out.f = nullptr;
        state = State::kNameLen;
        need = 2;
        continue;
      }
      if (buf.size() - pos < need) break;
      std::string_view field(buf.data() + pos, need);
      pos += need;
      if (state == State::kNameLen) {
        need = GetLe(field, 2);
        if (need == 0) {
          state = State::kEnd;
          continue;
        }
        if (need > 64) return cut();
        state = State::kName;
      } else if (state == State::kName) {
        name = std::string(field);
        if (!KnownEntry(name) || std::count(written.begin(), written.end(), name) > 0) {
          return fail(absl::DataLossError("the backup holds an unknown or repeated entry"));
        }
        need = 8;
        state = State::kSize;
      } else {  // kSize
        left = GetLe(field, 8);
        const std::string dest = dest_dir + "/" + name;
        const int fd = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
          return fail(absl::InternalError("cannot create " + dest + ": " + std::strerror(errno)));
        }
        written.push_back(name);
        out.f = ::fdopen(fd, "wb");
        if (out.f == nullptr) {
          ::close(fd);
          return fail(absl::InternalError("cannot write " + dest));
        }
        state = State::kData;
      }
    }
    buf.erase(0, pos);
  }
  if (state != State::kEnd || !buf.empty()) return cut();
  return written;
}

}  // namespace agentgate::store
