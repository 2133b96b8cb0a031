// The device: what the host CPU offers, device memory accounting, and the list of streams that
// device_synchronize waits for.
#include "device.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "stream.h"
#include "thread_pool.h"

namespace ohal::cpu_ref {

namespace {

Device* g_device = nullptr;

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  const size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// The first value of each "key : value" line of /proc/cpuinfo we care about.
void read_cpuinfo(std::string* name, std::string* vendor) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 1));
    if (value.empty()) continue;
    if (name->empty() && (key == "model name" || key == "Model" || key == "cpu model")) {
      *name = value;
    } else if (vendor->empty() && (key == "vendor_id" || key == "vendor")) {
      *vendor = value;
    }
  }
  if (*vendor == "GenuineIntel") *vendor = "Intel";
  if (*vendor == "AuthenticAMD") *vendor = "AMD";
  if (name->empty()) *name = "Host CPU";
  if (vendor->empty()) *vendor = "unknown";
}

// MemAvailable of /proc/meminfo in bytes; 0 when unknown.
uint64_t available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  return 0;
}

uint64_t fnv1a(const std::string& s, uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace

Device::Device() {
  read_cpuinfo(&name_, &vendor_);
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  total_memory_ = pages > 0 && page_size > 0
                      ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size)
                      : (uint64_t{1} << 32);
  if (const char* env = std::getenv("OHAL_CPU_REF_MEMORY_LIMIT")) {
    char* end = nullptr;
    const unsigned long long cap = std::strtoull(env, &end, 10);
    if (end != env && *end == '\0' && cap > 0) {
      total_memory_ = std::min<uint64_t>(total_memory_, cap);
      memory_capped_ = true;
    } else {
      log(OHAL_LOG_LEVEL_WARN, std::string("ignoring OHAL_CPU_REF_MEMORY_LIMIT='") + env +
                                   "' (want a byte count above 0)");
    }
  }
  // Same machine, same UUID: a hash of what identifies the CPU (RFC 4122 version 5 layout).
  const std::string key = std::string("openai_hal/cpu_ref/") + vendor_ + "/" + name_;
  const uint64_t h1 = fnv1a(key, 0xcbf29ce484222325ull);
  const uint64_t h2 = fnv1a(key, h1 ^ 0x9e3779b97f4a7c15ull);
  for (int i = 0; i < 8; ++i) {
    uuid_[i] = static_cast<uint8_t>(h1 >> (8 * i));
    uuid_[8 + i] = static_cast<uint8_t>(h2 >> (8 * i));
  }
  uuid_[6] = static_cast<uint8_t>((uuid_[6] & 0x0f) | 0x50);
  uuid_[8] = static_cast<uint8_t>((uuid_[8] & 0x3f) | 0x80);
}

void Device::get_properties(ohal_device_properties_t* p) const {
  // Copy the field block only as far as the caller's struct reaches (appended fields).
  ohal_device_properties_t d;
  std::memset(&d, 0, sizeof d);
  d.struct_size = p->struct_size;
  std::snprintf(d.name, sizeof d.name, "%s", name_.c_str());
  std::snprintf(d.vendor, sizeof d.vendor, "%s", vendor_.c_str());
  d.type = OHAL_DEVICE_TYPE_CPU;
  d.total_memory = total_memory_;
  d.free_memory = free_memory();
  d.max_allocation_size = total_memory_;
  for (int i = 0; i < 3; ++i) {
    d.max_block_dims[i] = kMaxBlockDims[i];
    d.max_grid_dims[i] = kMaxGridDims[i];
  }
  d.max_threads_per_block = kMaxThreadsPerBlock;
  d.max_shared_bytes_per_block = kMaxSharedBytes;
  d.max_kernel_arg_bytes = kMaxKernelArgBytes;
  d.subgroup_size = 1;
  d.compute_units = std::max<uint32_t>(1, ThreadPool::instance().size());
  d.kernel_formats = OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_NATIVE_SO);
  std::memcpy(d.uuid, uuid_, sizeof d.uuid);
  d.pci_domain = d.pci_bus = d.pci_device = d.pci_function = 0xffffffffu;
  d.capabilities = OHAL_CAP_UNIFIED_ADDRESSING | OHAL_CAP_MEM_HOST | OHAL_CAP_MEM_SHARED |
                   OHAL_CAP_ATOMICS_64 | OHAL_CAP_EVENT_TIMING | OHAL_CAP_HOST_FUNC |
                   OHAL_CAP_DYNAMIC_SHARED | OHAL_CAP_KERNEL_ARG_SIZES;
  d.memory_alignment = kMemoryAlignment;
  // Keep the front-end's backend fields.
  std::memcpy(d.backend, p->backend, sizeof d.backend);
  d.backend_device_index = p->backend_device_index;
  std::memcpy(p, &d, std::min(sizeof d, p->struct_size));
}

ohal_result_t Device::synchronize() {
  std::vector<std::shared_ptr<Stream>> streams;
  {
    std::lock_guard<std::mutex> lock(mu_);
    streams = streams_;
  }
  for (const auto& s : streams) s->wait_for(s->submitted());
  for (const auto& s : streams) {
    if (ohal_result_t r = s->sticky(); r != OHAL_SUCCESS) return r;
  }
  return OHAL_SUCCESS;
}

bool Device::reserve(uint64_t bytes) {
  uint64_t used = used_.load(std::memory_order_relaxed);
  do {
    if (bytes > total_memory_ || used > total_memory_ - bytes) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  return true;
}

void Device::unreserve(uint64_t bytes) {
  used_.fetch_sub(bytes, std::memory_order_relaxed);
}

uint64_t Device::free_memory() const {
  const uint64_t used = used_.load(std::memory_order_relaxed);
  uint64_t free_bytes = used < total_memory_ ? total_memory_ - used : 0;
  if (!memory_capped_) {
    const uint64_t available = available_memory();
    if (available > 0) free_bytes = std::min(free_bytes, available);
  }
  return free_bytes;
}

void Device::add_stream(std::shared_ptr<Stream> stream) {
  std::lock_guard<std::mutex> lock(mu_);
  streams_.push_back(std::move(stream));
}

std::shared_ptr<Stream> Device::remove_stream(Stream* stream) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = streams_.begin(); it != streams_.end(); ++it) {
    if (it->get() == stream) {
      std::shared_ptr<Stream> s = std::move(*it);
      *it = std::move(streams_.back());
      streams_.pop_back();
      return s;
    }
  }
  return nullptr;
}

Device* the_device() {
  return g_device;
}

ohal_result_t create_device() {
  if (g_device != nullptr) return OHAL_SUCCESS;
  try {
    g_device = new Device();
  } catch (const std::bad_alloc&) {
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for the device");
  }
  return OHAL_SUCCESS;
}

void destroy_device() {
  delete g_device;
  g_device = nullptr;
}

}  // namespace ohal::cpu_ref
