// NATIVE_SO modules. The image is checked as an ELF shared object for this host before the
// dynamic loader sees it, then written to a memfd and opened through /proc/self/fd/N with
// RTLD_LOCAL (no file on disk; the memfd is closed at unload). Kernels come from the image's
// ohal_cpu_kernel_table() (kernel.h emits it).
#include "module.h"

#include <dlfcn.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_set>

#include "elf_check.h"

namespace ohal::cpu_ref {

namespace {

constexpr uint32_t kMaxKernels = 1u << 16;
constexpr size_t kMaxKernelName = 1024;

ohal_result_t invalid(const std::string& why) {
  return set_error(OHAL_ERROR_INVALID_IMAGE, "NATIVE_SO image: " + why);
}

// Does [offset, offset + bytes) lie within size?
bool within(uint64_t offset, uint64_t bytes, uint64_t size) {
  return offset <= size && bytes <= size - offset;
}

ohal_result_t write_all(int fd, const unsigned char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      return set_error(
          error == ENOMEM || error == ENOSPC ? OHAL_ERROR_OUT_OF_HOST_MEMORY : OHAL_ERROR_BACKEND,
          "cpu_ref: " + errno_message("write(memfd)", error));
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return OHAL_SUCCESS;
}

// A name for dlopen that no loaded object has: the loader returns an already loaded object when
// the name matches one (an older image that could not be unloaded may hold /proc/self/fd/N).
std::string unique_path(int fd) {
  std::string dir = "/proc/self/fd/";
  for (int attempt = 0; attempt < 64; ++attempt, dir += "./") {
    std::string path = dir + std::to_string(fd);
    void* existing = dlopen(path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
    if (existing == nullptr) return path;
    dlclose(existing);
  }
  return dir + std::to_string(fd);
}

// Where the loader put the image: pointers the image hands back must point into it.
struct Mapped {
  uintptr_t base = 0;
  std::vector<LoadSegment> loads;

  // Bytes [p, p + bytes) lie in one segment (an executable one if exec).
  bool holds(const void* p, uint64_t bytes, bool exec = false) const {
    const uintptr_t a = reinterpret_cast<uintptr_t>(p);
    if (a < base) return false;
    const uint64_t v = a - base;
    for (const auto& l : loads) {
      if (v >= l.vaddr && within(v - l.vaddr, bytes, l.memsz)) return !exec || l.executable;
    }
    return false;
  }
  // A NUL-terminated string inside one segment.
  bool holds_string(const char* s) const {
    const uintptr_t a = reinterpret_cast<uintptr_t>(s);
    if (a < base) return false;
    const uint64_t v = a - base;
    for (const auto& l : loads) {
      if (v >= l.vaddr && v - l.vaddr < l.memsz) {
        const uint64_t room = std::min<uint64_t>(l.memsz - (v - l.vaddr), kMaxKernelName);
        return std::memchr(s, 0, room) != nullptr;
      }
    }
    return false;
  }
};

ohal_result_t check_desc(const Mapped& image, const ohal_cpu_kernel_desc_t& d, uint32_t index) {
  const std::string where = "kernel descriptor " + std::to_string(index);
  if (d.abi_version != OHAL_CPU_KERNEL_ABI_VERSION) {
    return invalid(where + " has kernel ABI version " + std::to_string(d.abi_version) +
                   ", this backend reads version " + std::to_string(OHAL_CPU_KERNEL_ABI_VERSION) +
                   " (rebuild the image with this openai_hal/kernel.h)");
  }
  if (d.struct_size != sizeof(ohal_cpu_kernel_desc_t)) return invalid(where + " has a bad size");
  if (!image.holds_string(d.name) ||
      !image.holds(reinterpret_cast<const void*>(d.entry), 1, true)) {
    return invalid(where + " has a name or entry outside the image");
  }
  if (strnlen(d.name, kMaxKernelName) == kMaxKernelName || d.name[0] == '\0') {
    return invalid(where + " has an empty or overlong name");
  }
  if (d.arg_count > OHAL_CPU_KERNEL_MAX_ARGS || d.args_align == 0 ||
      d.args_align > OHAL_CPU_ARGS_ALIGN || (d.args_align & (d.args_align - 1)) != 0) {
    return invalid(where + " ('" + d.name + "') has a bad argument layout");
  }
  for (uint32_t i = 0; i < d.arg_count; ++i) {
    if (d.arg_sizes[i] == 0 || !within(d.arg_offsets[i], d.arg_sizes[i], d.args_size)) {
      return invalid(where + " ('" + d.name + "') has a bad argument layout");
    }
  }
  return OHAL_SUCCESS;
}

// Lays out every kernel's OHAL_SHARED_ARRAYs in section (declaration) order, writing each
// declaration's offset, and sums each kernel's static shared bytes.
ohal_result_t layout_shared(const Mapped& image, const ohal_cpu_kernel_list_t& list,
                            std::vector<std::unique_ptr<Kernel>>& kernels) {
  // dlopen hands two loads of the same image (same soname) one mapping, so concurrent loads
  // would write these offsets at the same time.
  static std::mutex layout_mutex;
  std::lock_guard<std::mutex> lock(layout_mutex);
  std::vector<uint64_t> cursor(kernels.size(), 0);
  for (uint32_t i = 0; i < list.shared_decl_count; ++i) {
    auto& decl = const_cast<ohal_cpu_shared_decl_t&>(list.shared_decls[i]);
    if (!image.holds_string(decl.kernel)) return invalid("a shared array has no function name");
    size_t k = 0;
    while (k < kernels.size() && kernels[k]->name != decl.kernel) ++k;
    if (k == kernels.size()) {
      return invalid(std::string("OHAL_SHARED_ARRAY in '") + decl.kernel +
                     "', which is not a kernel: declare shared arrays in kernel bodies");
    }
    const uint64_t align =
        decl.align < 16 || (decl.align & (decl.align - 1)) != 0 ? 16 : decl.align;
    const uint64_t offset = (cursor[k] + align - 1) / align * align;
    cursor[k] = offset + decl.bytes;
    decl.offset = offset > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(offset);
  }
  for (size_t k = 0; k < kernels.size(); ++k) {
    kernels[k]->static_shared_bytes =
        cursor[k] > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(cursor[k]);
  }
  return OHAL_SUCCESS;
}

}  // namespace

Module::~Module() {
  if (handle_ != nullptr) dlclose(handle_);
  if (fd_ >= 0) close(fd_);
}

ohal_result_t Module::unload() {
  ohal_result_t result = OHAL_SUCCESS;
  if (handle_ != nullptr && dlclose(handle_) != 0) {
    const char* why = dlerror();
    result = set_error(OHAL_ERROR_BACKEND,
                       std::string("cpu_ref: dlclose: ") + (why != nullptr ? why : "failed"));
  }
  handle_ = nullptr;
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  return result;
}

Kernel* Module::find(const char* name) const {
  for (const auto& k : kernels_) {
    if (k->name == name) return k.get();
  }
  return nullptr;
}

ohal_result_t module_load(const ohal_module_desc_t* desc, Module** out) {
  const auto* data = static_cast<const unsigned char*>(desc->data);
  Mapped image;
  if (std::string why = check_elf_image(data, desc->size, &image.loads); !why.empty()) {
    return invalid(why);
  }

  const int fd = memfd_create("ohal_cpu_ref_module", MFD_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return set_error(error == ENOMEM || error == EMFILE || error == ENFILE
                         ? OHAL_ERROR_OUT_OF_HOST_MEMORY
                         : OHAL_ERROR_BACKEND,
                     "cpu_ref: " + errno_message("memfd_create", error));
  }
  if (ohal_result_t r = write_all(fd, data, desc->size); r != OHAL_SUCCESS) {
    close(fd);
    return r;
  }
  const std::string path = unique_path(fd);
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    close(fd);
    return invalid(std::string("dlopen: ") + (why != nullptr ? why : "failed"));
  }
  std::unique_ptr<Module> module(new (std::nothrow) Module(handle, fd));
  if (!module) {
    dlclose(handle);
    close(fd);
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for the module");
  }

  link_map* map = nullptr;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || map == nullptr) {
    const char* why = dlerror();
    return set_error(OHAL_ERROR_BACKEND,
                     std::string("cpu_ref: dlinfo: ") + (why != nullptr ? why : "failed"));
  }
  image.base = map->l_addr;
  void* symbol = dlsym(handle, OHAL_CPU_KERNEL_TABLE_SYMBOL);
  if (symbol == nullptr) {
    return invalid(std::string("no ") + OHAL_CPU_KERNEL_TABLE_SYMBOL +
                   " symbol: not built from openai_hal/kernel.h sources");
  }
  if (!image.holds(symbol, 1, true)) {
    return invalid(std::string(OHAL_CPU_KERNEL_TABLE_SYMBOL) + " lies outside the image's code");
  }
  ohal_cpu_kernel_list_t list;
  std::memset(&list, 0, sizeof list);
  reinterpret_cast<ohal_cpu_kernel_table_fn>(symbol)(&list);
  if (list.abi_version != OHAL_CPU_KERNEL_ABI_VERSION) {
    return invalid("kernel ABI version " + std::to_string(list.abi_version) +
                   ", this backend reads version " + std::to_string(OHAL_CPU_KERNEL_ABI_VERSION));
  }
  if (list.desc_size != sizeof(ohal_cpu_kernel_desc_t) || list.count > kMaxKernels ||
      (list.count > 0 && !image.holds(list.descs, uint64_t{list.count} * list.desc_size)) ||
      list.shared_decl_size != sizeof(ohal_cpu_shared_decl_t) ||
      list.shared_decl_count > kMaxKernels ||
      (list.shared_decl_count > 0 &&
       !image.holds(list.shared_decls, uint64_t{list.shared_decl_count} * list.shared_decl_size))) {
    return invalid("malformed kernel table");
  }
  try {
    std::unordered_set<std::string> names;
    for (uint32_t i = 0; i < list.count; ++i) {
      const ohal_cpu_kernel_desc_t& d = list.descs[i];
      if (ohal_result_t r = check_desc(image, d, i); r != OHAL_SUCCESS) return r;
      if (!names.insert(d.name).second) {
        return invalid(std::string("two kernels are named '") + d.name + "'");
      }
      auto k = std::make_unique<Kernel>();
      k->module = module.get();
      k->desc = &d;
      k->name = d.name;
      module->kernels().push_back(std::move(k));
    }
  } catch (const std::bad_alloc&) {
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for the kernel list");
  }
  if (ohal_result_t r = layout_shared(image, list, module->kernels()); r != OHAL_SUCCESS) return r;
  *out = module.release();
  return OHAL_SUCCESS;
}

void kernel_get_properties(const Kernel& kernel, ohal_kernel_properties_t* p) {
  ohal_kernel_properties_t d;
  std::memset(&d, 0, sizeof d);
  d.struct_size = p->struct_size;
  std::snprintf(d.name, sizeof d.name, "%s", kernel.name.c_str());
  d.max_threads_per_block = kMaxThreadsPerBlock;
  d.static_shared_bytes = kernel.static_shared_bytes;
  d.arg_count_known = 1;
  d.arg_count = kernel.desc->arg_count;
  for (uint32_t i = 0; i < d.arg_count; ++i) d.arg_sizes[i] = kernel.desc->arg_sizes[i];
  std::memcpy(p, &d, std::min(sizeof d, p->struct_size));
}

}  // namespace ohal::cpu_ref
