// JSON written straight into a std::string, for request bodies built from the intermediate model
// (EncodeChatRequest): no DOM, and no allocation beyond the string's own growth. The text is
// byte for byte what boost::json::serialize writes for the same value: the same escapes ('"',
// '\\' and control characters; '/', DEL and non-ASCII bytes are copied as they are) and the same
// number formatting. Pure.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace agentgate::protocol::json {

// Appends `s` to `out` escaped for the inside of a JSON string (no quotes added).
void AppendEscaped(std::string& out, std::string_view s);

// Appends JSON to a string. Commas are the writer's business: call Key before each member's
// value, and nothing between array elements. It does not check that the calls nest properly or
// that every object value has a key.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  void Key(std::string_view key) {
    OpenQuote();
    AppendEscaped(out_, key);
    out_.append("\":", 2);
    comma_ = false;
  }

  void String(std::string_view s) {
    BeginString();
    AppendEscaped(out_, s);
    EndString();
  }

  // A string written in pieces, for text joined from several sources without joining it first:
  // BeginString, any number of StringPiece, EndString.
  void BeginString() { OpenQuote(); }
  void StringPiece(std::string_view s) { AppendEscaped(out_, s); }
  void EndString() {
    out_ += '"';
    comma_ = true;
  }

  void Int(int64_t v);
  void Uint(uint64_t v);
  // As Boost.JSON writes a double (shortest round-trip form, "7E-1"; not valid JSON when
  // not finite, as with boost::json::serialize).
  void Double(double v);
  void Bool(bool v) { Raw(v ? std::string_view("true") : std::string_view("false")); }
  void Null() { Raw("null"); }

  // An already-serialized JSON value, copied as it is.
  void Raw(std::string_view json) {
    Separate();
    out_.append(json);
    comma_ = true;
  }

  // A Boost.JSON value, as boost::json::serialize writes it.
  void Value(const boost::json::value& v);

 private:
  void Separate() {
    if (comma_) out_ += ',';
  }
  void OpenQuote() {
    if (comma_) {
      out_.append(",\"", 2);
    } else {
      out_ += '"';
    }
  }
  void Open(char c) {
    Separate();
    out_ += c;
    comma_ = false;
  }
  void Close(char c) {
    out_ += c;
    comma_ = true;
  }

  std::string& out_;
  bool comma_ = false;  // a value was just written: the next value or key needs a comma
};

}  // namespace agentgate::protocol::json
