// Launches. A block runs on one worker: its threads as a plain loop inside the image's entry,
// switched to fibers only when thread 0 reaches a barrier (fibers.h). A failure (ohal_trap, a
// divergent barrier, a C++ exception out of a kernel) fails the launch, skips the blocks not
// yet started and makes the stream sticky.
#include "launch.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>

#include "module.h"
#include "stream.h"
#include "thread_pool.h"

namespace ohal::cpu_ref {

namespace {

struct AlignedFree {
  void operator()(unsigned char* p) const {
    ::operator delete(p, std::align_val_t(OHAL_CPU_ARGS_ALIGN));
  }
};

// One launch, shared by its stream operation and its job.
struct Launch {
  Kernel* kernel = nullptr;
  uint32_t grid[3] = {1, 1, 1};
  uint32_t block[3] = {1, 1, 1};
  uint32_t shared_bytes = 0;
  uint32_t threads = 1;
  uint64_t blocks = 1;
  std::unique_ptr<unsigned char, AlignedFree> args;
  std::atomic<bool> failed{false};
  std::mutex mu;
  std::string message;  // first failure, under mu

  void fail(const std::string& why) {
    std::lock_guard<std::mutex> lock(mu);
    if (failed.load(std::memory_order_relaxed)) return;
    message = "ohal_launch of kernel '" + kernel->name + "' failed: " + why;
    failed.store(true, std::memory_order_release);
  }
};

// What a block's callbacks reach through ohal_cpu_block_t::runtime.
struct BlockRuntime {
  Launch* launch;
  Worker* worker;
};

std::string triple(uint32_t x, uint32_t y, uint32_t z) {
  char text[40];  // snprintf: GCC 12 warns falsely (-Wrestrict) on chained string operator+
  std::snprintf(text, sizeof text, "(%u,%u,%u)", x, y, z);
  return text;
}

std::string where(const ohal_cpu_block_t* b, uint32_t thread) {
  const uint32_t dx = b->block_dim[0], dy = b->block_dim[1];
  return "block " + triple(b->block_idx[0], b->block_idx[1], b->block_idx[2]) + ", thread " +
         triple(thread % dx, (thread / dx) % dy, thread / (dx * dy));
}

void on_barrier(ohal_cpu_block_t* b, uint32_t thread) {
  auto* rt = static_cast<BlockRuntime*>(b->runtime);
  FiberSet& fibers = rt->worker->fibers;
  if (b->fiber_mode == 0) {
    if (thread != 0) {
      // Thread 0 ended without this barrier, so the threads before this one never meet it.
      rt->launch->fail("divergent ohal_barrier(): " + where(b, thread) +
                       " reached a barrier that thread 0 finished without");
      throw BlockAbort{};
    }
    if (rt->launch->threads == 1) return;
    if (!fibers.start(b, rt->launch->kernel->desc->entry, rt->launch->args.get(),
                      rt->launch->threads)) {
      rt->launch->fail("no memory for " + std::to_string(rt->launch->threads) +
                       " fiber stacks (mmap failed)");
      throw BlockAbort{};
    }
    b->fiber_mode = 1;
  }
  fibers.barrier();
}

void on_trap(ohal_cpu_block_t* b, uint32_t thread, const char* reason) {
  auto* rt = static_cast<BlockRuntime*>(b->runtime);
  rt->launch->fail(std::string(reason != nullptr ? reason : "trap") + " in " + where(b, thread));
  if (rt->worker->fibers.active()) rt->worker->fibers.abort();
  throw BlockAbort{};
}

void on_finish(ohal_cpu_block_t* b) {
  static_cast<BlockRuntime*>(b->runtime)->worker->fibers.finish();
}

// Runs on the worker's kernel stack (see FiberSet::run).
void run_blocks(Launch& l, uint64_t begin, uint64_t end, Worker& worker) {
  BlockRuntime rt{&l, &worker};
  ohal_cpu_block_t b;
  std::memset(&b, 0, sizeof b);
  for (int i = 0; i < 3; ++i) {
    b.block_dim[i] = l.block[i];
    b.grid_dim[i] = l.grid[i];
  }
  b.static_shared = worker.static_shared;
  b.dynamic_shared = worker.dynamic_shared;
  b.barrier = on_barrier;
  b.trap = on_trap;
  b.finish = on_finish;
  b.runtime = &rt;
  const ohal_cpu_entry_fn entry = l.kernel->desc->entry;
  const void* args = l.args.get();
  const uint64_t gx = l.grid[0], gxy = uint64_t{l.grid[0]} * l.grid[1];
  FiberSet& fibers = worker.fibers;
  for (uint64_t i = begin; i < end; ++i) {
    if (l.failed.load(std::memory_order_relaxed)) break;  // the launch failed: skip the rest
    b.block_idx[0] = static_cast<uint32_t>(i % gx);
    b.block_idx[1] = static_cast<uint32_t>((i / gx) % l.grid[1]);
    b.block_idx[2] = static_cast<uint32_t>(i / gxy);
    b.fiber_mode = 0;
    try {
      entry(&b, args, 0, OHAL_CPU_RUN_BLOCK);
    } catch (const BlockAbort&) {
      // Thread 0 (on this stack) was abandoned; the others end on their fibers.
      if (fibers.active()) fibers.finish();
    } catch (...) {
      l.fail("a C++ exception left the kernel in " + where(&b, 0));
      if (fibers.active()) {
        fibers.abort();
        fibers.finish();
      }
    }
    if (fibers.foreign_exception()) {
      l.fail("a C++ exception left the kernel in block " +
             triple(b.block_idx[0], b.block_idx[1], b.block_idx[2]));
    }
  }
}

struct BlockRange {
  Launch* launch;
  uint64_t begin, end;
  Worker* worker;
};

void run_range(void* p) {
  auto* r = static_cast<BlockRange*>(p);
  run_blocks(*r->launch, r->begin, r->end, *r->worker);
}

// Runs blocks [begin, end) of the launch on this worker.
void run_on_worker(Launch& l, uint64_t begin, uint64_t end, Worker& worker) {
  BlockRange range{&l, begin, end, &worker};
  if (!worker.fibers.run(run_range, &range)) l.fail("no memory for a kernel stack (mmap failed)");
}

// The launch's blocks ran (or were skipped): its failure makes the stream sticky.
void finish_launch(Launch& l, Stream& stream) {
  if (l.failed.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(l.mu);
    stream.fail(OHAL_ERROR_LAUNCH_FAILED, l.message);
  }
}

class LaunchJob final : public Job {
 public:
  LaunchJob(std::shared_ptr<Launch> l, std::shared_ptr<Stream> stream, uint64_t chunk)
      : Job(l->blocks, chunk), launch_(std::move(l)), stream_(std::move(stream)) {}
  void run(uint64_t begin, uint64_t end, Worker& worker) override {
    run_on_worker(*launch_, begin, end, worker);
  }
  void complete() override {
    finish_launch(*launch_, *stream_);
    stream_->resume();
  }

 private:
  std::shared_ptr<Launch> launch_;
  std::shared_ptr<Stream> stream_;
};

class LaunchOp final : public Op {
 public:
  explicit LaunchOp(std::shared_ptr<Launch> l) : launch_(std::move(l)) {}
  Exec execute(Stream& stream, Worker& worker) override {
    if (stream.failed()) return Exec::kDone;
    ThreadPool& pool = ThreadPool::instance();
    const uint64_t blocks = launch_->blocks;
    if (blocks == 1 || pool.size() == 1) {
      run_on_worker(*launch_, 0, blocks, worker);
      finish_launch(*launch_, stream);
      return Exec::kDone;
    }
    const uint64_t chunk = std::max<uint64_t>(1, blocks / (uint64_t{pool.size()} * 16));
    pool.run_job(std::make_shared<LaunchJob>(launch_, stream.shared_from_this(), chunk), worker);
    return Exec::kAsync;
  }

 private:
  std::shared_ptr<Launch> launch_;
};

ohal_result_t bad_config(const std::string& why) {
  return set_error(OHAL_ERROR_INVALID_LAUNCH_CONFIG, "cpu_ref: " + why);
}

}  // namespace

ohal_result_t launch(Stream& stream, Kernel& kernel, const ohal_launch_config_t* config,
                     uint32_t arg_count, const ohal_kernel_arg_t* args) {
  if (ohal_result_t r = stream.sticky(); r != OHAL_SUCCESS) return r;
  const ohal_cpu_kernel_desc_t& d = *kernel.desc;
  if (arg_count != d.arg_count) {
    return set_error(OHAL_ERROR_INVALID_KERNEL_ARGS,
                     "kernel '" + kernel.name + "' takes " + std::to_string(d.arg_count) +
                         " arguments, got " + std::to_string(arg_count));
  }
  for (uint32_t i = 0; i < arg_count; ++i) {
    if (args[i].size != d.arg_sizes[i]) {
      return set_error(OHAL_ERROR_INVALID_KERNEL_ARGS,
                       "kernel '" + kernel.name + "': argument " + std::to_string(i) + " is " +
                           std::to_string(d.arg_sizes[i]) + " bytes, got " +
                           std::to_string(args[i].size));
    }
  }
  uint64_t threads = 1, blocks = 1;
  for (int i = 0; i < 3; ++i) {
    if (config->block[i] == 0 || config->block[i] > kMaxBlockDims[i] || config->grid[i] == 0 ||
        config->grid[i] > kMaxGridDims[i]) {
      return bad_config("grid or block dimension " + std::to_string(i) +
                        " is zero or above the device's limit");
    }
    threads *= config->block[i];
    blocks *= config->grid[i];
  }
  if (threads > kMaxThreadsPerBlock) {
    return bad_config(std::to_string(threads) + " threads per block, the limit is " +
                      std::to_string(kMaxThreadsPerBlock));
  }
  if (uint64_t{config->shared_bytes} + kernel.static_shared_bytes > kMaxSharedBytes) {
    return bad_config("kernel '" + kernel.name + "' has " +
                      std::to_string(kernel.static_shared_bytes) + " bytes of static and " +
                      std::to_string(config->shared_bytes) +
                      " of dynamic shared memory, the limit is " + std::to_string(kMaxSharedBytes));
  }
  std::shared_ptr<Launch> l;
  std::unique_ptr<Op> op;
  try {
    l = std::make_shared<Launch>();
    l->kernel = &kernel;
    for (int i = 0; i < 3; ++i) {
      l->grid[i] = config->grid[i];
      l->block[i] = config->block[i];
    }
    l->shared_bytes = config->shared_bytes;
    l->threads = static_cast<uint32_t>(threads);
    l->blocks = blocks;
    const size_t bytes = std::max<size_t>(d.args_size, 1);
    l->args.reset(
        static_cast<unsigned char*>(::operator new(bytes, std::align_val_t(OHAL_CPU_ARGS_ALIGN))));
    std::memset(l->args.get(), 0, bytes);
    for (uint32_t i = 0; i < arg_count; ++i) {
      std::memcpy(l->args.get() + d.arg_offsets[i], args[i].value, args[i].size);
    }
    op = std::make_unique<LaunchOp>(std::move(l));
  } catch (const std::bad_alloc&) {
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for a launch");
  }
  return stream.submit(std::move(op));
}

}  // namespace ohal::cpu_ref
