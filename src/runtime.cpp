#include "runtime.hpp"

#include <cstdlib>

#include "log.hpp"

namespace ohal {
namespace {

void host_log(ohal_log_level_t level, const char* backend_name, const char* message) {
  log_write(level, backend_name != nullptr ? backend_name : "backend",
            message != nullptr ? message : "");
}

ohal_log_level_t host_log_level() {
  return log_level();
}

ohal_result_t host_set_error(ohal_result_t result, const char* message) {
  return fail(result, message != nullptr ? message : "");
}

const ohal_host_services_t kHostServices = {sizeof(ohal_host_services_t), OHAL_BACKEND_ABI_VERSION,
                                            host_log, host_log_level, host_set_error};

}  // namespace

const ohal_host_services_t* host_services() noexcept {
  return &kHostServices;
}

uint64_t register_object(Object* object) noexcept {
  const uint64_t handle = HandleTable::instance().insert(object->type, object);
  if (handle == 0) fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "no free handle slots");
  object->handle = handle;
  return handle;
}

}  // namespace ohal
