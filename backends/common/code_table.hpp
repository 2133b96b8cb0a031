// A vendor API's result codes as data: each code's enumerator name and the HAL result it maps to.
// The lookups live here so that every backend's table answers unknown codes the same way.
#pragma once

#include <cstddef>

#include "openai_hal/ohal.h"

namespace ohal::plugin {

template <typename Code>
struct CodeEntry {
  Code code;
  const char* name;
  ohal_result_t result;
};

template <typename Code, std::size_t N>
constexpr const CodeEntry<Code>* find_code(const CodeEntry<Code> (&table)[N], Code code) noexcept {
  for (const CodeEntry<Code>& entry : table) {
    if (entry.code == code) return &entry;
  }
  return nullptr;
}

// The HAL result for code; a code the table does not know is a backend failure.
template <typename Code, std::size_t N>
constexpr ohal_result_t map_code(const CodeEntry<Code> (&table)[N], Code code) noexcept {
  const CodeEntry<Code>* entry = find_code(table, code);
  return entry != nullptr ? entry->result : OHAL_ERROR_BACKEND;
}

// The enumerator name of code, or nullptr for a code the table does not know.
template <typename Code, std::size_t N>
constexpr const char* code_name(const CodeEntry<Code> (&table)[N], Code code) noexcept {
  const CodeEntry<Code>* entry = find_code(table, code);
  return entry != nullptr ? entry->name : nullptr;
}

}  // namespace ohal::plugin
