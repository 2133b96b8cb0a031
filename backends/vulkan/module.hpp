// SPIRV_VULKAN modules: one VkShaderModule, a kernel per GLCompute entry point, and pipelines
// cached per (kernel, block size, dynamic shared size).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "device.hpp"
#include "spirv.hpp"

namespace ohal::vk {

class Module;

class Kernel {
 public:
  Kernel(Module& m, spirv::EntryPoint e) : module(m), entry(std::move(e)) {}
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // The pipeline for this block size and dynamic shared size (compiled on first use).
  ohal_result_t pipeline(const uint32_t block[3], uint32_t shared_bytes, VkPipeline& out);
  void get_properties(ohal_kernel_properties_t& out) const;

  Module& module;
  const spirv::EntryPoint entry;
  std::string label;  // "launch <name>", for stream error messages
  VkPipelineLayout layout = VK_NULL_HANDLE;
  uint32_t push_range = 0;  // bytes of the layout's push-constant range
  bool flexible[3] = {};    // dimension d is set by specialization constant d

 private:
  struct Key {
    uint32_t block[3];
    uint32_t shared;
    bool operator==(const Key& o) const {
      return block[0] == o.block[0] && block[1] == o.block[1] && block[2] == o.block[2] &&
             shared == o.shared;
    }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      uint64_t h = k.block[0];
      h = h * 1000003u ^ k.block[1];
      h = h * 1000003u ^ k.block[2];
      h = h * 1000003u ^ k.shared;
      return static_cast<size_t>(h);
    }
  };
  std::mutex mutex_;
  std::unordered_map<Key, VkPipeline, KeyHash> pipelines_;
};

class Module {
 public:
  static ohal_result_t load(Device& device, const ohal_module_desc_t& desc, Module** out);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  Kernel* find(const char* name) const;
  // The image with every LocalSizeId turned into a literal LocalSize: `block` for the entry
  // point `function` (its specializable dimensions), the declared defaults elsewhere.
  std::vector<uint32_t> literal_sizes(uint32_t function, const uint32_t block[3]) const;

  Device& device;
  VkShaderModule shader = VK_NULL_HANDLE;
  std::vector<std::unique_ptr<Kernel>> kernels;
  // The image, kept to make per-pipeline copies with literal work-group sizes.
  std::vector<uint32_t> words;
  std::vector<spirv::LocalSizeIdSite> local_size_id_sites;
  size_t entry_point_count = 0;  // of every execution model

 private:
  explicit Module(Device& d) : device(d) {}
};

inline Module* to_module(ohal_bmodule_t handle) {
  return reinterpret_cast<Module*>(handle);
}
inline ohal_bmodule_t to_handle(Module* module) {
  return reinterpret_cast<ohal_bmodule_t>(module);
}
inline Kernel* to_kernel(ohal_bkernel_t handle) {
  return reinterpret_cast<Kernel*>(handle);
}
inline ohal_bkernel_t to_handle(Kernel* kernel) {
  return reinterpret_cast<ohal_bkernel_t>(kernel);
}

}  // namespace ohal::vk
