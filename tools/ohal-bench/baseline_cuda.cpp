// Raw baseline for cuda: the same workloads written directly against the CUDA driver API, in the
// same process and on the same primary context as the HAL run, so the ratio is what the HAL
// costs. libcuda is dlopen'ed as the backend does it (see driver_library()): without a driver the
// baseline reports itself unavailable and the rows show the HAL side only.
//
// Both sides use what the backend uses, so like is compared with like: a non-blocking stream,
// cuMemHostAlloc(PORTABLE | DEVICEMAP) for pinned memory, and the bench kernel image that loads
// first in kernel_images() order (the sm_90 CUBIN on an H100/H200, else the PTX).
#include <cuda.h>
#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "baseline.h"
#include "kernel_images.h"
#include "test_data.h"

#if defined(CUDA_API_PER_THREAD_DEFAULT_STREAM)
#error "the cuda baseline resolves the legacy-stream entry points, as the backend does"
#endif

namespace ohal_bench {
namespace {

// The driver entry points the baseline calls. Each member has the header's type, and the symbol
// resolved is the name the header's versioning macros give it (cuMemAlloc -> cuMemAlloc_v2).
#define OHAL_BENCH_CUDA_FUNCTIONS(X) \
  X(cuInit)                          \
  X(cuDriverGetVersion)              \
  X(cuGetErrorName)                  \
  X(cuDeviceGet)                     \
  X(cuDeviceGetName)                 \
  X(cuDevicePrimaryCtxRetain)        \
  X(cuDevicePrimaryCtxRelease)       \
  X(cuCtxSetCurrent)                 \
  X(cuStreamCreate)                  \
  X(cuStreamDestroy)                 \
  X(cuStreamSynchronize)             \
  X(cuMemAlloc)                      \
  X(cuMemFree)                       \
  X(cuMemHostAlloc)                  \
  X(cuMemFreeHost)                   \
  X(cuMemcpyHtoDAsync)               \
  X(cuMemcpyDtoHAsync)               \
  X(cuMemcpyDtoDAsync)               \
  X(cuModuleLoadDataEx)              \
  X(cuModuleUnload)                  \
  X(cuModuleGetFunction)             \
  X(cuLaunchKernel)

#define OHAL_BENCH_CUDA_STR(x) #x
#define OHAL_BENCH_CUDA_XSTR(x) OHAL_BENCH_CUDA_STR(x)

struct Api {
#define OHAL_BENCH_CUDA_MEMBER(name) decltype(&::name) name = nullptr;
  OHAL_BENCH_CUDA_FUNCTIONS(OHAL_BENCH_CUDA_MEMBER)
#undef OHAL_BENCH_CUDA_MEMBER
};

// The driver library: $OHAL_BENCH_CUDA_DRIVER_PATH (the baseline alone; tests use it to take
// the baseline's driver away), else $OHAL_CUDA_DRIVER_PATH as the backend, else libcuda.so.1.
std::string driver_library() {
  for (const char* name : {"OHAL_BENCH_CUDA_DRIVER_PATH", "OHAL_CUDA_DRIVER_PATH"}) {
    const char* env = std::getenv(name);
    if (env != nullptr && env[0] != '\0') return env;
  }
  return "libcuda.so.1";
}

// dlopen + dlsym of every entry point. The library is never closed: once cuInit ran, libcuda owns
// threads and exit handlers that must not outlive its code (the backend keeps it mapped too).
bool load_api(Api& api, std::string& library, std::string* why) {
  library = driver_library();
  dlerror();
  void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = dlerror();
    *why = fmt::format("raw CUDA baseline unavailable: {}",
                       error != nullptr ? error : library + ": cannot be loaded");
    return false;
  }
#define OHAL_BENCH_CUDA_RESOLVE(name)                                                         \
  api.name = reinterpret_cast<decltype(api.name)>(dlsym(handle, OHAL_BENCH_CUDA_XSTR(name))); \
  if (api.name == nullptr) {                                                                  \
    *why = fmt::format("raw CUDA baseline unavailable: {}: missing symbol {}", library,       \
                       OHAL_BENCH_CUDA_XSTR(name));                                           \
    return false;                                                                             \
  }
  OHAL_BENCH_CUDA_FUNCTIONS(OHAL_BENCH_CUDA_RESOLVE)
#undef OHAL_BENCH_CUDA_RESOLVE
  return true;
}

std::string error_text(const Api& api, CUresult r) {
  const char* name = nullptr;
  if (api.cuGetErrorName == nullptr || api.cuGetErrorName(r, &name) != CUDA_SUCCESS ||
      name == nullptr) {
    name = "CUresult";
  }
  return fmt::format("{} ({})", name, static_cast<int>(r));
}

// The driver, the device's primary context, one non-blocking stream and the bench kernels.
class Cuda {
 public:
  Cuda() = default;
  Cuda(const Cuda&) = delete;
  Cuda& operator=(const Cuda&) = delete;

  // Returns false with *why set when the driver or the device cannot be opened.
  bool open(uint32_t ordinal, std::string* why) {
    if (!load_api(api_, library_, why)) return false;
    auto failed = [&](const char* call, CUresult r) {
      *why = fmt::format("raw CUDA baseline unavailable: {}: {}", call, error_text(api_, r));
      return false;
    };
    if (CUresult r = api_.cuInit(0); r != CUDA_SUCCESS) return failed("cuInit", r);
    if (CUresult r = api_.cuDriverGetVersion(&driver_version_); r != CUDA_SUCCESS) {
      return failed("cuDriverGetVersion", r);
    }
    if (CUresult r = api_.cuDeviceGet(&device_, static_cast<int>(ordinal)); r != CUDA_SUCCESS) {
      return failed("cuDeviceGet", r);
    }
    char name[256] = {};
    if (api_.cuDeviceGetName(name, sizeof(name) - 1, device_) == CUDA_SUCCESS) name_ = name;
    if (CUresult r = api_.cuDevicePrimaryCtxRetain(&context_, device_); r != CUDA_SUCCESS) {
      return failed("cuDevicePrimaryCtxRetain", r);
    }
    retained_ = true;
    // The same primary context the backend made current: its per-thread cache stays valid.
    if (CUresult r = api_.cuCtxSetCurrent(context_); r != CUDA_SUCCESS) {
      return failed("cuCtxSetCurrent", r);
    }
    if (CUresult r = api_.cuStreamCreate(&stream_, CU_STREAM_NON_BLOCKING); r != CUDA_SUCCESS) {
      return failed("cuStreamCreate", r);
    }
    load_kernels();
    return true;
  }

  ~Cuda() {
    if (!retained_) return;
    // Teardown errors are not reported: the results are already out.
    api_.cuCtxSetCurrent(context_);
    if (module_ != nullptr) api_.cuModuleUnload(module_);
    if (stream_ != nullptr) api_.cuStreamDestroy(stream_);
    api_.cuDevicePrimaryCtxRelease(device_);
  }

  const Api& api() const { return api_; }
  CUstream stream() const { return stream_; }

  void check(CUresult r, const char* call) const {
    if (r != CUDA_SUCCESS) [[unlikely]] {
      throw BenchError(fmt::format("{}: {}", call, error_text(api_, r)));
    }
  }
  // Once per Op::run and per setup: the HAL never switches this thread to another context, so
  // this is a formality that keeps the baseline correct if it ever did.
  void make_current() const { check(api_.cuCtxSetCurrent(context_), "cuCtxSetCurrent"); }
  void synchronize() const { check(api_.cuStreamSynchronize(stream_), "cuStreamSynchronize"); }

  CUfunction function(const char* name) const {
    if (module_ == nullptr) throw BenchError(module_error_);
    CUfunction f = nullptr;
    check(api_.cuModuleGetFunction(&f, module_, name),
          fmt::format("cuModuleGetFunction({})", name).c_str());
    return f;
  }

  std::string describe() const {
    return fmt::format(
        "CUDA driver API {}.{} ({}), device {} '{}', same primary context: cuLaunchKernel + "
        "cuStreamSynchronize; cuMemcpy{{HtoD,DtoH,DtoD}}Async + cuStreamSynchronize on a "
        "non-blocking stream; pinned = cuMemHostAlloc(PORTABLE|DEVICEMAP); kernels: {}",
        driver_version_ / 1000, driver_version_ % 1000 / 10, library_, device_, name_,
        module_ != nullptr ? module_description_ : module_error_);
  }

 private:
  // The first CUDA image of the bench kernels that the driver loads, in kernel_images() order,
  // which is the order the HAL session tries them in.
  void load_kernels() {
    std::string tried;
    for (const KernelImage& image : kernel_images()) {
      if (image.format != OHAL_KERNEL_FORMAT_CUBIN && image.format != OHAL_KERNEL_FORMAT_FATBIN &&
          image.format != OHAL_KERNEL_FORMAT_PTX) {
        continue;
      }
      const CUresult r = api_.cuModuleLoadDataEx(&module_, image.data, 0, nullptr, nullptr);
      if (r == CUDA_SUCCESS) {
        module_description_ =
            fmt::format("{} image, {} bytes, from {}", kernel_format_name(image.format), image.size,
                        image.origin);
        return;
      }
      module_ = nullptr;
      tried += fmt::format("; {}: cuModuleLoadDataEx: {}", kernel_format_name(image.format),
                           error_text(api_, r));
    }
    module_error_ = fmt::format("raw CUDA baseline: no bench kernel image loads{}",
                                tried.empty() ? " (none was built: nvcc missing)" : tried);
  }

  Api api_;
  std::string library_;
  int driver_version_ = 0;
  CUdevice device_ = 0;
  std::string name_ = "?";
  CUcontext context_ = nullptr;
  bool retained_ = false;
  CUstream stream_ = nullptr;
  CUmodule module_ = nullptr;
  std::string module_description_, module_error_;
};

class DeviceMemory {
 public:
  DeviceMemory(const Cuda& cuda, size_t bytes) : cuda_(cuda) {
    cuda.check(cuda.api().cuMemAlloc(&ptr_, bytes), "cuMemAlloc");
  }
  ~DeviceMemory() { cuda_.api().cuMemFree(ptr_); }
  DeviceMemory(const DeviceMemory&) = delete;
  DeviceMemory& operator=(const DeviceMemory&) = delete;
  CUdeviceptr get() const { return ptr_; }

 private:
  const Cuda& cuda_;
  CUdeviceptr ptr_ = 0;
};

class PinnedMemory {
 public:
  PinnedMemory(const Cuda& cuda, size_t bytes) : cuda_(cuda) {
    void* p = nullptr;
    cuda.check(
        cuda.api().cuMemHostAlloc(&p, bytes, CU_MEMHOSTALLOC_PORTABLE | CU_MEMHOSTALLOC_DEVICEMAP),
        "cuMemHostAlloc");
    ptr_ = static_cast<uint8_t*>(p);
  }
  ~PinnedMemory() { cuda_.api().cuMemFreeHost(ptr_); }
  PinnedMemory(const PinnedMemory&) = delete;
  PinnedMemory& operator=(const PinnedMemory&) = delete;
  uint8_t* get() const { return ptr_; }

 private:
  const Cuda& cuda_;
  uint8_t* ptr_ = nullptr;
};

void upload(const Cuda& cuda, CUdeviceptr dst, const void* src, size_t bytes) {
  cuda.check(cuda.api().cuMemcpyHtoDAsync(dst, src, bytes, cuda.stream()),
             "cuMemcpyHtoDAsync (upload)");
  cuda.synchronize();
}

template <typename T>
std::vector<T> download(const Cuda& cuda, CUdeviceptr src, size_t count) {
  std::vector<T> values(count);
  cuda.make_current();
  cuda.check(cuda.api().cuMemcpyDtoHAsync(values.data(), src, count * sizeof(T), cuda.stream()),
             "cuMemcpyDtoHAsync (download)");
  cuda.synchronize();
  return values;
}

// An empty-kernel launch with its argument array built once, so the timed loop is the driver
// call alone (as the HAL side packs its arguments once).
class EmptyLaunch : public Op {
 public:
  explicit EmptyLaunch(const Cuda& cuda) : cuda_(cuda), api_(cuda.api()), stream_(cuda.stream()) {
    cuda.make_current();
    function_ = cuda.function("ohal_bench_empty");
  }
  std::string verify() override { return {}; }

 protected:
  void launch() {
    const CUresult r =
        api_.cuLaunchKernel(function_, 1, 1, 1, 1, 1, 1, 0, stream_, params_, nullptr);
    if (r != CUDA_SUCCESS) [[unlikely]]
      cuda_.check(r, "cuLaunchKernel(ohal_bench_empty)");
  }
  void synchronize() {
    const CUresult r = api_.cuStreamSynchronize(stream_);
    if (r != CUDA_SUCCESS) [[unlikely]]
      cuda_.check(r, "cuStreamSynchronize");
  }
  const Cuda& cuda_;

 private:
  const Api& api_;
  CUstream stream_;
  CUfunction function_ = nullptr;
  uint32_t unused_ = 0;
  void* params_[1] = {&unused_};
};

class LaunchLatency final : public EmptyLaunch {
 public:
  using EmptyLaunch::EmptyLaunch;
  void run(uint64_t iterations) override {
    cuda_.make_current();
    for (uint64_t i = 0; i < iterations; ++i) {
      launch();
      synchronize();
    }
  }
};

class LaunchThroughput final : public EmptyLaunch {
 public:
  using EmptyLaunch::EmptyLaunch;
  void run(uint64_t iterations) override {
    cuda_.make_current();
    for (uint64_t i = 0; i < iterations; ++i) launch();
    synchronize();
  }
};

// One copy of `bytes` + synchronize per iteration. The host side is pageable (a std::vector,
// touched before timing) or pinned (cuMemHostAlloc).
class Memcpy final : public Op {
 public:
  Memcpy(const Cuda& cuda, CopyKind kind, uint64_t bytes, bool pinned)
      : cuda_(cuda),
        kind_(kind),
        bytes_(bytes),
        salt_(static_cast<uint32_t>(kind) + (pinned ? 11u : 1u)) {
    cuda.make_current();
    const std::vector<uint8_t> pattern = copy_pattern(bytes, salt_);
    if (kind != CopyKind::kDeviceToDevice) {
      if (pinned) {
        pinned_ = std::make_unique<PinnedMemory>(cuda, bytes);
        host_ = pinned_->get();
      } else {
        pageable_.assign(bytes, 0);  // touched now, so no page fault is timed
        host_ = pageable_.data();
      }
    }
    switch (kind) {
      case CopyKind::kHostToDevice:
        std::memcpy(host_, pattern.data(), bytes);
        device_dst_ = std::make_unique<DeviceMemory>(cuda, bytes);
        break;
      case CopyKind::kDeviceToHost:
        std::memset(host_, 0, bytes);
        device_src_ = std::make_unique<DeviceMemory>(cuda, bytes);
        upload(cuda, device_src_->get(), pattern.data(), bytes);
        break;
      case CopyKind::kDeviceToDevice:
        device_src_ = std::make_unique<DeviceMemory>(cuda, bytes);
        device_dst_ = std::make_unique<DeviceMemory>(cuda, bytes);
        upload(cuda, device_src_->get(), pattern.data(), bytes);
        break;
    }
  }
  void run(uint64_t iterations) override {
    cuda_.make_current();
    const Api& api = cuda_.api();
    const CUstream stream = cuda_.stream();
    for (uint64_t i = 0; i < iterations; ++i) {
      CUresult r = CUDA_SUCCESS;
      const char* call = nullptr;
      switch (kind_) {
        case CopyKind::kHostToDevice:
          call = "cuMemcpyHtoDAsync";
          r = api.cuMemcpyHtoDAsync(device_dst_->get(), host_, bytes_, stream);
          break;
        case CopyKind::kDeviceToHost:
          call = "cuMemcpyDtoHAsync";
          r = api.cuMemcpyDtoHAsync(host_, device_src_->get(), bytes_, stream);
          break;
        case CopyKind::kDeviceToDevice:
          call = "cuMemcpyDtoDAsync";
          r = api.cuMemcpyDtoDAsync(device_dst_->get(), device_src_->get(), bytes_, stream);
          break;
      }
      if (r != CUDA_SUCCESS) [[unlikely]]
        cuda_.check(r, call);
      r = api.cuStreamSynchronize(stream);
      if (r != CUDA_SUCCESS) [[unlikely]]
        cuda_.check(r, "cuStreamSynchronize");
    }
  }
  std::string verify() override {
    if (!device_dst_) return check_copy(host_, bytes_, salt_);
    return check_copy(download<uint8_t>(cuda_, device_dst_->get(), bytes_).data(), bytes_, salt_);
  }

 private:
  const Cuda& cuda_;
  CopyKind kind_;
  uint64_t bytes_;
  uint32_t salt_;
  std::vector<uint8_t> pageable_;
  std::unique_ptr<PinnedMemory> pinned_;
  uint8_t* host_ = nullptr;
  std::unique_ptr<DeviceMemory> device_src_, device_dst_;
};

std::unique_ptr<DeviceMemory> upload_values(const Cuda& cuda, const std::vector<float>& values) {
  auto buffer = std::make_unique<DeviceMemory>(cuda, values.size() * sizeof(float));
  upload(cuda, buffer->get(), values.data(), values.size() * sizeof(float));
  return buffer;
}

// A kernel launch + synchronize per iteration, arguments packed once.
class KernelLoop : public Op {
 public:
  KernelLoop(const Cuda& cuda, const char* kernel, uint32_t grid, uint32_t block)
      : cuda_(cuda), name_(kernel), grid_(grid), block_(block) {
    cuda.make_current();
    function_ = cuda.function(kernel);
  }
  void run(uint64_t iterations) override {
    cuda_.make_current();
    const Api& api = cuda_.api();
    const CUstream stream = cuda_.stream();
    for (uint64_t i = 0; i < iterations; ++i) {
      CUresult r = api.cuLaunchKernel(function_, grid_, 1, 1, block_, 1, 1, 0, stream,
                                      params_.data(), nullptr);
      if (r != CUDA_SUCCESS) [[unlikely]]
        cuda_.check(r, fmt::format("cuLaunchKernel({})", name_).c_str());
      r = api.cuStreamSynchronize(stream);
      if (r != CUDA_SUCCESS) [[unlikely]]
        cuda_.check(r, "cuStreamSynchronize");
    }
    runs_ += iterations;
  }

 protected:
  // `value` must outlive the op.
  template <typename T>
  void arg(T& value) {
    params_.push_back(&value);
  }
  const Cuda& cuda_;
  uint64_t runs_ = 0;

 private:
  const char* name_;
  uint32_t grid_, block_;
  CUfunction function_ = nullptr;
  std::vector<void*> params_;
};

class Saxpy final : public KernelLoop {
 public:
  Saxpy(const Cuda& cuda, uint32_t n)
      : KernelLoop(cuda, "ohal_bench_saxpy", (n + 255) / 256, 256),
        n_(n),
        x_(upload_values(cuda, saxpy_x_values(n))),
        y_(upload_values(cuda, saxpy_y0_values(n))),
        x_ptr_(x_->get()),
        y_ptr_(y_->get()) {
    arg(n_);
    arg(a_);
    arg(x_ptr_);
    arg(y_ptr_);
  }
  std::string verify() override {
    return check_saxpy(download<float>(cuda_, y_->get(), n_).data(), n_, runs_);
  }

 private:
  uint32_t n_;
  float a_ = kSaxpyA;
  std::unique_ptr<DeviceMemory> x_, y_;
  CUdeviceptr x_ptr_, y_ptr_;
};

class BlockReduce final : public KernelLoop {
 public:
  BlockReduce(const Cuda& cuda, uint32_t n, uint32_t block, uint32_t items)
      : KernelLoop(cuda, "ohal_bench_block_reduce", reduce_block_count(n, block, items), block),
        n_(n),
        items_(items),
        blocks_(reduce_block_count(n, block, items)),
        x_(upload_values(cuda, reduce_input_values(n))),
        partial_(std::make_unique<DeviceMemory>(cuda, size_t{blocks_} * sizeof(float))),
        x_ptr_(x_->get()),
        partial_ptr_(partial_->get()),
        expected_(reduce_expected(n, block, items)) {
    arg(n_);
    arg(items_);
    arg(x_ptr_);
    arg(partial_ptr_);
  }
  std::string verify() override {
    return check_reduce(download<float>(cuda_, partial_->get(), blocks_).data(), expected_);
  }

 private:
  uint32_t n_, items_, blocks_;
  std::unique_ptr<DeviceMemory> x_, partial_;
  CUdeviceptr x_ptr_, partial_ptr_;
  std::vector<float> expected_;
};

class CudaBaseline final : public RawBaseline {
 public:
  explicit CudaBaseline(std::unique_ptr<Cuda> cuda) : cuda_(std::move(cuda)) {}
  std::string describe() const override { return cuda_->describe(); }
  std::unique_ptr<Op> launch_latency() override { return std::make_unique<LaunchLatency>(*cuda_); }
  std::unique_ptr<Op> launch_throughput() override {
    return std::make_unique<LaunchThroughput>(*cuda_);
  }
  std::unique_ptr<Op> memcpy(CopyKind kind, uint64_t bytes) override {
    return std::make_unique<Memcpy>(*cuda_, kind, bytes, false);
  }
  std::unique_ptr<Op> memcpy_pinned(CopyKind kind, uint64_t bytes) override {
    if (kind == CopyKind::kDeviceToDevice) return nullptr;
    return std::make_unique<Memcpy>(*cuda_, kind, bytes, true);
  }
  std::unique_ptr<Op> saxpy(uint32_t n) override { return std::make_unique<Saxpy>(*cuda_, n); }
  std::unique_ptr<Op> block_reduce(uint32_t n, uint32_t block, uint32_t items) override {
    return std::make_unique<BlockReduce>(*cuda_, n, block, items);
  }

 private:
  std::unique_ptr<Cuda> cuda_;
};

std::unique_ptr<RawBaseline> make_cuda_baseline(const BaselineTarget& target, std::string* why) {
  auto cuda = std::make_unique<Cuda>();
  if (!cuda->open(target.backend_device_index, why)) return nullptr;
  return std::make_unique<CudaBaseline>(std::move(cuda));
}

}  // namespace

OHAL_BENCH_REGISTER_BASELINE("cuda", make_cuda_baseline);

}  // namespace ohal_bench
