// Where kernel code runs: a worker's kernel stack (thread 0 and the plain thread loop) and, for
// blocks that reach ohal_barrier(), one fiber per further thread, switched round robin.
#pragma once

#include <boost/context/fiber.hpp>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cpu_ref.h"
#include "kernel_abi.h"

namespace ohal::cpu_ref {

// Thrown through kernel frames to abandon a thread of a failed block.
struct BlockAbort {};

// Kernel stacks: OHAL_CPU_STACK_BYTES long and aligned: a guard page at the bottom, the stack,
// and the thread record right above the stack's top (OHAL_CPU_THREAD_OFFSET). Committed lazily.
struct KernelStack {
  unsigned char* base = nullptr;
  boost::context::stack_context context;  // what Boost.Context runs on
  ohal_cpu_thread_t* thread() const {
    return reinterpret_cast<ohal_cpu_thread_t*>(
        base + OHAL_CPU_THREAD_OFFSET(reinterpret_cast<uintptr_t>(base)));
  }
};

// A worker's stacks: made on first use, kept, freed with the worker.
class StackPool {
 public:
  StackPool() = default;
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;
  ~StackPool();

  // base is nullptr when the system has no memory left.
  KernelStack acquire();
  void release(const KernelStack& stack);

 private:
  std::vector<KernelStack> free_;
  std::vector<void*> mappings_;
};

// A worker's fibers. Slot 0 is the runner (the kernel stack, thread 0); slots 1..n-1 are thread
// fibers, made when a block of that many threads first reaches a barrier and then kept, parked
// between blocks. Each barrier phase runs the live threads in index order; threads that
// returned no longer count.
class FiberSet {
 public:
  FiberSet() = default;
  FiberSet(const FiberSet&) = delete;
  FiberSet& operator=(const FiberSet&) = delete;
  ~FiberSet();

  // Runs fn(arg) on the kernel stack; false when no stack could be had.
  bool run(void (*fn)(void*), void* arg);
  // Ends every fiber; call on the worker thread before it exits.
  void shutdown();

  // On the kernel stack, when thread 0 of a block reaches its first barrier: the block's other
  // threads run on fibers from now on. False when no stack could be had.
  bool start(ohal_cpu_block_t* block, ohal_cpu_entry_fn entry, const void* args, uint32_t threads);
  // The running thread arrives at a barrier; returns when the barrier opens. Throws BlockAbort
  // when the block was aborted meanwhile.
  void barrier();
  // Thread 0 returned (or threw BlockAbort): runs the other threads to their end.
  void finish();
  // Makes every thread that resumes throw BlockAbort (the running one throws itself).
  void abort() { aborted_ = true; }
  bool active() const { return active_; }
  // A kernel thread threw something other than BlockAbort; the block failed.
  bool foreign_exception() const { return foreign_exception_; }

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  static constexpr uint32_t kOs = kMaxThreadsPerBlock;  // the worker's own stack

  bool make_fiber(uint32_t slot);
  uint32_t advance(bool arrived);
  void switch_to(uint32_t self, uint32_t target);
  void run_thread(uint32_t thread);

  StackPool stacks_;
  std::vector<boost::context::fiber> slots_;  // kOs + 1 entries
  std::vector<KernelStack> slot_stacks_;
  uint32_t made_ = 0;  // slots 0..made_-1 have fibers
  bool quitting_ = false;
  void (*job_fn_)(void*) = nullptr;
  void* job_arg_ = nullptr;

  // The block on fibers.
  bool active_ = false;
  bool aborted_ = false;
  bool foreign_exception_ = false;
  ohal_cpu_block_t* block_ = nullptr;
  ohal_cpu_entry_fn entry_ = nullptr;
  const void* args_ = nullptr;
  std::vector<uint32_t> next_;  // live threads as a list in index order
  uint32_t first_ = kNone;      // first live thread
  uint32_t running_ = 0;        // the thread running now
  uint32_t prev_ = kNone;       // the live thread before it in this phase
  uint32_t from_ = 0;           // the slot that switched last

  // Sanitizer bookkeeping, by slot.
  std::vector<const void*> stack_bottom_;
  std::vector<size_t> stack_size_;
  std::vector<void*> tsan_fiber_;
};

}  // namespace ohal::cpu_ref
