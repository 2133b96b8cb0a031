#include "hal_session.h"

#include <fmt/format.h>

#include "kernel_images.h"
#include "op.h"

namespace ohal_bench {

void check(ohal_result_t r, const char* call) {
  if (r == OHAL_SUCCESS) return;
  throw BenchError(
      fmt::format("{}: {}: {}", call, ohal_result_string(r), ohal_last_error_message()));
}

std::unique_ptr<HalSession> HalSession::open(const std::string& backend, uint32_t device) {
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  if (!backend.empty()) desc.backends = backend.c_str();
  check(ohal_init(&desc), "ohal_init");

  std::unique_ptr<HalSession> session(new HalSession());
  uint32_t backend_count = 0;
  check(ohal_backend_count(&backend_count), "ohal_backend_count");
  std::vector<ohal_backend_info_t> infos;
  for (uint32_t i = 0; i < backend_count; ++i) {
    ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
    check(ohal_backend_get_info(i, &info), "ohal_backend_get_info");
    infos.push_back(info);
    if (info.status == OHAL_BACKEND_STATUS_LOADED) {
      session->plugin_lines_.push_back(fmt::format("{} {}: loaded, {} device(s) ({})", info.name,
                                                   info.version, info.device_count, info.path));
    } else {
      session->plugin_lines_.push_back(
          fmt::format("{}: failed: {}{}", info.name, info.status_reason,
                      info.path[0] ? fmt::format(" ({})", info.path) : std::string()));
    }
  }
  auto fail = [&](const std::string& what) {
    std::string message = what;
    if (session->plugin_lines_.empty()) message += "\n  no plugin found";
    for (const std::string& line : session->plugin_lines_) message += "\n  " + line;
    throw BenchError(message);
  };

  uint32_t device_count = 0;
  check(ohal_device_count(&device_count), "ohal_device_count");
  uint32_t matching = 0;
  for (uint32_t i = 0; i < device_count && !session->device_; ++i) {
    ohal_device_t candidate = nullptr;
    check(ohal_device_get(i, &candidate), "ohal_device_get");
    ohal_device_properties_t props = OHAL_DEVICE_PROPERTIES_INIT;
    check(ohal_device_get_properties(candidate, &props), "ohal_device_get_properties");
    if (!backend.empty() && backend != props.backend) continue;
    if (matching++ == device) {
      session->device_ = candidate;
      session->properties_ = props;
    }
  }
  if (!session->device_) {
    fail(fmt::format("no device {} {}(there are {})", device,
                     backend.empty() ? std::string() : "of backend '" + backend + "' ", matching));
  }
  for (const ohal_backend_info_t& info : infos) {
    if (std::string(info.name) == session->properties_.backend) session->backend_info_ = info;
  }
  check(ohal_stream_create(session->device_, OHAL_STREAM_FLAG_NONE, &session->stream_),
        "ohal_stream_create");
  session->load_kernels();
  return session;
}

void HalSession::load_kernels() {
  std::string tried;
  for (const KernelImage& image : kernel_images()) {
    if (!(properties_.kernel_formats & OHAL_FORMAT_BIT(image.format))) continue;
    ohal_module_desc_t desc = OHAL_MODULE_DESC_INIT;
    desc.format = image.format;
    desc.data = image.data;
    desc.size = image.size;
    const ohal_result_t r = ohal_module_load(device_, &desc, &module_);
    if (r == OHAL_SUCCESS) {
      kernel_description_ = fmt::format("{} image, {} bytes, from {}",
                                        kernel_format_name(image.format), image.size, image.origin);
      return;
    }
    module_ = nullptr;
    tried += fmt::format("; {}: {}: {}", kernel_format_name(image.format), ohal_result_string(r),
                         ohal_last_error_message());
  }
  std::string built;
  for (const KernelImage& image : kernel_images()) {
    built += std::string(built.empty() ? "" : ", ") + kernel_format_name(image.format);
  }
  kernel_error_ = fmt::format("no bench kernel image loads on this device (built: {}{})",
                              built.empty() ? "none" : built, tried);
  kernel_description_ = kernel_error_;
}

ohal_kernel_t HalSession::kernel(const char* name) {
  if (!module_) throw BenchUnsupported(kernel_error_);
  ohal_kernel_t k = nullptr;
  check(ohal_module_get_kernel(module_, name, &k), "ohal_module_get_kernel");
  return k;
}

HalSession::~HalSession() {
  // Teardown errors are not reported: the results are already out.
  if (stream_) ohal_stream_destroy(stream_);
  if (module_) ohal_module_unload(module_);
  ohal_shutdown();
}

DeviceBuffer::DeviceBuffer(HalSession& session, size_t bytes, ohal_mem_kind_t kind) {
  check(ohal_mem_alloc(session.device(), bytes, kind, OHAL_MEM_FLAG_NONE, &ptr_), "ohal_mem_alloc");
}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_) ohal_mem_free(ptr_);
}

}  // namespace ohal_bench
