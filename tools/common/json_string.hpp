// A JSON string literal for text: quotes, backslashes and control characters escaped. Every tool
// that writes JSON (ohal-info, ohal-bench, ohal-cts) uses this one; text must be valid UTF-8.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace ohal_tools {

inline std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof(buffer), "\\u%04x", static_cast<unsigned>(c));
          out += buffer;
        } else {
          out += ch;
        }
    }
  }
  return out + '"';
}

}  // namespace ohal_tools
