// Copies and fills. Small ones on an idle stream run on the calling thread (no hand-over to the
// pool); large ones are split over the workers. Pageable host memory (outside every allocation)
// is touched only before the call returns, as ohal.h promises: a small pageable source is
// staged, anything else involving pageable memory waits for its operation.
#include "copy.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "stream.h"
#include "thread_pool.h"

namespace ohal::cpu_ref {

namespace {

constexpr size_t kParallelBytes = 4u << 20;  // below this one worker copies
constexpr size_t kChunkBytes = 1u << 20;
constexpr size_t kStageBytes = 64u << 10;
constexpr size_t kInlineBytes = 256u << 10;  // up to this, an idle stream copies on the caller

void fill(unsigned char* dst, uint32_t pattern, uint32_t element_size, size_t count) {
  switch (element_size) {
    case 1:
      std::memset(dst, static_cast<int>(pattern & 0xffu), count);
      break;
    case 2:
      std::fill_n(reinterpret_cast<uint16_t*>(dst), count, static_cast<uint16_t>(pattern));
      break;
    default:
      std::fill_n(reinterpret_cast<uint32_t*>(dst), count, pattern);
      break;
  }
}

// Splits [0, bytes) into chunks of whole elements for the workers.
class ByteJob : public Job {
 public:
  ByteJob(std::shared_ptr<Stream> stream, size_t bytes, size_t chunk)
      : Job((bytes + chunk - 1) / chunk, 1),
        stream_(std::move(stream)),
        bytes_(bytes),
        chunk_(chunk) {}
  void run(uint64_t begin, uint64_t end, Worker&) override {
    for (uint64_t i = begin; i < end; ++i) {
      const size_t offset = static_cast<size_t>(i) * chunk_;
      part(offset, std::min(chunk_, bytes_ - offset));
    }
  }
  void complete() override { stream_->resume(); }

 protected:
  virtual void part(size_t offset, size_t bytes) = 0;

 private:
  std::shared_ptr<Stream> stream_;
  size_t bytes_;
  size_t chunk_;
};

class CopyJob final : public ByteJob {
 public:
  CopyJob(std::shared_ptr<Stream> stream, void* dst, const void* src, size_t size)
      : ByteJob(std::move(stream), size, kChunkBytes),
        dst_(static_cast<unsigned char*>(dst)),
        src_(static_cast<const unsigned char*>(src)) {}

 private:
  void part(size_t offset, size_t bytes) override {
    std::memcpy(dst_ + offset, src_ + offset, bytes);
  }
  unsigned char* dst_;
  const unsigned char* src_;
};

class FillJob final : public ByteJob {
 public:
  FillJob(std::shared_ptr<Stream> stream, void* dst, uint32_t pattern, uint32_t element_size,
          size_t count)
      : ByteJob(std::move(stream), count * element_size, kChunkBytes),
        dst_(static_cast<unsigned char*>(dst)),
        pattern_(pattern),
        element_size_(element_size) {}

 private:
  void part(size_t offset, size_t bytes) override {
    fill(dst_ + offset, pattern_, element_size_, bytes / element_size_);
  }
  unsigned char* dst_;
  uint32_t pattern_;
  uint32_t element_size_;
};

bool parallel(size_t bytes) {
  return bytes >= kParallelBytes && ThreadPool::instance().size() > 1;
}

class CopyOp final : public Op {
 public:
  CopyOp(void* dst, const void* src, size_t size) : dst_(dst), src_(src), size_(size) {}
  // Takes a copy of the source now (a small pageable source the caller may reuse at once).
  void stage() {
    staging_.assign(static_cast<const unsigned char*>(src_),
                    static_cast<const unsigned char*>(src_) + size_);
    src_ = staging_.data();
  }
  Exec execute(Stream& stream, Worker& worker) override {
    if (stream.failed()) return Exec::kDone;
    if (!parallel(size_)) {
      std::memcpy(dst_, src_, size_);
      return Exec::kDone;
    }
    ThreadPool::instance().run_job(
        std::make_shared<CopyJob>(stream.shared_from_this(), dst_, src_, size_), worker);
    return Exec::kAsync;
  }

 private:
  void* dst_;
  const void* src_;
  size_t size_;
  std::vector<unsigned char> staging_;
};

class FillOp final : public Op {
 public:
  FillOp(void* dst, uint32_t pattern, uint32_t element_size, size_t count)
      : dst_(dst), pattern_(pattern), element_size_(element_size), count_(count) {}
  Exec execute(Stream& stream, Worker& worker) override {
    if (stream.failed()) return Exec::kDone;
    if (!parallel(count_ * element_size_)) {
      fill(static_cast<unsigned char*>(dst_), pattern_, element_size_, count_);
      return Exec::kDone;
    }
    ThreadPool::instance().run_job(
        std::make_shared<FillJob>(stream.shared_from_this(), dst_, pattern_, element_size_, count_),
        worker);
    return Exec::kAsync;
  }

 private:
  void* dst_;
  uint32_t pattern_;
  uint32_t element_size_;
  size_t count_;
};

// Queues op; with wait, returns only once it ran (pageable memory).
ohal_result_t submit(Stream& stream, std::unique_ptr<Op> op, bool wait) {
  uint64_t seq = 0;
  if (ohal_result_t r = stream.submit(std::move(op), &seq); r != OHAL_SUCCESS) return r;
  if (!wait) return OHAL_SUCCESS;
  stream.wait_for(seq);
  return stream.sticky();  // an earlier failure skipped it
}

}  // namespace

ohal_result_t memcpy_async(Stream& stream, const ohal_bmem_ref_t* dst, const ohal_bmem_ref_t* src,
                           size_t size) {
  if (ohal_result_t r = stream.sticky(); r != OHAL_SUCCESS) return r;
  if (size <= kInlineBytes && stream.run_inline([&] { std::memcpy(dst->ptr, src->ptr, size); })) {
    return OHAL_SUCCESS;
  }
  std::unique_ptr<CopyOp> op;
  const bool pageable_src = src->alloc == nullptr;
  const bool pageable_dst = dst->alloc == nullptr;
  bool wait = pageable_src || pageable_dst;
  try {
    op = std::make_unique<CopyOp>(dst->ptr, src->ptr, size);
    if (pageable_src && !pageable_dst && size <= kStageBytes) {
      op->stage();
      wait = false;
    }
  } catch (const std::bad_alloc&) {
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for a copy");
  }
  return submit(stream, std::move(op), wait);
}

ohal_result_t memset_async(Stream& stream, const ohal_bmem_ref_t* dst, uint32_t pattern,
                           uint32_t element_size, size_t count) {
  if (ohal_result_t r = stream.sticky(); r != OHAL_SUCCESS) return r;
  if (count * element_size <= kInlineBytes && stream.run_inline([&] {
        fill(static_cast<unsigned char*>(dst->ptr), pattern, element_size, count);
      })) {
    return OHAL_SUCCESS;
  }
  std::unique_ptr<Op> op;
  try {
    op = std::make_unique<FillOp>(dst->ptr, pattern, element_size, count);
  } catch (const std::bad_alloc&) {
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for a fill");
  }
  return submit(stream, std::move(op), dst->alloc == nullptr);
}

}  // namespace ohal::cpu_ref
