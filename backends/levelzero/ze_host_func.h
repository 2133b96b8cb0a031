// Host functions for Level Zero, which has no native callback: the stream signals a slot when it
// reaches the function and then waits on a second slot; a backend thread waits for the first,
// runs the function and signals the second.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "openai_hal/backend.h"
#include "ze_event_pool.h"

namespace ohal::ze {

struct HostFuncJob {
  EventSlot* reached;  // signaled by the stream once prior work finished
  EventSlot* done;     // signaled here after func returned; the stream waits on it
  EventAllocator* allocator;
  ohal_host_func_t func;
  void* user_data;
};

// One thread per device, started on the first host function. Jobs run in submission order,
// which cannot deadlock: a job only waits for work submitted before it.
class HostFuncWorker {
 public:
  HostFuncWorker();
  ~HostFuncWorker();  // finishes queued jobs, then joins
  HostFuncWorker(const HostFuncWorker&) = delete;
  HostFuncWorker& operator=(const HostFuncWorker&) = delete;
  // The job's references to its two slots pass to the worker.
  void submit(const HostFuncJob& job);

 private:
  void run();
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<HostFuncJob> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ohal::ze
