// Plugin discovery and loading. A plugin that cannot be loaded is recorded with the reason and
// never stops the others (the OpenCL / Level Zero ICD loader rule).
#include <dirent.h>
#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <sstream>

#include "log.hpp"
#include "runtime.hpp"

namespace ohal {
namespace {

constexpr const char* kPrefix = "libohal_";
constexpr const char* kSuffix = ".so";

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) {
    part.erase(0, part.find_first_not_of(" \t"));
    part.erase(part.find_last_not_of(" \t") + 1);
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

// lib/openai_hal next to this library, in the build tree and the install tree alike.
std::string install_plugin_dir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&install_plugin_dir), &info) == 0 ||
      info.dli_fname == nullptr) {
    return {};
  }
  std::string path(info.dli_fname);
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return OHAL_PLUGIN_SUBDIR;
  return path.substr(0, slash + 1) + OHAL_PLUGIN_SUBDIR;
}

struct Candidate {
  std::string name;
  std::string path;
};

void scan_folder(const std::string& folder, std::vector<Candidate>& found) {
  DIR* dir = opendir(folder.c_str());
  if (dir == nullptr) {
    logf(OHAL_LOG_LEVEL_DEBUG, "plugin folder {} not readable: {}", folder, std::strerror(errno));
    return;
  }
  std::vector<std::string> files;
  while (dirent* entry = readdir(dir)) {
    const std::string file(entry->d_name);
    const size_t prefix = std::strlen(kPrefix), suffix = std::strlen(kSuffix);
    if (file.size() > prefix + suffix && file.compare(0, prefix, kPrefix) == 0 &&
        file.compare(file.size() - suffix, suffix, kSuffix) == 0) {
      files.push_back(file);
    }
  }
  closedir(dir);
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    const std::string name = file.substr(std::strlen(kPrefix),
                                         file.size() - std::strlen(kPrefix) - std::strlen(kSuffix));
    const bool seen =
        std::any_of(found.begin(), found.end(), [&](const Candidate& c) { return c.name == name; });
    if (seen) {
      logf(OHAL_LOG_LEVEL_INFO, "plugin {} in {} shadowed by an earlier folder", name, folder);
      continue;
    }
    found.push_back({name, folder + "/" + file});
  }
}

// GPUs first, so that device 0 is the one a framework most likely wants.
int default_rank(const std::string& name) {
  static const char* const kOrder[] = {"cuda", "hip", "levelzero", "vulkan", "cpu_ref"};
  for (int i = 0; i < 5; ++i) {
    if (name == kOrder[i]) return i;
  }
  return 5;
}

std::string message_or(ohal_result_t result) {
  return has_error_message() ? std::string(error_message()).substr(std::strlen(current_call()) + 2)
                             : std::string(ohal_result_string(result));
}

std::string missing_entries(const ohal_backend_t& t) {
  std::string missing;
  auto check = [&](const void* entry, const char* name) {
    if (entry == nullptr) missing.append(missing.empty() ? "" : ", ").append(name);
  };
#define OHAL_CHECK(entry) check(reinterpret_cast<const void*>(t.entry), #entry)
  OHAL_CHECK(init);
  OHAL_CHECK(shutdown);
  OHAL_CHECK(device_count);
  OHAL_CHECK(device_get);
  OHAL_CHECK(device_get_properties);
  OHAL_CHECK(device_synchronize);
  OHAL_CHECK(mem_alloc);
  OHAL_CHECK(mem_free);
  OHAL_CHECK(mem_get_info);
  OHAL_CHECK(stream_create);
  OHAL_CHECK(stream_destroy);
  OHAL_CHECK(stream_synchronize);
  OHAL_CHECK(stream_query);
  OHAL_CHECK(stream_wait_event);
  OHAL_CHECK(event_create);
  OHAL_CHECK(event_destroy);
  OHAL_CHECK(event_record);
  OHAL_CHECK(event_synchronize);
  OHAL_CHECK(event_query);
  OHAL_CHECK(module_load);
  OHAL_CHECK(module_unload);
  OHAL_CHECK(module_get_kernel);
  OHAL_CHECK(kernel_get_properties);
  OHAL_CHECK(launch);
  OHAL_CHECK(memcpy_async);
  OHAL_CHECK(memset_async);
#undef OHAL_CHECK
  return missing;
}

// Opens the plugin and checks its table; on failure sets plugin.reason and returns false.
bool open_plugin(Plugin& plugin) {
  dlerror();
  plugin.library = dlopen(plugin.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (plugin.library == nullptr) {
    const char* reason = dlerror();
    plugin.reason = reason != nullptr ? reason : "dlopen failed";
    return false;
  }
  auto entry =
      reinterpret_cast<ohal_backend_entry_fn>(dlsym(plugin.library, OHAL_BACKEND_ENTRY_SYMBOL));
  if (entry == nullptr) {
    plugin.reason =
        std::string("no ") + OHAL_BACKEND_ENTRY_SYMBOL + " symbol: not an openai_hal plugin";
    return false;
  }
  const ohal_backend_t* table = nullptr;
  ApiCall scope("plugin entry");
  const ohal_result_t entered = entry(OHAL_BACKEND_ABI_VERSION, host_services(), &table);
  if (entered != OHAL_SUCCESS) {
    plugin.reason = "ohal_backend_entry failed: " + message_or(entered);
    return false;
  }
  if (table == nullptr) {
    plugin.reason = "ohal_backend_entry returned no table";
    return false;
  }
  plugin.abi_version = table->abi_version;
  if (OHAL_BACKEND_ABI_MAJOR(table->abi_version) != OHAL_BACKEND_ABI_VERSION_MAJOR) {
    plugin.reason =
        fmt::format("backend ABI major version {} (front-end speaks {})",
                    OHAL_BACKEND_ABI_MAJOR(table->abi_version), OHAL_BACKEND_ABI_VERSION_MAJOR);
    return false;
  }
  if (table->struct_size < OHAL_BACKEND_MIN_STRUCT_SIZE) {
    plugin.reason = fmt::format("backend table of {} bytes is smaller than ABI 1.0's {}",
                                table->struct_size, OHAL_BACKEND_MIN_STRUCT_SIZE);
    return false;
  }
  std::memcpy(&plugin.table_copy, table, std::min(table->struct_size, sizeof(ohal_backend_t)));
  table = &plugin.table_copy;
  const std::string missing = missing_entries(*table);
  if (!missing.empty()) {
    plugin.reason = "required backend entries missing: " + missing;
    return false;
  }
  if (table->version != nullptr) plugin.version = table->version;
  ApiCall init_scope("init");
  const ohal_result_t initialized = table->init();
  if (initialized != OHAL_SUCCESS) {
    plugin.reason = "init failed: " + message_or(initialized);
    return false;
  }
  // A backend explains "no device" with set_error(OHAL_SUCCESS, reason).
  if (has_error_message()) plugin.reason = message_or(OHAL_SUCCESS);
  plugin.table = table;
  return true;
}

void add_devices(Runtime& rt, Plugin& plugin, const DeviceFilter& filter) {
  const ohal_backend_t& t = *plugin.table;
  uint32_t count = 0;
  ApiCall scope("device enumeration");
  if (t.device_count(&count) != OHAL_SUCCESS) {
    logf(OHAL_LOG_LEVEL_WARN, "{}: device_count failed: {}", plugin.name, error_message());
    count = 0;
  }
  plugin.device_count = count;
  if (count > 0) {
    plugin.reason.clear();
  } else if (has_error_message()) {
    plugin.reason = message_or(OHAL_SUCCESS);
  }
  for (uint32_t index = 0; index < count; ++index) {
    if (!filter.visible(plugin.name, index)) continue;
    ohal_bdevice_t backend_device = nullptr;
    ohal_device_properties_t properties = OHAL_DEVICE_PROPERTIES_INIT;
    if (t.device_get(index, &backend_device) != OHAL_SUCCESS ||
        t.device_get_properties(backend_device, &properties) != OHAL_SUCCESS) {
      logf(OHAL_LOG_LEVEL_WARN, "{}:{} skipped: {}", plugin.name, index, error_message());
      continue;
    }
    properties.struct_size = sizeof(properties);
    fmt::format_to_n(properties.backend, sizeof(properties.backend) - 1, "{}", plugin.name);
    properties.backend_device_index = index;
    auto device = std::make_unique<Device>(&plugin, backend_device, index);
    device->properties = properties;
    if (register_object(device.get()) == 0) continue;
    rt.devices.push_back(std::move(device));
  }
}

}  // namespace

void load_plugins(Runtime& rt, const LoadSettings& settings) {
  std::vector<std::string> folders;
  if (std::string dir = install_plugin_dir(); !dir.empty()) folders.push_back(dir);
  for (const std::string& dir : split(settings.backend_path, ':')) folders.push_back(dir);
  std::vector<Candidate> found;
  for (const std::string& folder : folders) scan_folder(folder, found);

  const std::vector<std::string> wanted = split(settings.backends, ',');
  std::vector<Candidate> chosen;
  if (wanted.empty()) {
    chosen = found;
    std::stable_sort(chosen.begin(), chosen.end(), [](const Candidate& a, const Candidate& b) {
      return default_rank(a.name) < default_rank(b.name);
    });
  } else {
    for (const std::string& name : wanted) {
      auto it = std::find_if(found.begin(), found.end(),
                             [&](const Candidate& c) { return c.name == name; });
      if (it != found.end()) {
        chosen.push_back(*it);
        continue;
      }
      auto plugin = std::make_unique<Plugin>();
      plugin->name = name;
      std::string searched;
      for (const std::string& folder : folders)
        searched.append(searched.empty() ? "" : ":").append(folder);
      plugin->reason = fmt::format("libohal_{}.so not found in {}", name, searched);
      rt.plugins.push_back(std::move(plugin));
    }
  }

  const DeviceFilter filter(settings.visible_devices);
  for (const Candidate& candidate : chosen) {
    auto plugin = std::make_unique<Plugin>();
    plugin->name = candidate.name;
    plugin->path = candidate.path;
    if (open_plugin(*plugin)) {
      plugin->status = OHAL_BACKEND_STATUS_LOADED;
      add_devices(rt, *plugin, filter);
      logf(OHAL_LOG_LEVEL_INFO, "loaded {} ({}): {} devices", plugin->name, plugin->path,
           plugin->device_count);
    } else {
      logf(OHAL_LOG_LEVEL_INFO, "{} not loaded: {}", plugin->name, plugin->reason);
    }
    rt.plugins.push_back(std::move(plugin));
  }
}

void unload_plugins(Runtime& rt) noexcept {
  // Plugins stay mapped (vendor runtimes often crash when unloaded); a later ohal_init reopens
  // the same libraries and calls init again.
  for (auto& plugin : rt.plugins) {
    if (plugin->status == OHAL_BACKEND_STATUS_LOADED) plugin->table->shutdown();
  }
  rt.plugins.clear();
}

}  // namespace ohal
