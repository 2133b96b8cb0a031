// In-order streams: operations are recorded into a command buffer (a batch) and submitted
// together, each submission signalling the next value of the stream's timeline semaphore.
// A batch that must wait for a value nothing has been submitted to signal yet (a host function
// still running, or another stream's batch held back for the same reason) is held on the host
// and submitted once that value's signal is on its way: submitted to a queue shared with other
// streams, it would stall their work behind it (queues run their submissions in order).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "device.hpp"
#include "memory.hpp"

namespace ohal::vk {

// A stream's timeline semaphore. Shared with the events recorded on it, so it outlives the
// stream while an event or a waiting stream still refers to it.
struct Timeline {
  Device& device;
  VkSemaphore semaphore = VK_NULL_HANDLE;
  uint64_t base = 0;  // the counter when this timeline started (semaphores are recycled)
  // Highest value whose signal is submitted to a queue or done by the host: a batch may wait
  // for values up to this without stalling its queue.
  std::atomic<uint64_t> submitted{0};
  // Raises `submitted` to value (never lowers it: a queue submission's store can land after
  // the host signalled later values).
  void mark_submitted(uint64_t value) noexcept;

  static ohal_result_t create(Device& device, std::shared_ptr<Timeline>& out);
  explicit Timeline(Device& d) : device(d) {}
  ~Timeline();
  Timeline(const Timeline&) = delete;
  Timeline& operator=(const Timeline&) = delete;

  // The counter value; sets `result` (error set) when the query fails. When the value last seen
  // is at least `enough`, that value is returned without asking the driver.
  uint64_t completed(ohal_result_t& result, uint64_t enough = UINT64_MAX) const;
  // Blocks until the counter reaches value, then reports a failure recorded at or before it.
  ohal_result_t wait(uint64_t value) const;

  // The stream's sticky failure, from the first value that could not complete.
  void set_failure(uint64_t from_value, ohal_result_t code, const std::string& message);
  // The failure if `value` lies at or after it (error set), else OHAL_SUCCESS.
  ohal_result_t failure_for(uint64_t value) const;
  ohal_result_t failure() const;

 private:
  // Highest counter value seen (it only grows): spares driver calls for finished work.
  mutable std::atomic<uint64_t> seen_{0};
  void saw(uint64_t value) const noexcept;
  std::atomic<bool> failed_{false};  // failure_code_ is set: spares the mutex on success
  mutable std::mutex failure_mutex_;
  uint64_t failed_from_ = 0;
  ohal_result_t failure_code_ = OHAL_SUCCESS;
  std::string failure_message_;
};

class Stream {
 public:
  static ohal_result_t create(Device& device, Stream** out);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Waits for the stream's work, then releases it (returns the sticky error once more).
  static ohal_result_t destroy(Stream* stream);

  ohal_result_t synchronize();
  ohal_result_t query();
  ohal_result_t wait_for(std::shared_ptr<Timeline> timeline, uint64_t value);
  ohal_result_t launch_host_func(ohal_host_func_t func, void* user_data);

  // Flushes and returns the timeline and value that cover all work submitted so far.
  ohal_result_t flush_point(std::shared_ptr<Timeline>& timeline, uint64_t& value);
  // Submits the held batches whose waits can now be met (the device's submitter thread).
  void retry_held();

  Device& device;
  std::shared_ptr<Timeline> timeline;

  // --- recording: call with `mutex` held --------------------------------------------------
  std::mutex mutex;
  // The sticky error (with its message) or OHAL_SUCCESS.
  ohal_result_t sticky_locked() const;
  // Opens (or continues) the batch for one operation named `what`; `barrier` orders it after
  // the previous operation of the batch.
  ohal_result_t begin_locked(const char* what, VkCommandBuffer& cb, bool barrier = true);
  // Ends the operation; submits when the batch is full or the device has nothing of this
  // stream left to run.
  ohal_result_t end_locked();
  // Submits the open batch (and pending event waits). No-op when there is nothing.
  ohal_result_t flush_locked();
  // The value that will be signalled once all submitted work finished.
  uint64_t last_value_locked() const { return last_value_; }
  // Keeps a staging buffer until the open batch completed, then returns it to the pool.
  void attach_locked(Buffer& buffer);
  // Copies data into host-visible memory the open batch may read; its device address.
  ohal_result_t upload_locked(const void* data, size_t size, VkDeviceAddress& address);
  // Nothing recorded, pending or running: the host may touch the stream's memory now.
  bool idle_locked();
  // Waits until `value` completed with the lock released meanwhile.
  ohal_result_t wait_unlocked(std::unique_lock<std::mutex>& lock, uint64_t value);
  // Bytes of staging held by the open and in-flight batches.
  uint64_t staged_bytes_locked() const { return staged_bytes_; }
  // Waits for in-flight batches until at most `limit` staging bytes are held.
  ohal_result_t throttle_staging_unlocked(std::unique_lock<std::mutex>& lock, uint64_t limit);

 private:
  Stream(Device& d, Queue& q) : device(d), queue_(q) {}

  using Wait = std::pair<std::shared_ptr<Timeline>, uint64_t>;
  struct Batch {
    VkCommandBuffer cb = VK_NULL_HANDLE;
    uint64_t value = 0;
    std::vector<Buffer> buffers;
    uint64_t buffer_bytes = 0;
    // The points it waits for; their timelines stay alive until it completed.
    std::vector<Wait> waits;
  };
  struct HostFunc {
    uint64_t wait_value;
    uint64_t signal_value;
    ohal_host_func_t func;
    void* user_data;
  };

  void set_sticky_locked(ohal_result_t code, const std::string& message, uint64_t from_value);
  // Submits held batches in order while their waits are met; registers the stream with the
  // device's submitter when one must stay held.
  ohal_result_t submit_held_locked();
  static bool ready(const Batch& batch);
  void set_held_locked(bool held);
  // After a failure: held batches will never run; their values are signalled from the host so
  // that nothing waits for them forever (the failure is recorded first).
  void abandon_held_locked() noexcept;
  void retire_locked();
  void memory_barrier(VkCommandBuffer cb) const;
  void recycle(Batch& batch);
  void host_func_loop();

  static constexpr uint32_t kMaxOpsPerBatch = 64;
  static constexpr uint64_t kArenaSize = 64u << 10;

  Queue& queue_;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  std::vector<VkCommandBuffer> free_cbs_;
  Batch open_;
  uint32_t open_ops_ = 0;
  bool need_barrier_ = false;
  std::string last_op_;
  std::deque<Batch> inflight_;
  std::deque<Batch> held_;  // flushed, not yet submitted (in order)
  bool registered_held_ = false;
  uint64_t last_value_ = 0;
  // last_value_ is signalled by something other than a command batch of this queue (a host
  // function, or a submission of event waits only): the next batch waits for it. Batches that
  // follow batches are ordered by queue submission order and a barrier instead.
  bool wait_last_value_ = false;
  uint64_t staged_bytes_ = 0;
  std::vector<Wait> waits_;
  Buffer arena_;
  uint64_t arena_used_ = 0;
  ohal_result_t sticky_ = OHAL_SUCCESS;
  std::string sticky_message_;

  // Host functions run in order on one thread per stream (made on first use).
  std::thread worker_;
  std::mutex worker_mutex_;
  std::condition_variable worker_cv_;
  std::deque<HostFunc> host_funcs_;
  bool worker_stop_ = false;
};

inline Stream* to_stream(ohal_bstream_t handle) {
  return reinterpret_cast<Stream*>(handle);
}
inline ohal_bstream_t to_handle(Stream* stream) {
  return reinterpret_cast<ohal_bstream_t>(stream);
}

}  // namespace ohal::vk
