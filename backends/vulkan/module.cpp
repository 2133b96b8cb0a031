#include "module.hpp"

#include <algorithm>
#include <cstring>

namespace ohal::vk {

namespace {

// The device feature a SPIR-V capability needs; true when the device has it (or the table
// does not know the capability, which the driver then judges).
bool capability_supported(const Device& device, uint32_t capability, const char*& feature) {
  const Device::Features& f = device.features;
  switch (capability) {
    case 9:
      feature = "shaderFloat16";
      return f.float16;
    case 10:
      feature = "shaderFloat64";
      return f.float64;
    case 11:
      feature = "shaderInt64";
      return f.int64;
    case 12:
      feature = "shaderBufferInt64Atomics";
      return f.int64_atomics;
    case 22:
      feature = "shaderInt16";
      return f.int16;
    case 39:
      feature = "shaderInt8";
      return f.int8;
    case 4433:
    case 4434:
      feature = "storageBuffer16BitAccess";
      return f.storage16;
    case 4435:
      feature = "storagePushConstant16";
      return f.push16;
    case 4448:
    case 4449:
      feature = "storageBuffer8BitAccess";
      return f.storage8;
    case 4450:
      feature = "storagePushConstant8";
      return f.push8;
    case 5345:
      feature = "vulkanMemoryModel";
      return f.vulkan_memory_model;
    case 5346:
      feature = "vulkanMemoryModelDeviceScope";
      return f.vulkan_memory_model_device_scope;
    default:
      if (capability >= 61 && capability <= 68) {
        feature = "subgroupSupportedOperations (compute stage)";
        return (f.subgroup_ops & (1u << (capability - 61))) != 0;
      }
      return true;
  }
}

uint32_t max_spirv_version(uint32_t api_version) {
  if (api_version >= VK_API_VERSION_1_3) return 0x00010600u;
  return 0x00010500u;  // Vulkan 1.2
}

}  // namespace

Kernel::~Kernel() {
  Device& device = module.device;
  for (auto& [key, pipeline] : pipelines_)
    device.fn.vkDestroyPipeline(device.device, pipeline, nullptr);
  if (layout != VK_NULL_HANDLE) device.fn.vkDestroyPipelineLayout(device.device, layout, nullptr);
}

ohal_result_t Kernel::pipeline(const uint32_t block[3], uint32_t shared_bytes, VkPipeline& out) {
  Key key{{flexible[0] ? block[0] : 0, flexible[1] ? block[1] : 0, flexible[2] ? block[2] : 0},
          entry.uses_dynamic_shared ? shared_bytes : 0};
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = pipelines_.find(key);
  if (it != pipelines_.end()) {
    out = it->second;
    return OHAL_SUCCESS;
  }
  Device& device = module.device;
  // A zero-length shared array is not valid GLSL: the idiom's array gets at least 16 bytes.
  const uint32_t data[4] = {block[0], block[1], block[2], std::max(shared_bytes, 16u)};
  const VkSpecializationMapEntry map[4] = {{spirv::kSpecBlockX, 0, 4},
                                           {spirv::kSpecBlockY, 4, 4},
                                           {spirv::kSpecBlockZ, 8, 4},
                                           {spirv::kSpecSharedBytes, 12, 4}};
  VkSpecializationInfo spec{4, map, sizeof data, data};
  // LocalSizeId (the form ohal-spirv-entry writes) needs maintenance4; a copy of the image with
  // literal LocalSize for this block size runs everywhere and compiles to the same pipeline.
  // The copy keeps only this kernel: tools that judge a module whole (Khronos validation adds
  // up every kernel's shared memory) then judge this one alone.
  VkShaderModule patched = VK_NULL_HANDLE;
  if (!module.local_size_id_sites.empty() || module.entry_point_count > 1) {
    std::vector<uint32_t> words = module.local_size_id_sites.empty()
                                      ? module.words
                                      : module.literal_sizes(entry.function_id, block);
    if (module.entry_point_count > 1) {
      std::vector<uint32_t> single;
      if (spirv::keep_entry_point(words, entry.function_id, single)) words = std::move(single);
    }
    auto create = vk_struct<VkShaderModuleCreateInfo>(VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
    create.codeSize = words.size() * 4;
    create.pCode = words.data();
    VkResult r = device.fn.vkCreateShaderModule(device.device, &create, nullptr, &patched);
    if (r != VK_SUCCESS) return device.vk_fail("vkCreateShaderModule", r, "kernel " + entry.name);
  }
  auto info =
      vk_struct<VkComputePipelineCreateInfo>(VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO);
  info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  info.stage.module = patched != VK_NULL_HANDLE ? patched : module.shader;
  info.stage.pName = entry.name.c_str();
  info.stage.pSpecializationInfo = &spec;
  info.layout = layout;
  VkPipeline pipeline = VK_NULL_HANDLE;
  VkResult r = device.fn.vkCreateComputePipelines(device.device, device.pipeline_cache, 1, &info,
                                                  nullptr, &pipeline);
  if (patched != VK_NULL_HANDLE) device.fn.vkDestroyShaderModule(device.device, patched, nullptr);
  if (r != VK_SUCCESS) {
    return device.vk_fail("vkCreateComputePipelines", r,
                          fmt::format("kernel '{}', block {}x{}x{}, {} shared bytes", entry.name,
                                      block[0], block[1], block[2], shared_bytes));
  }
  pipelines_.emplace(key, pipeline);
  out = pipeline;
  return OHAL_SUCCESS;
}

void Kernel::get_properties(ohal_kernel_properties_t& out) const {
  const Device& device = module.device;
  std::snprintf(out.name, sizeof out.name, "%s", entry.name.c_str());
  uint64_t threads = 1;
  for (int d = 0; d < 3; ++d)
    threads *= flexible[d] ? device.hal_props.max_block_dims[d] : entry.local_size[d].value;
  out.max_threads_per_block =
      static_cast<uint32_t>(std::min<uint64_t>(threads, device.hal_props.max_threads_per_block));
  out.static_shared_bytes = entry.static_shared_bytes;
  out.arg_count_known = entry.args_known ? 1u : 0u;
  out.arg_count = entry.args_known ? static_cast<uint32_t>(entry.args.size()) : 0u;
  for (size_t i = 0; i < OHAL_KERNEL_MAX_ARGS; ++i)
    out.arg_sizes[i] = entry.args_known && i < entry.args.size() ? entry.args[i].size : 0u;
}

ohal_result_t Module::load(Device& device, const ohal_module_desc_t& desc, Module** out) {
  if (ohal_result_t lost = device.check_lost(); lost != OHAL_SUCCESS) return lost;
  if (desc.size % 4 != 0) {
    return failf(OHAL_ERROR_INVALID_IMAGE,
                 "SPIR-V image of {} bytes: the size is not a multiple of 4", desc.size);
  }
  // The caller's bytes may be unaligned: copy them into words.
  std::vector<uint32_t> words(desc.size / 4);
  std::memcpy(words.data(), desc.data, desc.size);
  spirv::Module info;
  std::string error;
  if (!spirv::parse(words.data(), words.size(), info, error)) {
    return failf(OHAL_ERROR_INVALID_IMAGE, "not a valid SPIR-V module: {}", error);
  }
  if (info.entry_points.empty()) {
    return failf(OHAL_ERROR_INVALID_IMAGE,
                 "the SPIR-V module has no GLCompute entry point ({} of other execution models)",
                 info.other_entry_points);
  }
  if (info.version > max_spirv_version(device.api_version)) {
    return failf(
        OHAL_ERROR_INVALID_IMAGE, "SPIR-V {}.{} is newer than the device's Vulkan {}.{} accepts",
        (info.version >> 16) & 0xff, (info.version >> 8) & 0xff,
        VK_API_VERSION_MAJOR(device.api_version), VK_API_VERSION_MINOR(device.api_version));
  }
  for (uint32_t capability : info.capabilities) {
    const char* feature = nullptr;
    if (!capability_supported(device, capability, feature)) {
      const char* name = spirv::capability_name(capability);
      return failf(OHAL_ERROR_UNSUPPORTED,
                   "the module needs SPIR-V capability {} ({}), which the device does not offer",
                   name != nullptr ? name : fmt::format("{}", capability), feature);
    }
  }
  const uint32_t max_push = device.props.limits.maxPushConstantsSize;
  for (const spirv::EntryPoint& e : info.entry_points) {
    if (e.push_constant_bytes > max_push) {
      return failf(OHAL_ERROR_UNSUPPORTED,
                   "kernel '{}' has a {}-byte push-constant block; the device allows {} (pass "
                   "large argument lists through a readonly argument block, "
                   "docs/VULKAN_KERNELS.md)",
                   e.name, e.push_constant_bytes, max_push);
    }
  }

  std::unique_ptr<Module> m(new Module(device));
  m->local_size_id_sites = info.local_size_id_sites;
  m->entry_point_count = info.entry_points.size() + info.other_entry_points;
  m->words = std::move(words);
  for (spirv::EntryPoint& e : info.entry_points) {
    auto k = std::make_unique<Kernel>(*m, std::move(e));
    k->label = "launch " + k->entry.name;
    for (uint32_t d = 0; d < 3; ++d) {
      k->flexible[d] = k->entry.local_size[d].specialized && k->entry.local_size[d].spec_id == d;
    }
    if (k->entry.has_push_constants) {
      // Unknown member sizes: cover the device's whole range so any block fits.
      k->push_range = k->entry.args_known || k->entry.args_indirect
                          ? (k->entry.push_constant_bytes + 3) & ~3u
                          : max_push & ~3u;
    }
    VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, k->push_range};
    auto layout =
        vk_struct<VkPipelineLayoutCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO);
    layout.pushConstantRangeCount = k->push_range > 0 ? 1 : 0;
    layout.pPushConstantRanges = &range;
    VkResult r = device.fn.vkCreatePipelineLayout(device.device, &layout, nullptr, &k->layout);
    if (r != VK_SUCCESS) {
      k->layout = VK_NULL_HANDLE;
      return device.vk_fail("vkCreatePipelineLayout", r, "kernel " + k->entry.name);
    }
    m->kernels.push_back(std::move(k));
  }
  // Created now so the driver judges the image at load (pipelines compile later).
  const std::vector<uint32_t> image =
      m->local_size_id_sites.empty() ? m->words : m->literal_sizes(0, nullptr);
  auto create = vk_struct<VkShaderModuleCreateInfo>(VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
  create.codeSize = image.size() * 4;
  create.pCode = image.data();
  VkResult r = device.fn.vkCreateShaderModule(device.device, &create, nullptr, &m->shader);
  if (r != VK_SUCCESS) {
    m->shader = VK_NULL_HANDLE;
    return device.vk_fail("vkCreateShaderModule", r);
  }
  if (desc.options != nullptr && *desc.options != '\0') {
    logf(OHAL_LOG_LEVEL_DEBUG, "module options '{}' ignored: SPIR-V needs no compilation",
         desc.options);
  }
  *out = m.release();
  return OHAL_SUCCESS;
}

Module::~Module() {
  kernels.clear();
  if (shader != VK_NULL_HANDLE) device.fn.vkDestroyShaderModule(device.device, shader, nullptr);
}

std::vector<uint32_t> Module::literal_sizes(uint32_t function, const uint32_t block[3]) const {
  std::vector<uint32_t> out = words;
  for (const spirv::LocalSizeIdSite& site : local_size_id_sites) {
    const Kernel* owner = nullptr;
    for (const auto& k : kernels)
      if (k->entry.function_id == site.function) owner = k.get();
    uint32_t* w = &out[site.word];
    w[0] = (6u << 16) | 16u;  // OpExecutionMode <entry> LocalSize x y z: same 6 words
    w[1] = site.function;
    w[2] = 17u;
    for (int d = 0; d < 3; ++d) {
      const bool set =
          block != nullptr && owner != nullptr && site.function == function && owner->flexible[d];
      w[3 + d] = set ? block[d] : owner != nullptr ? owner->entry.local_size[d].value : 1u;
    }
  }
  return out;
}

Kernel* Module::find(const char* name) const {
  for (const auto& k : kernels)
    if (k->entry.name == name) return k.get();
  return nullptr;
}

}  // namespace ohal::vk
