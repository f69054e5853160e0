#include "services/common/flags.h"

#include <algorithm>
#include <cstdlib>

namespace agentgate {

Flags::Flags(std::vector<FlagSpec> specs) : specs_(std::move(specs)) {}

absl::Status Flags::Parse(int argc, char** argv, int start) {
  std::vector<std::string> args;
  for (int i = start; i < argc; ++i) args.emplace_back(argv[i]);
  return Parse(args);
}

absl::Status Flags::Parse(const std::vector<std::string>& args) {
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (flags_done) {
      positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    if (a.size() < 3 || a.compare(0, 2, "--") != 0) {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto spec = std::find_if(specs_.begin(), specs_.end(),
                             [&](const FlagSpec& s) { return s.name == name; });
    if (spec == specs_.end()) {
      return absl::InvalidArgumentError("unknown flag --" + name + " (see --help)");
    }
    if (spec->value_name.empty()) {
      if (inline_value) return absl::InvalidArgumentError("--" + name + " takes no value");
      values_[name].push_back("true");
      continue;
    }
    if (inline_value) {
      values_[name].push_back(*inline_value);
    } else if (i + 1 < args.size()) {
      values_[name].push_back(args[++i]);
    } else {
      return absl::InvalidArgumentError("--" + name + " needs a value: --" + name + " " +
                                        spec->value_name);
    }
  }
  return absl::OkStatus();
}

bool Flags::Has(const std::string& name) const { return values_.count(name) > 0; }

std::string Flags::Get(const std::string& name, const char* env, const std::string& def) const {
  if (auto it = values_.find(name); it != values_.end()) return it->second.back();
  if (env != nullptr) return EnvOr(env, def);
  return def;
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  if (auto it = values_.find(name); it != values_.end()) return it->second;
  return {};
}

std::string Flags::Usage() const {
  size_t width = 0;
  for (const auto& s : specs_) {
    width = std::max(width, s.name.size() + (s.value_name.empty() ? 0 : s.value_name.size() + 1));
  }
  std::string out;
  for (const auto& s : specs_) {
    std::string left = "--" + s.name + (s.value_name.empty() ? "" : " " + s.value_name);
    out += "  " + left + std::string(width + 4 - left.size() + 2, ' ') + s.help + "\n";
  }
  return out;
}

std::string EnvOr(const char* name, const std::string& def) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::string(v) : def;
}

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text == "0") return std::chrono::milliseconds(0);
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 9 || digits + 1 != text.size()) return std::nullopt;
  int64_t n = std::stoll(std::string(text.substr(0, digits)));
  int64_t unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1'000;
      break;
    case 'm':
      unit = 60'000;
      break;
    case 'h':
      unit = 3'600'000;
      break;
    case 'd':
      unit = 86'400'000;
      break;
    default:
      return std::nullopt;
  }
  return std::chrono::milliseconds(n * unit);
}

}  // namespace agentgate
