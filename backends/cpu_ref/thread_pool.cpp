// The worker pool. Workers first help with published jobs (a running launch finishes sooner),
// then take the next ready stream, then spin briefly and sleep.
#include "thread_pool.h"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <new>

#include "stream.h"

namespace ohal::cpu_ref {

namespace {

thread_local Worker* t_worker = nullptr;

constexpr int kIdleSpinMicroseconds = 50;

uint32_t default_worker_count() {
  if (const char* env = std::getenv("OHAL_CPU_REF_THREADS")) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(env, &end, 10);
    if (end != env && *end == '\0' && n >= 1 && n <= 1024) return static_cast<uint32_t>(n);
    log(OHAL_LOG_LEVEL_WARN,
        std::string("ignoring OHAL_CPU_REF_THREADS='") + env + "' (want a number from 1 to 1024)");
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<uint32_t>(n);
  }
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? n : 1;
}

unsigned char* alloc_shared() {
  return static_cast<unsigned char*>(::operator new(kMaxSharedBytes, std::align_val_t(64)));
}

}  // namespace

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#else
  std::this_thread::yield();
#endif
}

Worker::Worker(uint32_t worker_index)
    : index(worker_index), static_shared(alloc_shared()), dynamic_shared(alloc_shared()) {}

Worker::~Worker() {
  ::operator delete(static_shared, std::align_val_t(64));
  ::operator delete(dynamic_shared, std::align_val_t(64));
}

ThreadPool& ThreadPool::instance() {
  static ThreadPool* pool = new ThreadPool();  // never destroyed: workers are joined in stop()
  return *pool;
}

Worker* ThreadPool::current() {
  return t_worker;
}

ohal_result_t ThreadPool::start() {
  if (!workers_.empty()) return OHAL_SUCCESS;
  const uint32_t n = default_worker_count();
  stop_ = false;
  try {
    for (uint32_t i = 0; i < n; ++i) worker_state_.push_back(std::make_unique<Worker>(i));
    for (uint32_t i = 0; i < n; ++i) {
      workers_.emplace_back(&ThreadPool::worker_main, this, worker_state_[i].get());
    }
  } catch (const std::bad_alloc&) {
    stop();
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for the worker pool");
  } catch (const std::system_error& e) {
    stop();
    return set_error(OHAL_ERROR_BACKEND, std::string("cpu_ref: std::thread: ") + e.what() + " (" +
                                             std::to_string(e.code().value()) + ")");
  }
  return OHAL_SUCCESS;
}

void ThreadPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  worker_state_.clear();
  std::lock_guard<std::mutex> lock(mu_);
  ready_.clear();
  jobs_.clear();
  ready_count_.store(0);
  open_jobs_.store(0);
}

void ThreadPool::schedule(std::shared_ptr<Stream> stream) {
  std::lock_guard<std::mutex> lock(mu_);
  ready_.push_back(std::move(stream));
  ready_count_.store(static_cast<uint32_t>(ready_.size()), std::memory_order_release);
  if (sleepers_ > 0) cv_.notify_one();
}

void ThreadPool::run_job(const std::shared_ptr<Job>& job, Worker& self) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(job);
    open_jobs_.store(static_cast<uint32_t>(jobs_.size()), std::memory_order_release);
    if (sleepers_ > 0) cv_.notify_all();
  }
  work_on(job, self);
}

void ThreadPool::work_on(const std::shared_ptr<Job>& job, Worker& self) {
  for (;;) {
    const uint64_t begin = job->next_.fetch_add(job->chunk_, std::memory_order_relaxed);
    if (begin >= job->total_) break;
    const uint64_t end = std::min(begin + job->chunk_, job->total_);
    if (end == job->total_) retire(job);  // the last chunk: idle workers need not look at it
    job->run(begin, end, self);
    if (job->done_.fetch_add(end - begin, std::memory_order_acq_rel) + (end - begin) ==
        job->total_) {
      retire(job);
      job->complete();
      return;
    }
  }
  retire(job);  // every item handed out: stop offering it
}

void ThreadPool::retire(const std::shared_ptr<Job>& job) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find(jobs_.begin(), jobs_.end(), job);
  if (it == jobs_.end()) return;
  jobs_.erase(it);
  open_jobs_.store(static_cast<uint32_t>(jobs_.size()), std::memory_order_release);
}

bool ThreadPool::try_job(Worker& self) {
  if (open_jobs_.load(std::memory_order_acquire) == 0) return false;
  std::shared_ptr<Job> job;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& j : jobs_) {
      if (j->next_.load(std::memory_order_relaxed) < j->total_) {
        job = j;
        break;
      }
    }
  }
  if (!job) return false;
  work_on(job, self);
  return true;
}

std::shared_ptr<Stream> ThreadPool::pop_stream() {
  if (ready_count_.load(std::memory_order_acquire) == 0) return nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  if (ready_.empty()) return nullptr;
  std::shared_ptr<Stream> s = std::move(ready_.front());
  ready_.pop_front();
  ready_count_.store(static_cast<uint32_t>(ready_.size()), std::memory_order_release);
  return s;
}

bool ThreadPool::help_once(Worker& self) {
  if (try_job(self)) return true;
  if (std::shared_ptr<Stream> s = pop_stream()) {
    s->run(self);
    return true;
  }
  return false;
}

void ThreadPool::worker_main(Worker* worker) {
  t_worker = worker;
  for (;;) {
    if (help_once(*worker)) continue;
    if (spin_until([this] { return has_work(); }, kIdleSpinMicroseconds)) continue;
    std::unique_lock<std::mutex> lock(mu_);
    if (stop_) break;
    if (!ready_.empty() || !jobs_.empty()) continue;
    ++sleepers_;
    cv_.wait(lock);
    --sleepers_;
    if (stop_) break;
  }
  worker->fibers.shutdown();  // fibers end on the thread that ran them
  t_worker = nullptr;
}

}  // namespace ohal::cpu_ref
