// Fibers. Every switch goes through switch_to(), so the sanitizers' fiber annotations live in
// one place; fibers are made once per worker and slot and parked between uses, so a launch pays
// for switches only (about 10 ns each), never for making fibers or stacks.
#include "fibers.h"

#include <sys/mman.h>
#include <unistd.h>

#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#define OHAL_CPU_REF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OHAL_CPU_REF_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define OHAL_CPU_REF_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OHAL_CPU_REF_TSAN 1
#endif
#endif
#ifdef OHAL_CPU_REF_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef OHAL_CPU_REF_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace ohal::cpu_ref {

namespace ctx = boost::context;

namespace {

constexpr size_t kStackBytes = OHAL_CPU_STACK_BYTES;

size_t page_size() {
  return static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

// Boost.Context hands the stack back when a fiber ends; the pool keeps it anyway.
struct KeptStack {
  ctx::stack_context allocate() { return {}; }
  void deallocate(ctx::stack_context&) noexcept {}
};

}  // namespace

StackPool::~StackPool() {
  for (void* m : mappings_) munmap(m, kStackBytes);
}

KernelStack StackPool::acquire() {
  if (!free_.empty()) {
    KernelStack s = free_.back();
    free_.pop_back();
    return s;
  }
  // Map twice the size and keep the aligned middle.
  void* raw = mmap(nullptr, 2 * kStackBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) return {};
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kStackBytes - 1) & ~uintptr_t{kStackBytes - 1};
  if (aligned > start) munmap(raw, aligned - start);
  if (aligned + kStackBytes < start + 2 * kStackBytes) {
    munmap(reinterpret_cast<void*>(aligned + kStackBytes),
           start + 2 * kStackBytes - (aligned + kStackBytes));
  }
  auto* base = reinterpret_cast<unsigned char*>(aligned);
  const size_t page = page_size();
  mprotect(base, page, PROT_NONE);  // guard: an overflow faults instead of corrupting
  mappings_.push_back(base);
  KernelStack s;
  s.base = base;
  s.context.sp = s.thread();  // the stack grows down from just below the thread record
  s.context.size = static_cast<size_t>(static_cast<unsigned char*>(s.context.sp) - base) - page;
  return s;
}

void StackPool::release(const KernelStack& stack) {
  free_.push_back(stack);
}

FiberSet::~FiberSet() {
  shutdown();
}

bool FiberSet::make_fiber(uint32_t slot) {
  if (slots_.empty()) {
    slots_.resize(kOs + 1);
    slot_stacks_.resize(kOs + 1);
    next_.resize(kOs, kNone);
    stack_bottom_.resize(kOs + 1, nullptr);
    stack_size_.resize(kOs + 1, 0);
    tsan_fiber_.resize(kOs + 1, nullptr);
#ifdef OHAL_CPU_REF_TSAN
    tsan_fiber_[kOs] = __tsan_get_current_fiber();
#endif
  }
  KernelStack stack = stacks_.acquire();
  if (stack.base == nullptr) return false;
  slot_stacks_[slot] = stack;
  stack_bottom_[slot] = static_cast<char*>(stack.context.sp) - stack.context.size;
  stack_size_[slot] = stack.context.size;
#ifdef OHAL_CPU_REF_TSAN
  tsan_fiber_[slot] = __tsan_create_fiber(0);
#endif
  auto body = [this, slot](ctx::fiber&& caller) -> ctx::fiber {
#ifdef OHAL_CPU_REF_ASAN
    const void* bottom = nullptr;
    size_t size = 0;
    __sanitizer_finish_switch_fiber(nullptr, &bottom, &size);
    if (stack_size_[from_] == 0) {
      stack_bottom_[from_] = bottom;
      stack_size_[from_] = size;
    }
#endif
    slots_[from_] = std::move(caller);
    while (!quitting_) {
      if (slot == 0) {
        job_fn_(job_arg_);  // the runner: one job, then back to the worker's stack
        switch_to(0, kOs);
      } else {
        run_thread(slot);
        switch_to(slot, advance(false));  // parked until a later block needs this thread
      }
    }
    from_ = slot;
#ifdef OHAL_CPU_REF_ASAN
    __sanitizer_start_switch_fiber(nullptr, stack_bottom_[kOs], stack_size_[kOs]);
#endif
#ifdef OHAL_CPU_REF_TSAN
    __tsan_switch_to_fiber(tsan_fiber_[kOs], 0);
#endif
    return std::move(slots_[kOs]);
  };
  slots_[slot] = ctx::fiber(std::allocator_arg,
                            ctx::preallocated(stack.context.sp, stack.context.size, stack.context),
                            KeptStack{}, std::move(body));
  made_ = slot + 1 > made_ ? slot + 1 : made_;
  return true;
}

bool FiberSet::run(void (*fn)(void*), void* arg) {
  if (made_ == 0 && !make_fiber(0)) return false;
  job_fn_ = fn;
  job_arg_ = arg;
  switch_to(kOs, 0);
  return true;
}

void FiberSet::shutdown() {
  if (made_ == 0) return;
#ifdef OHAL_CPU_REF_TSAN
  // GCC 12's TSan runtime crashes when parked fibers are resumed to end at thread exit (the
  // thread state it finds afterwards is garbage; docs/DECISIONS.md). Under TSan the parked
  // fibers are abandoned instead: their frames hold nothing to release, and the process exits.
  new std::vector<ctx::fiber>(std::move(slots_));  // never destroyed: that would resume them
  slots_.clear();
  slots_.resize(kOs + 1);
#else
  quitting_ = true;
  for (uint32_t slot = 0; slot < made_; ++slot) {
    if (slots_[slot]) switch_to(kOs, slot);  // the fiber sees quitting_ and ends
  }
#endif
  made_ = 0;
  for (uint32_t slot = 0; slot <= kOs; ++slot) {
    if (slot_stacks_[slot].base != nullptr) stacks_.release(slot_stacks_[slot]);
    slot_stacks_[slot] = {};
#ifdef OHAL_CPU_REF_TSAN
    if (slot != kOs && tsan_fiber_[slot] != nullptr) __tsan_destroy_fiber(tsan_fiber_[slot]);
    tsan_fiber_[slot] = nullptr;
#endif
  }
  quitting_ = false;
}

void FiberSet::run_thread(uint32_t thread) {
  if (aborted_) return;
  try {
    entry_(block_, args_, thread, OHAL_CPU_RUN_THREAD);
  } catch (const BlockAbort&) {
  } catch (const ctx::detail::forced_unwind&) {
    throw;
  } catch (...) {
    foreign_exception_ = true;
    aborted_ = true;
  }
}

bool FiberSet::start(ohal_cpu_block_t* block, ohal_cpu_entry_fn entry, const void* args,
                     uint32_t threads) {
  for (uint32_t k = made_; k < threads; ++k) {
    if (!make_fiber(k)) return false;
  }
  block_ = block;
  entry_ = entry;
  args_ = args;
  aborted_ = false;
  foreign_exception_ = false;
  for (uint32_t k = 0; k + 1 < threads; ++k) next_[k] = k + 1;
  next_[threads - 1] = kNone;
  first_ = 0;
  running_ = 0;
  prev_ = kNone;
  active_ = true;
  return true;
}

// The running thread arrived at a barrier or ended; returns the slot to switch to.
uint32_t FiberSet::advance(bool arrived) {
  const uint32_t self = running_;
  const uint32_t next = next_[self];
  if (arrived) {
    prev_ = self;
  } else if (prev_ == kNone) {
    first_ = next;
  } else {
    next_[prev_] = next;
  }
  if (next != kNone) {
    running_ = next;
    return next;
  }
  // Every live thread had its turn: the barrier opens and the next phase starts.
  prev_ = kNone;
  running_ = first_;
  return first_ == kNone ? 0u : first_;  // nobody left: back to the runner's finish()
}

void FiberSet::switch_to(uint32_t self, uint32_t target) {
  if (self == target) return;
  from_ = self;
#ifdef OHAL_CPU_REF_ASAN
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, stack_bottom_[target], stack_size_[target]);
#endif
#ifdef OHAL_CPU_REF_TSAN
  __tsan_switch_to_fiber(tsan_fiber_[target], 0);
#endif
  ctx::fiber resumer = std::move(slots_[target]).resume();
#ifdef OHAL_CPU_REF_ASAN
  const void* bottom = nullptr;
  size_t size = 0;
  __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
  if (stack_size_[from_] == 0) {
    stack_bottom_[from_] = bottom;
    stack_size_[from_] = size;
  }
#endif
  slots_[from_] = std::move(resumer);  // empty when the resumer was a fiber that ended
}

void FiberSet::barrier() {
  const uint32_t self = running_;
  switch_to(self, advance(true));
  if (aborted_) throw BlockAbort{};
}

void FiberSet::finish() {
  switch_to(0, advance(false));
  // Every thread ended; their fibers are parked for the next block.
  active_ = false;
}

}  // namespace ohal::cpu_ref
