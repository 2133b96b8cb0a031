#include "errors.hpp"

namespace ohal::vk {

namespace {
const ohal_host_services_t* g_host = nullptr;
}

void set_host(const ohal_host_services_t* host) noexcept {
  g_host = host;
}

std::string vk_result_name(VkResult result) {
  switch (result) {
#define OHAL_VK_NAME(code) \
  case code:               \
    return #code;
    OHAL_VK_NAME(VK_SUCCESS)
    OHAL_VK_NAME(VK_NOT_READY)
    OHAL_VK_NAME(VK_TIMEOUT)
    OHAL_VK_NAME(VK_EVENT_SET)
    OHAL_VK_NAME(VK_EVENT_RESET)
    OHAL_VK_NAME(VK_INCOMPLETE)
    OHAL_VK_NAME(VK_ERROR_OUT_OF_HOST_MEMORY)
    OHAL_VK_NAME(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    OHAL_VK_NAME(VK_ERROR_INITIALIZATION_FAILED)
    OHAL_VK_NAME(VK_ERROR_DEVICE_LOST)
    OHAL_VK_NAME(VK_ERROR_MEMORY_MAP_FAILED)
    OHAL_VK_NAME(VK_ERROR_LAYER_NOT_PRESENT)
    OHAL_VK_NAME(VK_ERROR_EXTENSION_NOT_PRESENT)
    OHAL_VK_NAME(VK_ERROR_FEATURE_NOT_PRESENT)
    OHAL_VK_NAME(VK_ERROR_INCOMPATIBLE_DRIVER)
    OHAL_VK_NAME(VK_ERROR_TOO_MANY_OBJECTS)
    OHAL_VK_NAME(VK_ERROR_FORMAT_NOT_SUPPORTED)
    OHAL_VK_NAME(VK_ERROR_FRAGMENTED_POOL)
    OHAL_VK_NAME(VK_ERROR_UNKNOWN)
    OHAL_VK_NAME(VK_ERROR_OUT_OF_POOL_MEMORY)
    OHAL_VK_NAME(VK_ERROR_INVALID_EXTERNAL_HANDLE)
    OHAL_VK_NAME(VK_ERROR_FRAGMENTATION)
    OHAL_VK_NAME(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS)
    OHAL_VK_NAME(VK_PIPELINE_COMPILE_REQUIRED)
    OHAL_VK_NAME(VK_ERROR_SURFACE_LOST_KHR)
    OHAL_VK_NAME(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR)
    OHAL_VK_NAME(VK_SUBOPTIMAL_KHR)
    OHAL_VK_NAME(VK_ERROR_OUT_OF_DATE_KHR)
    OHAL_VK_NAME(VK_ERROR_INCOMPATIBLE_DISPLAY_KHR)
    OHAL_VK_NAME(VK_ERROR_VALIDATION_FAILED_EXT)
    OHAL_VK_NAME(VK_ERROR_INVALID_SHADER_NV)
    OHAL_VK_NAME(VK_ERROR_NOT_PERMITTED_KHR)
    OHAL_VK_NAME(VK_THREAD_IDLE_KHR)
    OHAL_VK_NAME(VK_THREAD_DONE_KHR)
    OHAL_VK_NAME(VK_OPERATION_DEFERRED_KHR)
    OHAL_VK_NAME(VK_OPERATION_NOT_DEFERRED_KHR)
#undef OHAL_VK_NAME
    default:
      return fmt::format("VK_RESULT_{}", static_cast<int>(result));
  }
}

ohal_result_t map_vk_result(VkResult result) {
  switch (result) {
    case VK_SUCCESS:
      return OHAL_SUCCESS;
    case VK_NOT_READY:
      return OHAL_NOT_READY;
    case VK_TIMEOUT:
      return OHAL_ERROR_TIMEOUT;
    case VK_ERROR_OUT_OF_HOST_MEMORY:
      return OHAL_ERROR_OUT_OF_HOST_MEMORY;
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    case VK_ERROR_TOO_MANY_OBJECTS:
    case VK_ERROR_OUT_OF_POOL_MEMORY:
    case VK_ERROR_FRAGMENTATION:
    case VK_ERROR_FRAGMENTED_POOL:
      return OHAL_ERROR_OUT_OF_DEVICE_MEMORY;
    case VK_ERROR_DEVICE_LOST:
      return OHAL_ERROR_DEVICE_LOST;
    case VK_ERROR_EXTENSION_NOT_PRESENT:
    case VK_ERROR_FEATURE_NOT_PRESENT:
    case VK_ERROR_LAYER_NOT_PRESENT:
    case VK_ERROR_FORMAT_NOT_SUPPORTED:
      return OHAL_ERROR_UNSUPPORTED;
    case VK_ERROR_INVALID_SHADER_NV:
      return OHAL_ERROR_INVALID_IMAGE;
    default:
      return OHAL_ERROR_BACKEND;
  }
}

std::string format_vk_error(std::string_view call, VkResult result, std::string_view detail) {
  std::string message =
      fmt::format("{}: {} ({})", call, vk_result_name(result), static_cast<int>(result));
  if (!detail.empty()) message.append("; ").append(detail);
  return message;
}

ohal_result_t fail(ohal_result_t code, const std::string& message) noexcept {
  if (g_host == nullptr || g_host->set_error == nullptr) return code;
  return g_host->set_error(code, message.c_str());
}

ohal_result_t fail_vk(std::string_view call, VkResult result, std::string_view detail) {
  ohal_result_t code = map_vk_result(result);
  if (code == OHAL_SUCCESS || code == OHAL_NOT_READY) code = OHAL_ERROR_BACKEND;
  return fail(code, format_vk_error(call, result, detail));
}

bool log_enabled(ohal_log_level_t level) noexcept {
  if (g_host == nullptr || g_host->log == nullptr) return false;
  if (g_host->log_level == nullptr) return true;
  return static_cast<int>(level) <= static_cast<int>(g_host->log_level());
}

void log(ohal_log_level_t level, const std::string& message) noexcept {
  if (log_enabled(level)) g_host->log(level, "vulkan", message.c_str());
}

}  // namespace ohal::vk
