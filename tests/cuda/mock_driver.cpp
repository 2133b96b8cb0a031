// A stand-in libcuda for tests on machines without a GPU: the driver entry points the backend
// resolves, executed on the CPU. Loaded through OHAL_CUDA_DRIVER_PATH.
//
// - One device ("Mock CUDA Device", sm_90, 1 GiB); memory is malloc'ed; every operation runs to
//   completion when it is enqueued, so streams are trivially in order (host functions run on a
//   thread of their own, joined before the call returns).
// - Modules: PTX text is parsed for its .entry signatures (cuFuncGetParamInfo answers from
//   them); ELF (CUBIN) and fatbin images load as modules without kernels, or fail with
//   CUDA_ERROR_NO_BINARY_FOR_GPU under OHAL_CUDA_MOCK_REJECT_BINARIES=1. PTX containing
//   "mock_invalid" fails with CUDA_ERROR_INVALID_PTX and a JIT log.
// - Kernels run a host implementation chosen by name: saxpy(u32 n, f32 a, f32* x, f32* y);
//   mock_fault(...) faults the context (sticky CUDA_ERROR_ILLEGAL_ADDRESS, as on a GPU);
//   ohal-bench's ohal_bench_empty, ohal_bench_saxpy and ohal_bench_block_reduce.
// - OHAL_CUDA_MOCK_NO_DEVICE=1: cuInit answers CUDA_ERROR_NO_DEVICE (a driver without a GPU).
// - mock_cuda_stats() lets a test check context switches and leaks.
#include <cuda.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#define MOCK_API extern "C" __attribute__((visibility("default")))

namespace {

constexpr size_t kTotalMemory = size_t{1} << 30;
constexpr int kOptinShared = 227 * 1024;
constexpr int kDefaultDynamicShared = 48 * 1024;

struct Param {
  size_t offset;
  size_t size;
};

struct Function {
  std::string name;
  std::vector<Param> params;
  int max_dynamic_shared = kDefaultDynamicShared;
};

struct Module {
  std::map<std::string, Function> functions;
};

struct Event {
  unsigned flags = 0;
  bool recorded = false;
  uint64_t stamp = 0;
};

struct Mock {
  std::mutex mutex;
  bool initialized = false;
  int context_refs = 0;
  CUresult sticky = CUDA_SUCCESS;  // a faulted context fails every later call
  std::map<uintptr_t, size_t> allocations;
  uint64_t clock = 0;
  std::set<void*> streams;
};

Mock& mock() {
  static Mock m;
  return m;
}

std::atomic<int> g_set_current_calls{0};
int g_fake_context;  // its address is the primary context
thread_local CUcontext t_current = nullptr;

CUcontext primary() {
  return reinterpret_cast<CUcontext>(&g_fake_context);
}

#define MOCK_CHECK_STICKY()                                  \
  do {                                                       \
    if (mock().sticky != CUDA_SUCCESS) return mock().sticky; \
  } while (0)

#define MOCK_NEED_CONTEXT()                                      \
  do {                                                           \
    if (t_current == nullptr) return CUDA_ERROR_INVALID_CONTEXT; \
  } while (0)

size_t param_size(const std::string& line) {
  if (auto open = line.find('['); open != std::string::npos) {
    return std::strtoul(line.c_str() + open + 1, nullptr, 10);
  }
  static const std::pair<const char*, size_t> kTypes[] = {
      {".u64", 8}, {".s64", 8}, {".b64", 8}, {".f64", 8}, {".u32", 4},
      {".s32", 4}, {".b32", 4}, {".f32", 4}, {".u16", 2}, {".s16", 2},
      {".b16", 2}, {".f16", 2}, {".u8", 1},  {".s8", 1},  {".b8", 1}};
  for (const auto& [type, size] : kTypes) {
    if (line.find(type) != std::string::npos) return size;
  }
  return 0;
}

// ".visible .entry name(\n\t.param .u32 name_param_0,\n ...)" -> functions with param sizes.
void parse_ptx(const std::string& ptx, Module& module) {
  size_t at = 0;
  while ((at = ptx.find(".entry ", at)) != std::string::npos) {
    at += 7;
    const size_t open = ptx.find('(', at);
    const size_t close = ptx.find(')', open);
    if (open == std::string::npos || close == std::string::npos) return;
    Function f;
    f.name = ptx.substr(at, open - at);
    while (!f.name.empty() && f.name.back() == ' ') f.name.pop_back();
    size_t offset = 0;
    size_t line_start = open + 1;
    while (line_start < close) {
      size_t line_end = ptx.find('\n', line_start);
      if (line_end == std::string::npos || line_end > close) line_end = close;
      const std::string line = ptx.substr(line_start, line_end - line_start);
      if (line.find(".param") != std::string::npos) {
        const size_t size = param_size(line);
        size_t align = size >= 8 ? 8 : size;
        if (auto a = line.find(".align "); a != std::string::npos) {
          align = std::strtoul(line.c_str() + a + 7, nullptr, 10);
        }
        if (align > 0) offset = (offset + align - 1) / align * align;
        f.params.push_back({offset, size});
        offset += size;
      }
      line_start = line_end + 1;
    }
    module.functions[f.name] = f;
    at = close;
  }
}

}  // namespace

// --- test hooks -------------------------------------------------------------------------------
struct MockCudaStats {
  int set_current_calls;
  int context_refs;
  int live_allocations;
  int live_streams;
};

MOCK_API MockCudaStats mock_cuda_stats() {
  Mock& m = mock();
  std::lock_guard<std::mutex> lock(m.mutex);
  return {g_set_current_calls.load(), m.context_refs, static_cast<int>(m.allocations.size()),
          static_cast<int>(m.streams.size())};
}

// Clears a simulated fault, so each test starts with a healthy context.
MOCK_API void mock_cuda_reset_fault() {
  mock().sticky = CUDA_SUCCESS;
}

// --- init, errors ------------------------------------------------------------------------------
MOCK_API CUresult cuInit(unsigned int flags) {
  if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
  // OHAL_CUDA_MOCK_NO_DEVICE=1 plays a driver on a machine (or container) without a GPU.
  const char* none = std::getenv("OHAL_CUDA_MOCK_NO_DEVICE");
  if (none != nullptr && std::strcmp(none, "1") == 0) return CUDA_ERROR_NO_DEVICE;
  mock().initialized = true;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuDriverGetVersion(int* version) {
  *version = 12080;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuGetErrorName(CUresult error, const char** name) {
  switch (error) {
    case CUDA_ERROR_ILLEGAL_ADDRESS:
      *name = "CUDA_ERROR_ILLEGAL_ADDRESS";
      return CUDA_SUCCESS;
    case CUDA_ERROR_NO_BINARY_FOR_GPU:
      *name = "CUDA_ERROR_NO_BINARY_FOR_GPU";
      return CUDA_SUCCESS;
    case CUDA_ERROR_NO_DEVICE:
      *name = "CUDA_ERROR_NO_DEVICE";
      return CUDA_SUCCESS;
    default:
      return CUDA_ERROR_INVALID_VALUE;
  }
}

MOCK_API CUresult cuGetErrorString(CUresult error, const char** text) {
  switch (error) {
    case CUDA_ERROR_OUT_OF_MEMORY:
      *text = "out of memory";
      return CUDA_SUCCESS;
    case CUDA_ERROR_ILLEGAL_ADDRESS:
      *text = "an illegal memory access was encountered";
      return CUDA_SUCCESS;
    default:
      *text = "mock error";
      return CUDA_SUCCESS;
  }
}

// --- devices -----------------------------------------------------------------------------------
MOCK_API CUresult cuDeviceGetCount(int* count) {
  *count = 1;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuDeviceGet(CUdevice* device, int ordinal) {
  if (ordinal != 0) return CUDA_ERROR_INVALID_DEVICE;
  *device = 0;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuDeviceGetName(char* name, int length, CUdevice device) {
  if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
  std::strncpy(name, "Mock CUDA Device", static_cast<size_t>(length));
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuDeviceGetAttribute(int* value, CUdevice_attribute attribute, CUdevice device) {
  if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
  switch (attribute) {
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR:
      *value = 9;
      break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR:
      *value = 0;
      break;
    case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK:
      *value = 1024;
      break;
    case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X:
      *value = 1024;
      break;
    case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y:
      *value = 1024;
      break;
    case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z:
      *value = 64;
      break;
    case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X:
      *value = 2147483647;
      break;
    case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y:
      *value = 65535;
      break;
    case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z:
      *value = 65535;
      break;
    case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK:
      *value = 48 * 1024;
      break;
    case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN:
      *value = kOptinShared;
      break;
    case CU_DEVICE_ATTRIBUTE_WARP_SIZE:
      *value = 32;
      break;
    case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT:
      *value = 4;
      break;
    case CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING:
      *value = 1;
      break;
    case CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY:
      *value = 1;
      break;
    case CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY:
      *value = 1;
      break;
    case CU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS:
      *value = 1;
      break;
    case CU_DEVICE_ATTRIBUTE_INTEGRATED:
      *value = 0;
      break;
    case CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID:
      *value = 0;
      break;
    case CU_DEVICE_ATTRIBUTE_PCI_BUS_ID:
      *value = 0x17;
      break;
    case CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID:
      *value = 0;
      break;
    default:
      *value = 0;
      break;
  }
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuDeviceTotalMem(size_t* bytes, CUdevice device) {
  if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
  *bytes = kTotalMemory;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuDeviceGetPCIBusId(char* bus_id, int length, CUdevice device) {
  if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
  std::strncpy(bus_id, "0000:17:00.3", static_cast<size_t>(length));
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuDeviceGetUuid(CUuuid* uuid, CUdevice device) {
  if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
  for (int i = 0; i < 16; ++i) uuid->bytes[i] = static_cast<char>(0xa0 + i);
  return CUDA_SUCCESS;
}

// --- contexts ----------------------------------------------------------------------------------
MOCK_API CUresult cuDevicePrimaryCtxRetain(CUcontext* context, CUdevice device) {
  if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
  std::lock_guard<std::mutex> lock(mock().mutex);
  ++mock().context_refs;
  *context = primary();
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuDevicePrimaryCtxRelease(CUdevice device) {
  if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
  std::lock_guard<std::mutex> lock(mock().mutex);
  if (mock().context_refs == 0) return CUDA_ERROR_INVALID_CONTEXT;
  --mock().context_refs;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuCtxSetCurrent(CUcontext context) {
  if (context != nullptr && context != primary()) return CUDA_ERROR_INVALID_CONTEXT;
  ++g_set_current_calls;
  t_current = context;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuCtxSynchronize() {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  return CUDA_SUCCESS;
}

// --- memory ------------------------------------------------------------------------------------
namespace {
CUresult allocate(size_t size, void** out) {
  if (size == 0) return CUDA_ERROR_INVALID_VALUE;
  if (size > kTotalMemory) return CUDA_ERROR_OUT_OF_MEMORY;
  void* p = std::aligned_alloc(256, (size + 255) / 256 * 256);
  if (p == nullptr) return CUDA_ERROR_OUT_OF_MEMORY;
  std::memset(p, 0xcd, size);  // garbage, so zero-fill is observable
  std::lock_guard<std::mutex> lock(mock().mutex);
  mock().allocations[reinterpret_cast<uintptr_t>(p)] = size;
  *out = p;
  return CUDA_SUCCESS;
}

CUresult release(void* p) {
  std::lock_guard<std::mutex> lock(mock().mutex);
  if (mock().allocations.erase(reinterpret_cast<uintptr_t>(p)) == 0) {
    return CUDA_ERROR_INVALID_VALUE;
  }
  std::free(p);
  return CUDA_SUCCESS;
}
}  // namespace

MOCK_API CUresult cuMemAlloc(CUdeviceptr* ptr, size_t size) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  void* p = nullptr;
  const CUresult r = allocate(size, &p);
  if (r == CUDA_SUCCESS) *ptr = reinterpret_cast<CUdeviceptr>(p);
  return r;
}

MOCK_API CUresult cuMemAllocManaged(CUdeviceptr* ptr, size_t size, unsigned int flags) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  if (flags != CU_MEM_ATTACH_GLOBAL) return CUDA_ERROR_INVALID_VALUE;
  void* p = nullptr;
  const CUresult r = allocate(size, &p);
  if (r == CUDA_SUCCESS) *ptr = reinterpret_cast<CUdeviceptr>(p);
  return r;
}

MOCK_API CUresult cuMemFree(CUdeviceptr ptr) {
  MOCK_NEED_CONTEXT();
  return release(reinterpret_cast<void*>(ptr));
}

MOCK_API CUresult cuMemHostAlloc(void** ptr, size_t size, unsigned int flags) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  if ((flags & CU_MEMHOSTALLOC_DEVICEMAP) == 0) return CUDA_ERROR_INVALID_VALUE;
  return allocate(size, ptr);
}

MOCK_API CUresult cuMemFreeHost(void* ptr) {
  return release(ptr);
}

MOCK_API CUresult cuMemHostGetDevicePointer(CUdeviceptr* device_ptr, void* host, unsigned int) {
  std::lock_guard<std::mutex> lock(mock().mutex);
  if (mock().allocations.count(reinterpret_cast<uintptr_t>(host)) == 0) {
    return CUDA_ERROR_INVALID_VALUE;
  }
  *device_ptr = reinterpret_cast<CUdeviceptr>(host);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuMemGetInfo(size_t* free_bytes, size_t* total) {
  MOCK_NEED_CONTEXT();
  std::lock_guard<std::mutex> lock(mock().mutex);
  size_t used = 0;
  for (const auto& [p, size] : mock().allocations) used += size;
  *free_bytes = used < kTotalMemory ? kTotalMemory - used : 0;
  *total = kTotalMemory;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t size, CUstream) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  std::memcpy(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), size);
  return CUDA_SUCCESS;
}

// The typed copies (the ohal-bench raw baseline calls these; the backend uses cuMemcpyAsync).
MOCK_API CUresult cuMemcpyHtoDAsync(CUdeviceptr dst, const void* src, size_t size, CUstream) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  std::memcpy(reinterpret_cast<void*>(dst), src, size);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuMemcpyDtoHAsync(void* dst, CUdeviceptr src, size_t size, CUstream) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  std::memcpy(dst, reinterpret_cast<const void*>(src), size);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuMemcpyDtoDAsync(CUdeviceptr dst, CUdeviceptr src, size_t size, CUstream) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  std::memcpy(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), size);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t n, CUstream) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  std::memset(reinterpret_cast<void*>(dst), value, n);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuMemsetD16Async(CUdeviceptr dst, unsigned short value, size_t n, CUstream) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  if (dst % 2 != 0) return CUDA_ERROR_INVALID_VALUE;
  auto* out = reinterpret_cast<unsigned short*>(dst);
  for (size_t i = 0; i < n; ++i) out[i] = value;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t n, CUstream) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  if (dst % 4 != 0) return CUDA_ERROR_INVALID_VALUE;
  auto* out = reinterpret_cast<unsigned int*>(dst);
  for (size_t i = 0; i < n; ++i) out[i] = value;
  return CUDA_SUCCESS;
}

// --- streams -----------------------------------------------------------------------------------
MOCK_API CUresult cuStreamCreate(CUstream* stream, unsigned int flags) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  if (flags != CU_STREAM_NON_BLOCKING) return CUDA_ERROR_INVALID_VALUE;  // what the backend uses
  auto* s = new int(0);
  std::lock_guard<std::mutex> lock(mock().mutex);
  mock().streams.insert(s);
  *stream = reinterpret_cast<CUstream>(s);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuStreamDestroy(CUstream stream) {
  std::lock_guard<std::mutex> lock(mock().mutex);
  if (mock().streams.erase(stream) == 0) return CUDA_ERROR_INVALID_HANDLE;
  delete reinterpret_cast<int*>(stream);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuStreamSynchronize(CUstream) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuStreamQuery(CUstream) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuStreamWaitEvent(CUstream, CUevent, unsigned int) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  return CUDA_SUCCESS;
}

// On a thread of its own, as the driver's callback thread; done before the call returns.
MOCK_API CUresult cuLaunchHostFunc(CUstream, CUhostFn fn, void* user_data) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  std::thread(fn, user_data).join();
  return CUDA_SUCCESS;
}

// --- events ------------------------------------------------------------------------------------
MOCK_API CUresult cuEventCreate(CUevent* event, unsigned int flags) {
  MOCK_NEED_CONTEXT();
  auto* e = new Event;
  e->flags = flags;
  *event = reinterpret_cast<CUevent>(e);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuEventDestroy(CUevent event) {
  delete reinterpret_cast<Event*>(event);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuEventRecord(CUevent event, CUstream) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  auto* e = reinterpret_cast<Event*>(event);
  std::lock_guard<std::mutex> lock(mock().mutex);
  e->recorded = true;
  e->stamp = ++mock().clock;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuEventSynchronize(CUevent) {
  MOCK_CHECK_STICKY();
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuEventQuery(CUevent) {
  MOCK_CHECK_STICKY();
  return CUDA_SUCCESS;
}

// Each recorded event is one "millisecond" after the previous.
MOCK_API CUresult cuEventElapsedTime(float* ms, CUevent start, CUevent end) {
  auto* s = reinterpret_cast<Event*>(start);
  auto* e = reinterpret_cast<Event*>(end);
  if ((s->flags & CU_EVENT_DISABLE_TIMING) != 0 || (e->flags & CU_EVENT_DISABLE_TIMING) != 0 ||
      !s->recorded || !e->recorded) {
    return CUDA_ERROR_INVALID_HANDLE;
  }
  *ms = static_cast<float>(static_cast<double>(e->stamp) - static_cast<double>(s->stamp));
  return CUDA_SUCCESS;
}

// --- modules and kernels -----------------------------------------------------------------------
MOCK_API CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int count,
                                     CUjit_option* options, void** values) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  char* log = nullptr;
  size_t log_size = 0;
  for (unsigned i = 0; i < count; ++i) {
    if (options[i] == CU_JIT_ERROR_LOG_BUFFER) log = static_cast<char*>(values[i]);
    if (options[i] == CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES) {
      log_size = reinterpret_cast<uintptr_t>(values[i]);
    }
    if (options[i] == CU_JIT_OPTIMIZATION_LEVEL && reinterpret_cast<uintptr_t>(values[i]) > 4) {
      return CUDA_ERROR_INVALID_VALUE;
    }
  }
  const auto* bytes = static_cast<const unsigned char*>(image);
  if (std::memcmp(bytes,
                  "\x7f"
                  "ELF",
                  4) == 0 ||
      std::memcmp(bytes, "\x50\xed\x55\xba", 4) == 0) {
    // OHAL_CUDA_MOCK_REJECT_BINARIES=1 plays a GPU the binary was not built for, so that callers
    // fall back to PTX; otherwise a binary loads as a module without kernels the mock can run.
    const char* reject = std::getenv("OHAL_CUDA_MOCK_REJECT_BINARIES");
    if (reject != nullptr && std::strcmp(reject, "1") == 0) return CUDA_ERROR_NO_BINARY_FOR_GPU;
    *module = reinterpret_cast<CUmodule>(new Module);
    return CUDA_SUCCESS;
  }
  auto* m = new Module;
  const std::string ptx(static_cast<const char*>(image));
  parse_ptx(ptx, *m);
  if (ptx.find("mock_invalid") != std::string::npos || m->functions.empty()) {
    delete m;
    if (log != nullptr && log_size > 0) {
      std::strncpy(log, "ptxas fatal   : mock: Unresolved extern function 'mock_invalid'",
                   log_size - 1);
      log[log_size - 1] = '\0';
    }
    return CUDA_ERROR_INVALID_PTX;
  }
  *module = reinterpret_cast<CUmodule>(m);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuModuleUnload(CUmodule module) {
  delete reinterpret_cast<Module*>(module);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuModuleGetFunction(CUfunction* function, CUmodule module, const char* name) {
  auto* m = reinterpret_cast<Module*>(module);
  auto it = m->functions.find(name);
  if (it == m->functions.end()) return CUDA_ERROR_NOT_FOUND;
  *function = reinterpret_cast<CUfunction>(&it->second);
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuFuncGetAttribute(int* value, CUfunction_attribute attribute,
                                     CUfunction function) {
  auto* f = reinterpret_cast<Function*>(function);
  switch (attribute) {
    case CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK:
      *value = 1024;
      return CUDA_SUCCESS;
    case CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES:
      *value = 0;
      return CUDA_SUCCESS;
    case CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES:
      *value = f->max_dynamic_shared;
      return CUDA_SUCCESS;
    default:
      return CUDA_ERROR_INVALID_VALUE;
  }
}

MOCK_API CUresult cuFuncSetAttribute(CUfunction function, CUfunction_attribute attribute,
                                     int value) {
  auto* f = reinterpret_cast<Function*>(function);
  if (attribute != CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES) return CUDA_ERROR_INVALID_VALUE;
  if (value < 0 || value > kOptinShared) return CUDA_ERROR_INVALID_VALUE;
  f->max_dynamic_shared = value;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuFuncGetParamInfo(CUfunction function, size_t index, size_t* offset,
                                     size_t* size) {
  auto* f = reinterpret_cast<Function*>(function);
  if (index >= f->params.size()) return CUDA_ERROR_INVALID_VALUE;
  *offset = f->params[index].offset;
  *size = f->params[index].size;
  return CUDA_SUCCESS;
}

MOCK_API CUresult cuLaunchKernel(CUfunction function, unsigned gx, unsigned gy, unsigned gz,
                                 unsigned bx, unsigned by, unsigned bz, unsigned shared, CUstream,
                                 void** params, void** extra) {
  MOCK_NEED_CONTEXT();
  MOCK_CHECK_STICKY();
  auto* f = reinterpret_cast<Function*>(function);
  if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0 ||
      uint64_t{bx} * by * bz > 1024 || static_cast<int>(shared) > f->max_dynamic_shared ||
      extra != nullptr || (!f->params.empty() && params == nullptr)) {
    return CUDA_ERROR_INVALID_VALUE;
  }
  if (f->name == "mock_fault") {
    mock().sticky = CUDA_ERROR_ILLEGAL_ADDRESS;  // reported at the next call, as on a GPU
    return CUDA_SUCCESS;
  }
  if (f->name == "ohal_bench_empty") return CUDA_SUCCESS;
  if ((f->name == "saxpy" || f->name == "ohal_bench_saxpy") && f->params.size() == 4) {
    uint32_t n;
    float a;
    const float* x;
    float* y;
    std::memcpy(&n, params[0], sizeof(n));
    std::memcpy(&a, params[1], sizeof(a));
    std::memcpy(&x, params[2], sizeof(x));
    std::memcpy(&y, params[3], sizeof(y));
    for (uint64_t block = 0; block < gx; ++block) {
      for (uint64_t thread = 0; thread < bx; ++thread) {
        const uint64_t i = block * bx + thread;
        if (i < n) y[i] = a * x[i] + y[i];
      }
    }
    return CUDA_SUCCESS;
  }
  // ohal-bench's block reduction: block b sums x[b*bx*items, (b+1)*bx*items) into partial[b].
  if (f->name == "ohal_bench_block_reduce" && f->params.size() == 4) {
    uint32_t n;
    uint32_t items;
    const float* x;
    float* partial;
    std::memcpy(&n, params[0], sizeof(n));
    std::memcpy(&items, params[1], sizeof(items));
    std::memcpy(&x, params[2], sizeof(x));
    std::memcpy(&partial, params[3], sizeof(partial));
    for (uint64_t block = 0; block < gx; ++block) {
      float sum = 0.0f;
      for (uint64_t k = 0; k < uint64_t{bx} * items; ++k) {
        const uint64_t i = block * bx * items + k;
        if (i < n) sum += x[i];
      }
      partial[block] = sum;
    }
    return CUDA_SUCCESS;
  }
  return CUDA_ERROR_NOT_SUPPORTED;
}
