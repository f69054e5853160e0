// A small command-line parser shared by the services and agentgatectl.
//
//   Flags f({{"port", "PORT", "HTTP port (env AGENTGATE_PORT)"}, {"detach", "", "run in
//   background"}}); auto st = f.Parse(argc, argv, 1);
//
// A spec with a non-empty value name takes a value (`--port 9090` or `--port=9090`) and may be
// repeated; one without is a switch. Anything not starting with `--` is positional; `--` ends
// flags.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace agentgate {

struct FlagSpec {
  std::string name;
  std::string value_name;  // empty: a switch
  std::string help;
};

class Flags {
 public:
  explicit Flags(std::vector<FlagSpec> specs);

  // Fails with InvalidArgument naming the unknown flag or the missing value.
  absl::Status Parse(int argc, char** argv, int start);
  absl::Status Parse(const std::vector<std::string>& args);

  bool Has(const std::string& name) const;
  // The last value given, else the environment variable `env` if set and non-empty, else `def`.
  std::string Get(const std::string& name, const char* env = nullptr,
                  const std::string& def = "") const;
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

  // "  --port PORT   HTTP port" lines, for --help.
  std::string Usage() const;

 private:
  std::vector<FlagSpec> specs_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// A duration for a flag: a whole number with a unit, "90s", "30m", "6h", "1d"; "0" alone is
// zero. nullopt for anything else.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

// The environment variable's value, or `def` when unset or empty.
std::string EnvOr(const char* name, const std::string& def);

}  // namespace agentgate
