// The SPIR-V reader on real glslc output and on damaged images (no device needed).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "fixture.hpp"
#include "spirv.hpp"

using ohal::vk::spirv::EntryPoint;
using ohal::vk::spirv::parse;

namespace {

std::vector<uint32_t> words_of(const std::vector<char>& bytes) {
  std::vector<uint32_t> words(bytes.size() / 4);
  std::memcpy(words.data(), bytes.data(), words.size() * 4);
  return words;
}

const EntryPoint* find(const ohal::vk::spirv::Module& m, const char* name) {
  for (const EntryPoint& e : m.entry_points)
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("spirv: the linked test module exposes every kernel by name", "[spirv]") {
  std::vector<uint32_t> words = words_of(vktest::read_file(OHAL_VK_TEST_KERNELS));
  ohal::vk::spirv::Module m;
  std::string error;
  REQUIRE(parse(words.data(), words.size(), m, error));
  INFO(error);
  for (const char* name : {"fill", "saxpy", "reduce_sum", "block_sum", "atomic_count", "add_one",
                           "spin_add", "ids3d", "many_args"}) {
    INFO(name);
    REQUIRE(find(m, name) != nullptr);
  }
  CHECK(find(m, "main") == nullptr);
}

TEST_CASE("spirv: reflection of arguments, work-group size and shared memory", "[spirv]") {
  std::vector<uint32_t> words = words_of(vktest::read_file(OHAL_VK_TEST_KERNELS));
  ohal::vk::spirv::Module m;
  std::string error;
  REQUIRE(parse(words.data(), words.size(), m, error));

  const EntryPoint* saxpy = find(m, "saxpy");
  REQUIRE(saxpy != nullptr);
  CHECK(saxpy->args_known);
  CHECK_FALSE(saxpy->args_indirect);
  REQUIRE(saxpy->args.size() == 4);
  CHECK(saxpy->args[0].offset == 0);
  CHECK(saxpy->args[0].size == 4);
  CHECK(saxpy->args[1].offset == 4);
  CHECK(saxpy->args[2].offset == 8);
  CHECK(saxpy->args[2].size == 8);
  CHECK(saxpy->args[3].offset == 16);
  CHECK(saxpy->push_constant_bytes == 24);
  for (int d = 0; d < 3; ++d) {
    CHECK(saxpy->local_size[d].specialized);
    CHECK(saxpy->local_size[d].spec_id == static_cast<uint32_t>(d));
  }

  const EntryPoint* block_sum = find(m, "block_sum");
  REQUIRE(block_sum != nullptr);
  CHECK_FALSE(block_sum->local_size[0].specialized);
  CHECK(block_sum->local_size[0].value == 64);
  CHECK(block_sum->static_shared_bytes == 256);
  CHECK_FALSE(block_sum->uses_dynamic_shared);

  const EntryPoint* reduce = find(m, "reduce_sum");
  REQUIRE(reduce != nullptr);
  CHECK(reduce->uses_dynamic_shared);
  CHECK(reduce->static_shared_bytes == 0);

  std::vector<uint32_t> struct_words = words_of(vktest::read_file(OHAL_VK_TEST_KERNELS_STRUCT));
  ohal::vk::spirv::Module sm;
  REQUIRE(parse(struct_words.data(), struct_words.size(), sm, error));
  const EntryPoint* st = find(sm, "struct_arg");
  REQUIRE(st != nullptr);
  REQUIRE(st->args.size() == 3);
  CHECK(st->args[1].offset == 8);
  CHECK(st->args[1].size == 12);
  CHECK(st->args[2].offset == 20);

  const EntryPoint* many = find(m, "many_args");
  REQUIRE(many != nullptr);
  CHECK(many->args_indirect);
  CHECK(many->args_known);
  CHECK(many->push_constant_bytes == 8);
  REQUIRE(many->args.size() == 5);
  CHECK(many->args[1].size == 64);
  CHECK(many->args[2].offset == 72);
  CHECK(many->args[3].offset == 80);
  CHECK(many->args[4].size == 48);
  CHECK(many->args_bytes == 136);

  const EntryPoint* ids = find(m, "ids3d");
  REQUIRE(ids != nullptr);
  CHECK_FALSE(ids->args_indirect);  // a pointer to a writable runtime array is an argument
  REQUIRE(ids->args.size() == 1);
  CHECK(ids->args[0].size == 8);
}

TEST_CASE("spirv: damaged images are rejected with a reason, never read out of bounds", "[spirv]") {
  std::vector<uint32_t> good = words_of(vktest::read_file(OHAL_VK_TEST_KERNELS));
  ohal::vk::spirv::Module m;
  std::string error;

  SECTION("empty and short") {
    CHECK_FALSE(parse(good.data(), 0, m, error));
    CHECK_FALSE(parse(good.data(), 4, m, error));
    CHECK(error.find("too short") != std::string::npos);
  }
  SECTION("bad magic") {
    std::vector<uint32_t> w = good;
    w[0] = 0xdeadbeef;
    CHECK_FALSE(parse(w.data(), w.size(), m, error));
    CHECK(error.find("magic") != std::string::npos);
  }
  SECTION("truncated in the middle of an instruction") {
    // Cut inside a multi-word instruction so its word count runs past the end.
    size_t at = 5, cut = 0;
    while (at < good.size()) {
      const uint32_t n = good[at] >> 16;
      if (n > 3 && at > good.size() / 2) {
        cut = at + 2;
        break;
      }
      at += n;
    }
    REQUIRE(cut != 0);
    CHECK_FALSE(parse(good.data(), cut, m, error));
    CHECK(error.find("past the end") != std::string::npos);
  }
  SECTION("zero word count") {
    std::vector<uint32_t> w = good;
    w[5] = 0;
    CHECK_FALSE(parse(w.data(), w.size(), m, error));
  }
  SECTION("random corruption never crashes") {
    std::mt19937 rng(1234);
    int rejected = 0;
    for (int round = 0; round < 3000; ++round) {
      std::vector<uint32_t> w = good;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int f = 0; f < flips; ++f) {
        const size_t i = 5 + rng() % (w.size() - 5);
        w[i] = (rng() % 2) ? static_cast<uint32_t>(rng()) : w[i] ^ (1u << (rng() % 32));
      }
      const size_t n = (rng() % 4 == 0) ? rng() % w.size() : w.size();
      if (!parse(w.data(), n, m, error)) ++rejected;
    }
    CHECK(rejected > 0);
  }
}

TEST_CASE("spirv: ohal-spirv-entry renamed each kernel's entry point", "[spirv]") {
  // The per-kernel intermediate files: one GLCompute entry named after the source file.
  std::vector<uint32_t> words =
      words_of(vktest::read_file(std::string(OHAL_VK_TEST_KERNEL_DIR) + "/saxpy.spv"));
  ohal::vk::spirv::Module m;
  std::string error;
  REQUIRE(parse(words.data(), words.size(), m, error));
  REQUIRE(m.entry_points.size() == 1);
  CHECK(m.entry_points[0].name == "saxpy");
}

TEST_CASE("spirv: keep_entry_point leaves one kernel, valid and reflected as before", "[spirv]") {
  const std::vector<uint32_t> words = words_of(vktest::read_file(OHAL_VK_TEST_KERNELS));
  ohal::vk::spirv::Module whole;
  std::string error;
  REQUIRE(parse(words.data(), words.size(), whole, error));
  REQUIRE(whole.entry_points.size() > 2);
  for (const EntryPoint& e : whole.entry_points) {
    INFO("kernel " << e.name);
    std::vector<uint32_t> single;
    REQUIRE(ohal::vk::spirv::keep_entry_point(words, e.function_id, single));
    CHECK(single.size() < words.size());
    ohal::vk::spirv::Module m;
    REQUIRE(parse(single.data(), single.size(), m, error));
    REQUIRE(m.entry_points.size() == 1);
    const EntryPoint& k = m.entry_points[0];
    CHECK(k.name == e.name);
    CHECK(k.args_known == e.args_known);
    CHECK(k.args_indirect == e.args_indirect);
    REQUIRE(k.args.size() == e.args.size());
    for (size_t i = 0; i < k.args.size(); ++i) {
      CHECK(k.args[i].offset == e.args[i].offset);
      CHECK(k.args[i].size == e.args[i].size);
    }
    CHECK(k.static_shared_bytes == e.static_shared_bytes);
    CHECK(k.uses_dynamic_shared == e.uses_dynamic_shared);
    // What the Khronos layer sums: every Workgroup variable left in the module is this kernel's.
    size_t workgroup_vars = 0;
    for (size_t at = 5; at < single.size(); at += single[at] >> 16) {
      const uint32_t op = single[at] & 0xffffu;
      if (op == 54) break;  // OpFunction: globals end here
      if (op == 59 && (single[at] >> 16) >= 4 && single[at + 3] == 4) ++workgroup_vars;
    }
    CHECK((workgroup_vars == 0) == (e.static_shared_bytes == 0 && !e.uses_dynamic_shared));
#ifdef OHAL_VK_SPIRV_VAL
    const std::string path = std::string(OHAL_VK_TEST_KERNEL_DIR) + "/keep_" + e.name + ".spv";
    {
      std::FILE* f = std::fopen(path.c_str(), "wb");
      REQUIRE(f != nullptr);
      std::fwrite(single.data(), 4, single.size(), f);
      std::fclose(f);
    }
    const std::string cmd =
        std::string(OHAL_VK_SPIRV_VAL) + " --target-env vulkan1.2 --allow-localsizeid " + path;
    CHECK(std::system(cmd.c_str()) == 0);
#endif
  }
  std::vector<uint32_t> out;
  CHECK_FALSE(ohal::vk::spirv::keep_entry_point(words, 0xfffffu, out));  // no such entry point
  CHECK(out.empty());
}
