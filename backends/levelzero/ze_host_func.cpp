#include "ze_host_func.h"

#include <new>
#include <system_error>

#include "ze_entries.h"
#include "ze_errors.h"
#include "ze_state.h"

namespace ohal::ze {

HostFuncWorker::HostFuncWorker() : thread_([this] { run(); }) {}

HostFuncWorker::~HostFuncWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void HostFuncWorker::submit(const HostFuncJob& job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(job);
  }
  wake_.notify_one();
}

void HostFuncWorker::run() {
  const ZeApi& api = state().api;
  for (;;) {
    HostFuncJob job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping with nothing left
      job = jobs_.front();
      jobs_.pop_front();
    }
    const ze_result_t reached =
        api.zeEventHostSynchronize(static_cast<ze_event_handle_t>(job.reached->event), UINT64_MAX);
    if (reached == ZE_RESULT_SUCCESS) {
      job.func(job.user_data);
    } else {
      // The stream failed before the function (device lost): skip it, as CUDA does, and let
      // the stream go on so its sticky error surfaces at the next synchronize.
      log(OHAL_LOG_LEVEL_WARN,
          "host function skipped: " +
              format_ze_error("zeEventHostSynchronize", static_cast<uint32_t>(reached)));
    }
    const ze_result_t signaled =
        api.zeEventHostSignal(static_cast<ze_event_handle_t>(job.done->event));
    if (signaled != ZE_RESULT_SUCCESS) {
      log(OHAL_LOG_LEVEL_ERROR,
          format_ze_error("zeEventHostSignal", static_cast<uint32_t>(signaled)));
    }
    job.allocator->release(job.reached);
    job.allocator->release(job.done);
  }
}

ohal_result_t stream_launch_host_func(ohal_bstream_t handle, ohal_host_func_t func,
                                      void* user_data) {
  Stream& stream = *from_handle<Stream>(handle);
  Device& device = *stream.device;
  EventAllocator& allocator = *device.driver->plain_events;
  HostFuncWorker* worker = nullptr;
  {
    std::lock_guard lock(device.worker_mutex);
    if (!device.worker) {
      try {
        device.worker = std::make_unique<HostFuncWorker>();
      } catch (const std::system_error& error) {
        return fail(
            OHAL_ERROR_OUT_OF_HOST_MEMORY,
            std::string("levelzero: cannot start the host-function thread: ") + error.what());
      } catch (const std::bad_alloc&) {
        return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "levelzero: out of host memory");
      }
    }
    worker = device.worker.get();
  }

  std::lock_guard lock(stream.mutex);
  ohal_result_t result = stream_sticky_locked(stream);
  if (result != OHAL_SUCCESS) return result;
  // reached: a marker the stream signals once prior work finished (extra reference: the job's).
  EventSlot* reached = nullptr;
  result = stream_append_marker_locked(stream, allocator, &reached);
  if (result != OHAL_SUCCESS) return result;
  // done: signaled by the worker; the stream waits on it before any later command.
  EventSlot* done = nullptr;
  result = stream_acquire_slot_locked(stream, allocator, &done);
  if (result == OHAL_SUCCESS) {
    auto native = static_cast<ze_event_handle_t>(done->event);
    result = stream_check_locked(
        stream, state().api.zeCommandListAppendWaitOnEvents(stream.list, 1, &native),
        "zeCommandListAppendWaitOnEvents");
    if (result != OHAL_SUCCESS) allocator.release(done);
  }
  if (result != OHAL_SUCCESS) {
    allocator.release(reached);
    return result;
  }
  ++stream.appended;
  allocator.retain(done);  // the stream's hold; the job keeps the acquired reference
  stream.holds.push_back({done, &allocator, false, stream.appended});
  worker->submit({reached, done, &allocator, func, user_data});
  return OHAL_SUCCESS;
}

}  // namespace ohal::ze
