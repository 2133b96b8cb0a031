#include "options.h"

#include <charconv>
#include <string_view>

namespace ohal_bench {
namespace {

template <typename T>
bool parse_number(std::string_view text, T* value) {
  const char* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, *value);
  return result.ec == std::errc() && result.ptr == end;
}

}  // namespace

const char* usage_text() {
  return "usage: ohal-bench [options]\n"
         "  --backend NAME    benchmark a device of plugin NAME (cpu_ref, vulkan, cuda, ...);\n"
         "                    only that plugin is loaded. Default: all plugins.\n"
         "  --device N        the N-th device of that backend (or of all visible devices)\n"
         "  --json FILE       also write the results as JSON\n"
         "  --quick           small sizes and few samples: a smoke test, not a measurement\n"
         "  --filter SUBSTR   only workloads whose name contains SUBSTR (see --list)\n"
         "  --samples N       timed samples per side (default 21, --quick 3)\n"
         "  --sample-ms MS    length of one sample (default 10, --quick 2)\n"
         "  --list            list the workloads and exit\n"
         "  --help            this text\n"
         "Exit status: 0 when every workload ran and its results were correct, 1 when one\n"
         "failed, 2 on a usage or setup error. Timing goals never change the exit status.\n";
}

std::optional<Options> parse_options(int argc, char** argv, std::string* error) {
  Options options;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) options.command += ' ';
    options.command += argv[i];
  }
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string_view* out) {
      if (i + 1 >= argc) {
        *error = std::string(arg) + " needs a value";
        return false;
      }
      *out = argv[++i];
      return true;
    };
    std::string_view v;
    if (arg == "--help" || arg == "-h") {
      error->clear();
      return std::nullopt;
    } else if (arg == "--quick") {
      options.quick = true;
    } else if (arg == "--list") {
      options.list = true;
    } else if (arg == "--backend") {
      if (!value(&v)) return std::nullopt;
      options.backend = v;
    } else if (arg == "--json") {
      if (!value(&v)) return std::nullopt;
      options.json_path = v;
    } else if (arg == "--filter") {
      if (!value(&v)) return std::nullopt;
      options.filter = v;
    } else if (arg == "--device") {
      if (!value(&v)) return std::nullopt;
      if (!parse_number(v, &options.device)) {
        *error = "--device takes a device index, not '" + std::string(v) + "'";
        return std::nullopt;
      }
    } else if (arg == "--samples") {
      if (!value(&v)) return std::nullopt;
      if (!parse_number(v, &options.samples) || options.samples == 0) {
        *error = "--samples takes a positive count, not '" + std::string(v) + "'";
        return std::nullopt;
      }
    } else if (arg == "--sample-ms") {
      if (!value(&v)) return std::nullopt;
      if (!parse_number(v, &options.sample_ms) || !(options.sample_ms > 0)) {
        *error = "--sample-ms takes a positive number, not '" + std::string(v) + "'";
        return std::nullopt;
      }
    } else {
      *error = "unknown option '" + std::string(arg) + "'";
      return std::nullopt;
    }
  }
  return options;
}

}  // namespace ohal_bench
