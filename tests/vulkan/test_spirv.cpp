// The SPIR-V reader on real glslc output and on damaged images (no device needed).
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
