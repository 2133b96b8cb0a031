#include "ze_state.h"

#include "ze_errors.h"
#include "ze_host_func.h"

namespace ohal::ze {

State& state() {
  static State instance;
  return instance;
}

ohal_result_t fail(ohal_result_t result, const std::string& message) {
  const ohal_host_services_t* host = state().host;
  if (host == nullptr || host->set_error == nullptr) return result;
  return host->set_error(result, message.c_str());
}

ohal_result_t check(ze_result_t result, const char* call) {
  if (result == ZE_RESULT_SUCCESS) return OHAL_SUCCESS;
  if (result == ZE_RESULT_NOT_READY) return OHAL_NOT_READY;
  return fail(map_ze_result(static_cast<uint32_t>(result)),
              format_ze_error(call, static_cast<uint32_t>(result)));
}

void log(ohal_log_level_t level, const std::string& message) {
  const ohal_host_services_t* host = state().host;
  if (host == nullptr || host->log == nullptr) return;
  if (host->log_level != nullptr && host->log_level() < level) return;
  host->log(level, "levelzero", message.c_str());
}

Device::Device() = default;
Device::~Device() = default;

ohal_result_t ZeEventPoolDriver::create_pool(uint32_t capacity, void** pool) {
  ze_event_pool_desc_t desc{};
  desc.stype = ZE_STRUCTURE_TYPE_EVENT_POOL_DESC;
  desc.flags = ZE_EVENT_POOL_FLAG_HOST_VISIBLE;
  if (timestamps_) desc.flags |= ZE_EVENT_POOL_FLAG_KERNEL_TIMESTAMP;
  desc.count = capacity;
  ze_event_pool_handle_t handle = nullptr;
  // No device list: visible to every device of the context's driver.
  const ohal_result_t result = check(
      state().api.zeEventPoolCreate(context_, &desc, 0, nullptr, &handle), "zeEventPoolCreate");
  if (result == OHAL_SUCCESS) *pool = handle;
  return result;
}

ohal_result_t ZeEventPoolDriver::create_event(void* pool, uint32_t index, void** event) {
  ze_event_desc_t desc{};
  desc.stype = ZE_STRUCTURE_TYPE_EVENT_DESC;
  desc.index = index;
  // Host scope: the host waits on these and reads their timestamps.
  desc.signal = ZE_EVENT_SCOPE_FLAG_HOST;
  desc.wait = ZE_EVENT_SCOPE_FLAG_HOST;
  ze_event_handle_t handle = nullptr;
  const ohal_result_t result =
      check(state().api.zeEventCreate(static_cast<ze_event_pool_handle_t>(pool), &desc, &handle),
            "zeEventCreate");
  if (result == OHAL_SUCCESS) *event = handle;
  return result;
}

ohal_result_t ZeEventPoolDriver::reset_event(void* event) {
  return check(state().api.zeEventHostReset(static_cast<ze_event_handle_t>(event)),
               "zeEventHostReset");
}

void ZeEventPoolDriver::destroy_event(void* event) noexcept {
  (void)state().api.zeEventDestroy(static_cast<ze_event_handle_t>(event));
}

void ZeEventPoolDriver::destroy_pool(void* pool) noexcept {
  (void)state().api.zeEventPoolDestroy(static_cast<ze_event_pool_handle_t>(pool));
}

}  // namespace ohal::ze
