#include "services/clientconf/file_io.h"

#include <sys/stat.h>

#include <boost/json.hpp>
#include <filesystem>
#include <system_error>

#include "services/clientconf/json_edit.h"
#include "services/common/files.h"

namespace agentgate::clientconf {

namespace fs = std::filesystem;

absl::StatusOr<std::optional<std::string>> ReadOptional(const std::string& path) {
  auto text = ReadFile(path);
  if (text.ok()) return std::optional<std::string>(std::move(*text));
  if (absl::IsNotFound(text.status())) return std::optional<std::string>();
  return text.status();
}

std::string WriteTarget(const std::string& path) {
  std::error_code ec;
  if (!fs::is_symlink(path, ec)) return path;
  fs::path target = fs::weakly_canonical(path, ec);
  return ec ? path : target.string();
}

absl::Status WriteConfig(const std::string& path, const std::string& content, int mode) {
  std::string target = WriteTarget(path);
  fs::path dir = fs::path(target).parent_path();
  std::error_code ec;
  if (!dir.empty() && !fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec)
      return absl::InternalError("cannot create folder " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
  }
  return WriteFileAtomic(target, content, mode);
}

int ModeOr(const std::string& path, int def) {
  auto mode = FileMode(WriteTarget(path));
  return mode.ok() ? *mode : def;
}

ManifestFile* Manifest::Find(const std::string& name) {
  for (auto& f : files) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string Manifest::ToJson() const {
  boost::json::array fa;
  for (const auto& f : files) {
    boost::json::array managed;
    for (const auto& p : f.managed) {
      boost::json::array seg;
      for (const auto& s : p) seg.emplace_back(s);
      managed.emplace_back(std::move(seg));
    }
    fa.emplace_back(boost::json::object{{"name", f.name},
                                        {"path", f.path},
                                        {"existed", f.existed},
                                        {"sha256", f.sha256},
                                        {"mode", f.mode},
                                        {"applied_sha256", f.applied_sha256},
                                        {"managed", std::move(managed)}});
  }
  boost::json::object o{{"client", client}, {"created_at_ms", created_at_ms}, {"files", fa}};
  return JsonDoc::Format(o, "", "  ", "\n") + "\n";
}

absl::StatusOr<Manifest> Manifest::FromJson(const std::string& text) {
  Manifest m;
  try {
    boost::json::value v = boost::json::parse(text);
    const auto& o = v.as_object();
    m.client = boost::json::value_to<std::string>(o.at("client"));
    m.created_at_ms = o.at("created_at_ms").to_number<int64_t>();
    for (const auto& fv : o.at("files").as_array()) {
      const auto& fo = fv.as_object();
      ManifestFile f;
      f.name = boost::json::value_to<std::string>(fo.at("name"));
      f.path = boost::json::value_to<std::string>(fo.at("path"));
      f.existed = fo.at("existed").as_bool();
      f.sha256 = boost::json::value_to<std::string>(fo.at("sha256"));
      f.mode = fo.at("mode").to_number<int>();
      f.applied_sha256 = boost::json::value_to<std::string>(fo.at("applied_sha256"));
      for (const auto& pv : fo.at("managed").as_array()) {
        f.managed.push_back(boost::json::value_to<std::vector<std::string>>(pv));
      }
      m.files.push_back(std::move(f));
    }
  } catch (const std::exception& e) {
    return absl::DataLossError(std::string("the backup manifest cannot be read: ") + e.what());
  }
  return m;
}

}  // namespace agentgate::clientconf
