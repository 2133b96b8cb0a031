// A backend plugin driven through its function table with no front-end in between: the baseline
// for the front-end's per-call overhead.
#ifndef OHAL_BENCH_DIRECT_BACKEND_H
#define OHAL_BENCH_DIRECT_BACKEND_H

#include <memory>
#include <string>

#include "op.h"
#include "openai_hal/backend.h"

namespace ohal_bench {

class DirectBackend {
 public:
  // Loads a private copy of the plugin file at `path` (through a memfd, so that its state is
  // separate from the instance the front-end loaded), calls ohal_backend_entry with a stub
  // host-services table, init() and device_get(device_index). Throws BenchError.
  static std::unique_ptr<DirectBackend> load(const std::string& path, uint32_t device_index);
  ~DirectBackend();
  DirectBackend(const DirectBackend&) = delete;
  DirectBackend& operator=(const DirectBackend&) = delete;

  const ohal_backend_t& table() const { return *table_; }
  ohal_bdevice_t device() const { return device_; }

 private:
  DirectBackend() = default;
  const ohal_backend_t* table_ = nullptr;
  ohal_bdevice_t device_ = nullptr;
  bool initialized_ = false;
};

// Throws BenchError with the plugin's set_error message unless r is OHAL_SUCCESS.
void check_direct(ohal_result_t r, const char* call);

// The table's stream_query on an idle stream created through the table.
std::unique_ptr<Op> direct_stream_query(DirectBackend& backend);
// The table's event_query on a completed event created and recorded through the table.
std::unique_ptr<Op> direct_event_query(DirectBackend& backend);

}  // namespace ohal_bench

#endif  // OHAL_BENCH_DIRECT_BACKEND_H
