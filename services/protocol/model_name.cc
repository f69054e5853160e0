#include "services/protocol/model_name.h"

namespace agentgate::protocol {

absl::Status CheckModelName(std::string_view model) {
  if (model.size() > kMaxModelName) {
    return absl::InvalidArgumentError("model: a model name is at most " +
                                      std::to_string(kMaxModelName) + " bytes (this one has " +
                                      std::to_string(model.size()) + ")");
  }
  for (unsigned char c : model) {
    if (c < 0x20 || c == 0x7F) {
      return absl::InvalidArgumentError(
          "model: a model name may not contain control characters (line breaks, tabs, NUL)");
    }
  }
  return absl::OkStatus();
}

bool PercentDecode(std::string_view segment, std::string* out) {
  out->clear();
  out->reserve(segment.size());
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] != '%') {
      out->push_back(segment[i]);
      continue;
    }
    if (i + 2 >= segment.size()) return false;
    int hi = hex(segment[i + 1]), lo = hex(segment[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

}  // namespace agentgate::protocol
