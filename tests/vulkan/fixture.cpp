#include "fixture.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>

extern char** environ;

namespace vktest {

namespace {
ohal_device_t g_device = nullptr;
ohal_device_properties_t g_props = OHAL_DEVICE_PROPERTIES_INIT;
}  // namespace

ohal_device_t device() {
  static std::once_flag once;
  std::call_once(once, [] {
    ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
    desc.backends = "vulkan";
    if (ohal_init(&desc) != OHAL_SUCCESS) return;
    uint32_t count = 0;
    if (ohal_device_count(&count) != OHAL_SUCCESS || count == 0) return;
    ohal_device_t d = nullptr;
    if (ohal_device_get(0, &d) != OHAL_SUCCESS) return;
    if (ohal_device_get_properties(d, &g_props) != OHAL_SUCCESS) return;
    g_device = d;
  });
  return g_device;
}

const ohal_device_properties_t& properties() {
  device();
  return g_props;
}

std::vector<char> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Module::Module(ohal_device_t device, const std::string& path) {
  std::vector<char> image = read_file(path);
  REQUIRE(!image.empty());
  ohal_module_desc_t desc = OHAL_MODULE_DESC_INIT;
  desc.format = OHAL_KERNEL_FORMAT_SPIRV_VULKAN;
  desc.data = image.data();
  desc.size = image.size();
  REQUIRE_OK(ohal_module_load(device, &desc, &module_));
}

Module::~Module() {
  if (module_ != nullptr) ohal_module_unload(module_);
}

ohal_kernel_t Module::kernel(const char* name) const {
  ohal_kernel_t k = nullptr;
  REQUIRE_OK(ohal_module_get_kernel(module_, name, &k));
  return k;
}

Mem::Mem(ohal_device_t device, size_t size, ohal_mem_kind_t kind, uint32_t flags) {
  REQUIRE_OK(ohal_mem_alloc(device, size, kind, flags, &ptr_));
}

Mem::~Mem() {
  if (ptr_ != nullptr) ohal_mem_free(ptr_);
}

Stream::Stream(ohal_device_t device) {
  REQUIRE_OK(ohal_stream_create(device, 0, &stream_));
}

Stream::~Stream() {
  if (stream_ != nullptr) ohal_stream_destroy(stream_);
}

ohal_result_t launch1d(ohal_stream_t stream, ohal_kernel_t kernel, uint32_t grid, uint32_t block,
                       std::vector<ohal_kernel_arg_t> args, uint32_t shared_bytes) {
  ohal_launch_config_t config = OHAL_LAUNCH_CONFIG_INIT;
  config.grid[0] = grid;
  config.block[0] = block;
  config.shared_bytes = shared_bytes;
  return ohal_launch(stream, kernel, &config, static_cast<uint32_t>(args.size()), args.data());
}

int run_self(const std::string& filter, const std::vector<std::string>& env) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  for (const std::string& e : env) env_strings.push_back(e);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe", arg = filter;
  char* argv[] = {self.data(), arg.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv, envp.data()) != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace vktest
