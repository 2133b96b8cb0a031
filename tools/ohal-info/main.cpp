// ohal-info: every backend (loaded, or why not) and every visible device with its properties.
//   ohal-info [--json]
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "json_string.hpp"
#include "openai_hal/ohal.h"

namespace {

using ohal_tools::json_string;

const char* kFormatNames[] = {"NATIVE_SO",  "PTX",          "CUBIN",
                              "FATBIN",     "CUDA_SOURCE",  "HSACO",
                              "HIP_SOURCE", "SPIRV_OPENCL", "SPIRV_VULKAN"};

struct Capability {
  uint32_t bit;
  const char* name;
};
const Capability kCapabilities[] = {
    {OHAL_CAP_UNIFIED_ADDRESSING, "unified_addressing"},
    {OHAL_CAP_MEM_HOST, "mem_host"},
    {OHAL_CAP_MEM_SHARED, "mem_shared"},
    {OHAL_CAP_ATOMICS_64, "atomics_64"},
    {OHAL_CAP_EVENT_TIMING, "event_timing"},
    {OHAL_CAP_HOST_FUNC, "host_func"},
    {OHAL_CAP_DYNAMIC_SHARED, "dynamic_shared"},
    {OHAL_CAP_KERNEL_ARG_SIZES, "kernel_arg_sizes"},
};

const char* type_name(ohal_device_type_t type) {
  switch (type) {
    case OHAL_DEVICE_TYPE_CPU:
      return "cpu";
    case OHAL_DEVICE_TYPE_GPU:
      return "gpu";
    case OHAL_DEVICE_TYPE_INTEGRATED_GPU:
      return "integrated_gpu";
    case OHAL_DEVICE_TYPE_ACCELERATOR:
      return "accelerator";
    default:
      return "other";
  }
}

std::string list(uint32_t mask, bool formats, bool json) {
  std::string out;
  auto add = [&](const char* name) {
    if (!out.empty()) out += json ? ", " : " ";
    out += json ? json_string(name) : std::string(name);
  };
  if (formats) {
    for (uint32_t i = 0; i < OHAL_KERNEL_FORMAT_COUNT_; ++i) {
      if (mask & OHAL_FORMAT_BIT(i)) add(kFormatNames[i]);
    }
  } else {
    for (const Capability& cap : kCapabilities) {
      if (mask & cap.bit) add(cap.name);
    }
  }
  return json ? "[" + out + "]" : out;
}

std::string uuid_text(const uint8_t* uuid) {
  std::string out;
  for (int i = 0; i < OHAL_UUID_SIZE; ++i) {
    out += fmt::format("{:02x}", uuid[i]);
    if (i == 3 || i == 5 || i == 7 || i == 9) out += '-';
  }
  return out;
}

std::string pci_text(const ohal_device_properties_t& p) {
  if (p.pci_bus == 0xffffffffu) return "unknown";
  return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", p.pci_domain, p.pci_bus, p.pci_device,
                     p.pci_function);
}

double gib(uint64_t bytes) {
  return static_cast<double>(bytes) / 1073741824.0;
}

int fail(const char* what, ohal_result_t result) {
  std::fprintf(stderr, "ohal-info: %s failed: %s: %s\n", what, ohal_result_string(result),
               ohal_last_error_message());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) {
      json = true;
    } else {
      std::fprintf(
          stderr,
          "usage: ohal-info [--json]\n"
          "Lists every backend plugin (loaded, or why not) and every visible device.\n"
          "Environment: OHAL_BACKENDS, OHAL_BACKEND_PATH, OHAL_VISIBLE_DEVICES, OHAL_LOG\n");
      return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
  }
  uint32_t backend_count = 0, device_count = 0;
  ohal_result_t r = ohal_backend_count(&backend_count);
  if (r != OHAL_SUCCESS) return fail("ohal_backend_count", r);
  r = ohal_device_count(&device_count);
  if (r != OHAL_SUCCESS) return fail("ohal_device_count", r);

  std::string out = json ? "{\n  \"backends\": [" : "Backends:\n";
  for (uint32_t i = 0; i < backend_count; ++i) {
    ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
    if ((r = ohal_backend_get_info(i, &info)) != OHAL_SUCCESS)
      return fail("ohal_backend_get_info", r);
    const bool loaded = info.status == OHAL_BACKEND_STATUS_LOADED;
    if (json) {
      out += fmt::format(
          "{}\n    {{\"name\": {}, \"status\": \"{}\", \"reason\": {}, \"version\": {}, "
          "\"path\": {}, \"device_count\": {}, \"abi_version\": \"{}.{}\"}}",
          i ? "," : "", json_string(info.name), loaded ? "loaded" : "failed",
          json_string(info.status_reason), json_string(info.version), json_string(info.path),
          info.device_count, info.abi_version >> 16, info.abi_version & 0xffff);
    } else if (loaded) {
      out += fmt::format("  {:<10} loaded   {} device(s)  {}  [{}]{}{}\n", info.name,
                         info.device_count, info.version, info.path,
                         info.status_reason[0] ? "\n             " : "", info.status_reason);
    } else {
      out += fmt::format("  {:<10} FAILED   {}  [{}]\n", info.name, info.status_reason,
                         info.path[0] ? info.path : "not found");
    }
  }
  out += json ? "\n  ],\n  \"devices\": [" : fmt::format("Devices ({}):\n", device_count);
  for (uint32_t i = 0; i < device_count; ++i) {
    ohal_device_t device = nullptr;
    ohal_device_properties_t p = OHAL_DEVICE_PROPERTIES_INIT;
    if ((r = ohal_device_get(i, &device)) != OHAL_SUCCESS) return fail("ohal_device_get", r);
    if ((r = ohal_device_get_properties(device, &p)) != OHAL_SUCCESS) {
      return fail("ohal_device_get_properties", r);
    }
    if (json) {
      out += fmt::format(
          "{}\n    {{\"index\": {}, \"name\": {}, \"vendor\": {}, \"backend\": {}, "
          "\"backend_device_index\": {}, \"type\": \"{}\", \"total_memory\": {}, "
          "\"free_memory\": {}, \"max_allocation_size\": {}, \"max_block_dims\": [{}, {}, {}], "
          "\"max_threads_per_block\": {}, \"max_grid_dims\": [{}, {}, {}], "
          "\"max_shared_bytes_per_block\": {}, \"max_kernel_arg_bytes\": {}, "
          "\"subgroup_size\": {}, \"compute_units\": {}, \"memory_alignment\": {}, "
          "\"kernel_formats\": {}, \"capabilities\": {}, \"uuid\": \"{}\", \"pci\": \"{}\"}}",
          i ? "," : "", i, json_string(p.name), json_string(p.vendor), json_string(p.backend),
          p.backend_device_index, type_name(p.type), p.total_memory, p.free_memory,
          p.max_allocation_size, p.max_block_dims[0], p.max_block_dims[1], p.max_block_dims[2],
          p.max_threads_per_block, p.max_grid_dims[0], p.max_grid_dims[1], p.max_grid_dims[2],
          p.max_shared_bytes_per_block, p.max_kernel_arg_bytes, p.subgroup_size, p.compute_units,
          p.memory_alignment, list(p.kernel_formats, true, true), list(p.capabilities, false, true),
          uuid_text(p.uuid), pci_text(p));
    } else {
      out += fmt::format(
          "  [{}] {} ({}:{})\n"
          "      vendor {}, type {}, {} compute units, subgroup {}\n"
          "      memory {:.1f} GiB total, {:.1f} GiB free, max allocation {:.1f} GiB, alignment "
          "{}\n"
          "      block <= {}x{}x{} ({} threads), grid <= {}x{}x{}, shared {} B, kernel args {} B\n"
          "      formats: {}\n"
          "      capabilities: {}\n"
          "      uuid {}, pci {}\n",
          i, p.name, p.backend, p.backend_device_index, p.vendor, type_name(p.type),
          p.compute_units, p.subgroup_size, gib(p.total_memory), gib(p.free_memory),
          gib(p.max_allocation_size), p.memory_alignment, p.max_block_dims[0], p.max_block_dims[1],
          p.max_block_dims[2], p.max_threads_per_block, p.max_grid_dims[0], p.max_grid_dims[1],
          p.max_grid_dims[2], p.max_shared_bytes_per_block, p.max_kernel_arg_bytes,
          list(p.kernel_formats, true, false), list(p.capabilities, false, false),
          uuid_text(p.uuid), pci_text(p));
    }
  }
  out += json ? "\n  ]\n}\n" : "";
  std::fputs(out.c_str(), stdout);
  ohal_shutdown();
  return 0;
}
