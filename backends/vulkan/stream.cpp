#include "stream.hpp"

#include <cstring>

namespace ohal::vk {

// --- Timeline ---------------------------------------------------------------------------------

ohal_result_t Timeline::create(Device& device, std::shared_ptr<Timeline>& out) {
  auto t = std::make_shared<Timeline>(device);
  if (ohal_result_t r = device.acquire_semaphore(t->semaphore, t->base); r != OHAL_SUCCESS) {
    t->semaphore = VK_NULL_HANDLE;
    return r;
  }
  t->submitted.store(t->base);
  t->saw(t->base);
  out = std::move(t);
  return OHAL_SUCCESS;
}

Timeline::~Timeline() {
  if (semaphore == VK_NULL_HANDLE) return;
  uint64_t value = 0;
  if (device.fn.vkGetSemaphoreCounterValue(device.device, semaphore, &value) != VK_SUCCESS) {
    // A lost device: the semaphore cannot be trusted again.
    device.fn.vkDestroySemaphore(device.device, semaphore, nullptr);
    return;
  }
  device.release_semaphore(semaphore, value);
}

void Timeline::mark_submitted(uint64_t value) noexcept {
  uint64_t seen = submitted.load();
  // seq_cst: pairs with the held-stream registration (Device::kick).
  while (seen < value && !submitted.compare_exchange_weak(seen, value)) {
  }
}

void Timeline::saw(uint64_t value) const noexcept {
  uint64_t seen = seen_.load(std::memory_order_relaxed);
  while (seen < value && !seen_.compare_exchange_weak(seen, value, std::memory_order_release,
                                                      std::memory_order_relaxed)) {
  }
}

uint64_t Timeline::completed(ohal_result_t& result, uint64_t enough) const {
  // Acquire: another thread saw the value through the driver after the work's writes.
  const uint64_t seen = seen_.load(std::memory_order_acquire);
  result = OHAL_SUCCESS;
  if (seen >= enough) return seen;
  uint64_t value = 0;
  VkResult r = device.fn.vkGetSemaphoreCounterValue(device.device, semaphore, &value);
  if (r != VK_SUCCESS) {
    result = device.vk_fail("vkGetSemaphoreCounterValue", r);
    return value;
  }
  saw(value);
  return value;
}

ohal_result_t Timeline::wait(uint64_t value) const {
  if (value == 0 || seen_.load(std::memory_order_acquire) >= value) return failure_for(value);
  auto info = vk_struct<VkSemaphoreWaitInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO);
  info.semaphoreCount = 1;
  info.pSemaphores = &semaphore;
  info.pValues = &value;
  VkResult r = device.fn.vkWaitSemaphores(device.device, &info, UINT64_MAX);
  if (r != VK_SUCCESS) return device.vk_fail("vkWaitSemaphores", r);
  saw(value);
  return failure_for(value);
}

void Timeline::set_failure(uint64_t from_value, ohal_result_t code, const std::string& message) {
  std::lock_guard<std::mutex> lock(failure_mutex_);
  if (failure_code_ != OHAL_SUCCESS) return;
  failed_from_ = from_value;
  failure_code_ = code;
  failure_message_ = message;
  failed_.store(true, std::memory_order_release);
}

ohal_result_t Timeline::failure_for(uint64_t value) const {
  if (!failed_.load(std::memory_order_acquire)) return OHAL_SUCCESS;
  std::lock_guard<std::mutex> lock(failure_mutex_);
  if (failure_code_ == OHAL_SUCCESS || value < failed_from_) return OHAL_SUCCESS;
  return fail(failure_code_, failure_message_);
}

ohal_result_t Timeline::failure() const {
  std::lock_guard<std::mutex> lock(failure_mutex_);
  if (failure_code_ == OHAL_SUCCESS) return OHAL_SUCCESS;
  return fail(failure_code_, failure_message_);
}

// --- Stream -----------------------------------------------------------------------------------

ohal_result_t Stream::create(Device& device, Stream** out) {
  if (ohal_result_t lost = device.check_lost(); lost != OHAL_SUCCESS) return lost;
  std::unique_ptr<Stream> s(new Stream(device, device.next_queue()));
  if (ohal_result_t r = Timeline::create(device, s->timeline); r != OHAL_SUCCESS) return r;
  auto info = vk_struct<VkCommandPoolCreateInfo>(VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
  info.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  info.queueFamilyIndex = device.queue_family;
  VkResult r = device.fn.vkCreateCommandPool(device.device, &info, nullptr, &s->pool_);
  if (r != VK_SUCCESS) {
    s->pool_ = VK_NULL_HANDLE;
    return device.vk_fail("vkCreateCommandPool", r);
  }
  s->last_value_ = s->timeline->base;
  device.add_stream(s.get());
  *out = s.release();
  return OHAL_SUCCESS;
}

Stream::~Stream() {
  device.remove_stream(this);
  {
    std::lock_guard<std::mutex> lock(worker_mutex_);
    worker_stop_ = true;
  }
  worker_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  {
    std::lock_guard<std::mutex> lock(mutex);
    abandon_held_locked();  // only after a failure: destroy synchronized first
  }
  for (Batch& b : inflight_) recycle(b);
  inflight_.clear();
  recycle(open_);
  device.staging.release(arena_);
  for (VkCommandBuffer cb : free_cbs_) device.fn.vkFreeCommandBuffers(device.device, pool_, 1, &cb);
  if (pool_ != VK_NULL_HANDLE) device.fn.vkDestroyCommandPool(device.device, pool_, nullptr);
}

ohal_result_t Stream::destroy(Stream* stream) {
  ohal_result_t result = stream->synchronize();
  delete stream;
  return result;
}

ohal_result_t Stream::sticky_locked() const {
  if (sticky_ == OHAL_SUCCESS) return device.check_lost();
  return fail(sticky_, sticky_message_);
}

void Stream::set_sticky_locked(ohal_result_t code, const std::string& message,
                               uint64_t from_value) {
  if (sticky_ != OHAL_SUCCESS) return;
  // Native failures of submitted work surface as LAUNCH_FAILED unless the device is gone.
  sticky_ = code == OHAL_ERROR_DEVICE_LOST ? code : OHAL_ERROR_LAUNCH_FAILED;
  sticky_message_ = message;
  timeline->set_failure(from_value, sticky_, message);
}

void Stream::recycle(Batch& batch) {
  if (batch.cb != VK_NULL_HANDLE) {
    device.fn.vkResetCommandBuffer(batch.cb, 0);
    free_cbs_.push_back(batch.cb);
    batch.cb = VK_NULL_HANDLE;
  }
  for (Buffer& b : batch.buffers) device.staging.release(b);
  batch.waits.clear();
  staged_bytes_ -= std::min(staged_bytes_, batch.buffer_bytes);
  batch.buffers.clear();
  batch.buffer_bytes = 0;
}

void Stream::retire_locked() {
  if (inflight_.empty()) return;
  ohal_result_t r = OHAL_SUCCESS;
  const uint64_t done = timeline->completed(r, inflight_.back().value);
  if (r != OHAL_SUCCESS) return;
  while (!inflight_.empty() && inflight_.front().value <= done) {
    recycle(inflight_.front());
    inflight_.pop_front();
  }
}

void Stream::memory_barrier(VkCommandBuffer cb) const {
  auto mb = vk_struct<VkMemoryBarrier>(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
  mb.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  mb.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
                     VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  const VkPipelineStageFlags stages =
      VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
  device.fn.vkCmdPipelineBarrier(cb, stages, stages, 0, 1, &mb, 0, nullptr, 0, nullptr);
}

ohal_result_t Stream::begin_locked(const char* what, VkCommandBuffer& cb, bool barrier) {
  if (ohal_result_t r = sticky_locked(); r != OHAL_SUCCESS) return r;
  if (open_.cb == VK_NULL_HANDLE) {
    if (free_cbs_.empty()) retire_locked();
    if (free_cbs_.empty()) {
      auto info =
          vk_struct<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
      info.commandPool = pool_;
      info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
      info.commandBufferCount = 1;
      VkCommandBuffer fresh = VK_NULL_HANDLE;
      VkResult r = device.fn.vkAllocateCommandBuffers(device.device, &info, &fresh);
      if (r != VK_SUCCESS) return device.vk_fail("vkAllocateCommandBuffers", r);
      free_cbs_.push_back(fresh);
    }
    VkCommandBuffer next = free_cbs_.back();
    auto begin = vk_struct<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VkResult r = device.fn.vkBeginCommandBuffer(next, &begin);
    if (r != VK_SUCCESS) return device.vk_fail("vkBeginCommandBuffer", r);
    free_cbs_.pop_back();
    open_.cb = next;
    open_ops_ = 0;
    // Order after earlier batches of the queue (submission order): their writes become
    // visible to this batch's commands.
    memory_barrier(open_.cb);
    need_barrier_ = false;
  }
  // Streams are in order and kernels reach memory through raw addresses, so every operation
  // depends on the previous one: one global memory barrier between them.
  if (barrier && need_barrier_) memory_barrier(open_.cb);
  last_op_ = what;
  cb = open_.cb;
  return OHAL_SUCCESS;
}

ohal_result_t Stream::end_locked() {
  need_barrier_ = true;
  if (++open_ops_ >= kMaxOpsPerBatch) return flush_locked();
  // Held batches ahead: this one would be held too, so keep filling it.
  if (!held_.empty()) return OHAL_SUCCESS;
  // Submit at once when this stream has nothing running: the device starts early, and later
  // operations batch up behind it while it works.
  ohal_result_t r = OHAL_SUCCESS;
  if (inflight_.empty() || timeline->completed(r, last_value_) >= last_value_)
    return flush_locked();
  return OHAL_SUCCESS;
}

ohal_result_t Stream::flush_locked() {
  if (open_.cb == VK_NULL_HANDLE && waits_.empty()) return OHAL_SUCCESS;
  if (ohal_result_t r = sticky_locked(); r != OHAL_SUCCESS) {
    recycle(open_);
    waits_.clear();
    return r;
  }
  if (arena_used_ > 0) {
    attach_locked(arena_);
    arena_used_ = 0;
  }
  if (open_.cb != VK_NULL_HANDLE) {
    // Make the batch's writes visible to the host once the semaphore is seen signalled.
    auto mb = vk_struct<VkMemoryBarrier>(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
    mb.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    mb.dstAccessMask = VK_ACCESS_HOST_READ_BIT | VK_ACCESS_HOST_WRITE_BIT;
    device.fn.vkCmdPipelineBarrier(
        open_.cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
        VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0, nullptr, 0, nullptr);
    VkResult r = device.fn.vkEndCommandBuffer(open_.cb);
    if (r != VK_SUCCESS) {
      ohal_result_t code = device.vk_fail("vkEndCommandBuffer", r);
      set_sticky_locked(code, format_vk_error("vkEndCommandBuffer", r, "recording " + last_op_),
                        last_value_ + 1);
      recycle(open_);
      waits_.clear();
      return sticky_locked();
    }
  }
  Batch batch = std::move(open_);
  open_ = Batch{};
  open_ops_ = 0;
  need_barrier_ = false;
  batch.value = last_value_ + 1;
  // Wait for a host function or wait-only submission before it, and for the events other
  // streams recorded.
  if (wait_last_value_ && last_value_ > timeline->base)
    batch.waits.emplace_back(timeline, last_value_);
  for (Wait& w : waits_) batch.waits.push_back(std::move(w));
  waits_.clear();
  // The value is handed out now, submitted or held: waits for it are valid either way.
  last_value_ = batch.value;
  // A submission without commands orders nothing after it on the queue: the next one waits.
  wait_last_value_ = batch.cb == VK_NULL_HANDLE;
  held_.push_back(std::move(batch));
  return submit_held_locked();
}

bool Stream::ready(const Batch& batch) {
  for (const auto& [t, value] : batch.waits)
    if (t->submitted.load() < value) return false;
  return true;
}

void Stream::set_held_locked(bool held) {
  if (held == registered_held_) return;
  if (device.set_held(this, held) == OHAL_SUCCESS) registered_held_ = held;
}

ohal_result_t Stream::submit_held_locked() {
  if (ohal_result_t r = sticky_locked(); r != OHAL_SUCCESS) {
    abandon_held_locked();
    return r;
  }
  while (!held_.empty()) {
    Batch& b = held_.front();
    if (!ready(b)) {
      if (registered_held_) return OHAL_SUCCESS;
      set_held_locked(true);
      if (!registered_held_) {
        // No submitter thread: nothing would ever submit it.
        set_sticky_locked(OHAL_ERROR_OUT_OF_HOST_MEMORY,
                          "no thread could be started to submit work held behind a host "
                          "function (last operation: " +
                              last_op_ + ")",
                          b.value);
        abandon_held_locked();
        return sticky_locked();
      }
      // A value may have become submitted before the registration was visible: look again.
      if (!ready(b)) return OHAL_SUCCESS;
    }
    std::vector<VkSemaphore> wait_semaphores;
    std::vector<uint64_t> wait_values;
    for (const auto& [t, v] : b.waits) {
      wait_semaphores.push_back(t->semaphore);
      wait_values.push_back(v);
    }
    const std::vector<VkPipelineStageFlags> wait_stages(wait_semaphores.size(),
                                                        VK_PIPELINE_STAGE_ALL_COMMANDS_BIT);
    auto timeline_info =
        vk_struct<VkTimelineSemaphoreSubmitInfo>(VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO);
    timeline_info.waitSemaphoreValueCount = static_cast<uint32_t>(wait_values.size());
    timeline_info.pWaitSemaphoreValues = wait_values.data();
    timeline_info.signalSemaphoreValueCount = 1;
    timeline_info.pSignalSemaphoreValues = &b.value;
    auto submit = vk_struct<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
    submit.pNext = &timeline_info;
    submit.waitSemaphoreCount = static_cast<uint32_t>(wait_semaphores.size());
    submit.pWaitSemaphores = wait_semaphores.data();
    submit.pWaitDstStageMask = wait_stages.data();
    submit.commandBufferCount = b.cb != VK_NULL_HANDLE ? 1 : 0;
    submit.pCommandBuffers = &b.cb;
    submit.signalSemaphoreCount = 1;
    submit.pSignalSemaphores = &timeline->semaphore;
    VkResult r;
    {
      std::lock_guard<std::mutex> lock(queue_.mutex);
      r = device.fn.vkQueueSubmit(queue_.queue, 1, &submit, VK_NULL_HANDLE);
    }
    if (r != VK_SUCCESS) {
      ohal_result_t code = device.vk_fail("vkQueueSubmit", r);
      set_sticky_locked(code, format_vk_error("vkQueueSubmit", r, "submitting " + last_op_),
                        b.value);
      abandon_held_locked();
      return sticky_locked();
    }
    timeline->mark_submitted(b.value);
    inflight_.push_back(std::move(b));
    held_.pop_front();
    device.kick();  // batches of other streams may wait for this value
  }
  set_held_locked(false);
  return OHAL_SUCCESS;
}

void Stream::abandon_held_locked() noexcept {
  if (held_.empty()) {
    set_held_locked(false);
    return;
  }
  const uint64_t first = held_.front().value, last = held_.back().value;
  if (sticky_ == OHAL_SUCCESS) {
    sticky_ = OHAL_ERROR_LAUNCH_FAILED;
    sticky_message_ =
        "work held for a failed dependency was dropped (last operation: " + last_op_ + ")";
  }
  timeline->set_failure(first, sticky_, sticky_message_);
  // A host signal must not pass a pending queue signal: let the submitted batches finish.
  if (!inflight_.empty()) (void)timeline->wait(inflight_.back().value);
  for (Batch& b : held_) recycle(b);
  held_.clear();
  ohal_result_t r = OHAL_SUCCESS;
  if (timeline->completed(r) < last && r == OHAL_SUCCESS) {
    auto signal = vk_struct<VkSemaphoreSignalInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO);
    signal.semaphore = timeline->semaphore;
    signal.value = last;
    if (device.fn.vkSignalSemaphore(device.device, &signal) != VK_SUCCESS) {
      logf(OHAL_LOG_LEVEL_ERROR, "vkSignalSemaphore failed: waits for value {} may hang", last);
    }
  }
  timeline->mark_submitted(last);
  device.kick();
  set_held_locked(false);
}

void Stream::retry_held() {
  std::lock_guard<std::mutex> lock(mutex);
  if (held_.empty()) return;
  if (submit_held_locked() != OHAL_SUCCESS) return;
  // Everything went: what was recorded behind the held batches goes too.
  if (held_.empty() && open_.cb != VK_NULL_HANDLE) (void)flush_locked();
}

void Stream::attach_locked(Buffer& buffer) {
  staged_bytes_ += buffer.size;
  open_.buffer_bytes += buffer.size;
  open_.buffers.push_back(buffer);
  buffer = Buffer{};
}

ohal_result_t Stream::upload_locked(const void* data, size_t size, VkDeviceAddress& address) {
  const uint64_t rounded = (uint64_t{size} + 15) & ~uint64_t{15};
  if (rounded > kArenaSize / 2) {
    Buffer b;
    if (ohal_result_t r = device.staging.acquire(rounded, b); r != OHAL_SUCCESS) return r;
    std::memcpy(b.map, data, size);
    address = b.address;
    attach_locked(b);
    return OHAL_SUCCESS;
  }
  if (arena_.buffer != VK_NULL_HANDLE && arena_used_ + rounded > arena_.size) {
    // Full: it goes with the open batch, a fresh one takes over.
    arena_used_ = 0;
    attach_locked(arena_);
  }
  if (arena_.buffer == VK_NULL_HANDLE) {
    if (ohal_result_t r = device.staging.acquire(kArenaSize, arena_); r != OHAL_SUCCESS) return r;
    arena_used_ = 0;
  }
  std::memcpy(static_cast<char*>(arena_.map) + arena_used_, data, size);
  address = arena_.address + arena_used_;
  arena_used_ += rounded;
  return OHAL_SUCCESS;
}

bool Stream::idle_locked() {
  if (open_.cb != VK_NULL_HANDLE || !waits_.empty()) return false;
  if (last_value_ == timeline->base) return true;
  ohal_result_t r = OHAL_SUCCESS;
  const bool done = timeline->completed(r, last_value_) >= last_value_ && r == OHAL_SUCCESS;
  if (done) retire_locked();
  return done;
}

ohal_result_t Stream::wait_unlocked(std::unique_lock<std::mutex>& lock, uint64_t value) {
  lock.unlock();
  ohal_result_t r = timeline->wait(value);
  lock.lock();
  if (r != OHAL_SUCCESS) {
    if (r == OHAL_ERROR_DEVICE_LOST) {
      set_sticky_locked(
          r, "the device was lost while the stream's work ran (last operation: " + last_op_ + ")",
          value);
    }
    return sticky_ != OHAL_SUCCESS ? sticky_locked() : r;
  }
  retire_locked();
  return sticky_locked();
}

ohal_result_t Stream::throttle_staging_unlocked(std::unique_lock<std::mutex>& lock,
                                                uint64_t limit) {
  while (staged_bytes_ > limit) {
    if (inflight_.empty() && held_.empty()) {
      if (ohal_result_t r = flush_locked(); r != OHAL_SUCCESS) return r;
      if (inflight_.empty() && held_.empty()) return OHAL_SUCCESS;
    }
    // The oldest batch, submitted or still held (then this waits for its dependency too).
    const uint64_t oldest = !inflight_.empty() ? inflight_.front().value : held_.front().value;
    if (ohal_result_t r = wait_unlocked(lock, oldest); r != OHAL_SUCCESS) return r;
  }
  return OHAL_SUCCESS;
}

ohal_result_t Stream::synchronize() {
  std::unique_lock<std::mutex> lock(mutex);
  if (ohal_result_t r = flush_locked(); r != OHAL_SUCCESS) return r;
  if (last_value_ == timeline->base) return sticky_locked();
  return wait_unlocked(lock, last_value_);
}

ohal_result_t Stream::query() {
  std::lock_guard<std::mutex> lock(mutex);
  if (ohal_result_t r = flush_locked(); r != OHAL_SUCCESS) return r;
  if (ohal_result_t r = sticky_locked(); r != OHAL_SUCCESS) return r;
  ohal_result_t r = OHAL_SUCCESS;
  const uint64_t done = timeline->completed(r, last_value_);
  if (r != OHAL_SUCCESS) {
    set_sticky_locked(r, "vkGetSemaphoreCounterValue failed (last operation: " + last_op_ + ")",
                      done + 1);
    return sticky_locked();
  }
  if (done < last_value_) return OHAL_NOT_READY;
  retire_locked();
  return OHAL_SUCCESS;
}

ohal_result_t Stream::flush_point(std::shared_ptr<Timeline>& t, uint64_t& value) {
  std::lock_guard<std::mutex> lock(mutex);
  ohal_result_t r = flush_locked();
  t = timeline;
  value = last_value_;
  return r;
}

ohal_result_t Stream::wait_for(std::shared_ptr<Timeline> t, uint64_t value) {
  std::lock_guard<std::mutex> lock(mutex);
  if (ohal_result_t r = sticky_locked(); r != OHAL_SUCCESS) return r;
  if (value == 0 || t == timeline) return OHAL_SUCCESS;  // in order already
  ohal_result_t r = OHAL_SUCCESS;
  if (t->completed(r, value) >= value && r == OHAL_SUCCESS) return OHAL_SUCCESS;
  // Submit what came before the wait, so only later work waits (no false dependencies).
  if (ohal_result_t f = flush_locked(); f != OHAL_SUCCESS) return f;
  for (auto& [existing, v] : waits_) {
    if (existing == t) {
      v = std::max(v, value);
      return OHAL_SUCCESS;
    }
  }
  waits_.emplace_back(std::move(t), value);
  return OHAL_SUCCESS;
}

ohal_result_t Stream::launch_host_func(ohal_host_func_t func, void* user_data) {
  std::lock_guard<std::mutex> lock(mutex);
  if (ohal_result_t r = flush_locked(); r != OHAL_SUCCESS) return r;
  if (ohal_result_t r = sticky_locked(); r != OHAL_SUCCESS) return r;
  HostFunc item{last_value_, last_value_ + 1, func, user_data};
  {
    std::lock_guard<std::mutex> worker_lock(worker_mutex_);
    if (!worker_.joinable()) {
      try {
        worker_ = std::thread([this] { host_func_loop(); });
      } catch (const std::system_error& e) {
        return failf(OHAL_ERROR_OUT_OF_HOST_MEMORY, "std::thread for host functions: {}", e.what());
      }
    }
    host_funcs_.push_back(item);
  }
  // The host signals this value after func returned; later batches wait for it.
  last_value_ = item.signal_value;
  wait_last_value_ = true;
  worker_cv_.notify_one();
  return OHAL_SUCCESS;
}

void Stream::host_func_loop() {
  for (;;) {
    HostFunc item;
    {
      std::unique_lock<std::mutex> lock(worker_mutex_);
      worker_cv_.wait(lock, [this] { return worker_stop_ || !host_funcs_.empty(); });
      if (host_funcs_.empty()) return;
      item = host_funcs_.front();
      host_funcs_.pop_front();
    }
    ohal_result_t r = timeline->wait(item.wait_value);
    if (r == OHAL_SUCCESS) {
      item.func(item.user_data);
    } else {
      logf(OHAL_LOG_LEVEL_WARN, "host function skipped: the stream failed before it");
    }
    auto signal = vk_struct<VkSemaphoreSignalInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO);
    signal.semaphore = timeline->semaphore;
    signal.value = item.signal_value;
    VkResult s = device.fn.vkSignalSemaphore(device.device, &signal);
    if (s == VK_SUCCESS) {
      timeline->mark_submitted(item.signal_value);
      device.kick();  // batches held for this value can go now
    } else {
      ohal_result_t code = device.vk_fail("vkSignalSemaphore", s);
      std::lock_guard<std::mutex> lock(mutex);
      set_sticky_locked(code, format_vk_error("vkSignalSemaphore", s, "after a host function"),
                        item.signal_value);
      abandon_held_locked();  // what waited for this function will never be submitted
    }
  }
}

}  // namespace ohal::vk
