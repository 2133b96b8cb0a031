// ELF checks of NATIVE_SO images. glibc's loader trusts the file's tables (a bad string offset,
// hash chain or relocation offset makes it read or write out of bounds), so everything it reads
// before running the image's code is bounds-checked here first.
#include "elf_check.h"

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <map>

namespace ohal::cpu_ref {

namespace {

#if defined(__x86_64__)
constexpr uint16_t kHostMachine = EM_X86_64;
constexpr uint32_t kRelative = R_X86_64_RELATIVE;
constexpr uint32_t kIRelative = R_X86_64_IRELATIVE;
constexpr uint32_t kGlobDat = R_X86_64_GLOB_DAT;
constexpr uint32_t kAbs64 = R_X86_64_64;
constexpr uint32_t kTlsModule = R_X86_64_DTPMOD64;
#elif defined(__aarch64__)
constexpr uint16_t kHostMachine = EM_AARCH64;
constexpr uint32_t kRelative = R_AARCH64_RELATIVE;
constexpr uint32_t kIRelative = R_AARCH64_IRELATIVE;
constexpr uint32_t kGlobDat = R_AARCH64_GLOB_DAT;
constexpr uint32_t kAbs64 = R_AARCH64_ABS64;
constexpr uint32_t kTlsModule = R_AARCH64_TLS_DTPMOD;
#elif defined(__riscv)
constexpr uint16_t kHostMachine = EM_RISCV;
constexpr uint32_t kRelative = R_RISCV_RELATIVE;
constexpr uint32_t kIRelative = R_RISCV_IRELATIVE;
constexpr uint32_t kGlobDat = R_RISCV_64;
constexpr uint32_t kAbs64 = R_RISCV_64;
constexpr uint32_t kTlsModule = R_RISCV_TLS_DTPMOD64;
#elif defined(__powerpc64__)
constexpr uint16_t kHostMachine = EM_PPC64;
constexpr uint32_t kRelative = R_PPC64_RELATIVE;
constexpr uint32_t kIRelative = R_PPC64_IRELATIVE;
constexpr uint32_t kGlobDat = R_PPC64_GLOB_DAT;
constexpr uint32_t kAbs64 = R_PPC64_ADDR64;
constexpr uint32_t kTlsModule = R_PPC64_DTPMOD64;
#else
#error "cpu_ref: unknown host ELF machine"
#endif

// Relocations of thread-local symbols (the loader treats their symbols as TLS ones).
bool tls_relocation(uint32_t type) {
#if defined(__x86_64__)
  return type == R_X86_64_DTPMOD64 || type == R_X86_64_DTPOFF64 || type == R_X86_64_TPOFF64 ||
         type == R_X86_64_TLSDESC;
#elif defined(__aarch64__)
  return type == R_AARCH64_TLS_DTPMOD || type == R_AARCH64_TLS_DTPREL ||
         type == R_AARCH64_TLS_TPREL || type == R_AARCH64_TLSDESC;
#else
  (void)type;
  return false;
#endif
}

bool plt_relocation(uint32_t type) {
#if defined(__x86_64__)
  return type == R_X86_64_JUMP_SLOT;
#elif defined(__aarch64__)
  return type == R_AARCH64_JUMP_SLOT;
#elif defined(__riscv)
  return type == R_RISCV_JUMP_SLOT;
#else
  return type == R_PPC64_JMP_SLOT;
#endif
}

// Relocation types a compiler's shared object uses (no COPY, no text relocations).
bool known_relocation(uint32_t type) {
#if defined(__x86_64__)
  switch (type) {
    case R_X86_64_64:
    case R_X86_64_GLOB_DAT:
    case R_X86_64_JUMP_SLOT:
    case R_X86_64_RELATIVE:
    case R_X86_64_DTPMOD64:
    case R_X86_64_DTPOFF64:
    case R_X86_64_TPOFF64:
    case R_X86_64_IRELATIVE:
    case R_X86_64_TLSDESC:
      return true;
    default:
      return false;
  }
#elif defined(__aarch64__)
  switch (type) {
    case R_AARCH64_ABS64:
    case R_AARCH64_GLOB_DAT:
    case R_AARCH64_JUMP_SLOT:
    case R_AARCH64_RELATIVE:
    case R_AARCH64_TLS_DTPMOD:
    case R_AARCH64_TLS_DTPREL:
    case R_AARCH64_TLS_TPREL:
    case R_AARCH64_TLSDESC:
    case R_AARCH64_IRELATIVE:
      return true;
    default:
      return false;
  }
#else
  (void)type;
  return true;
#endif
}

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned char kHostData = ELFDATA2LSB;
#else
constexpr unsigned char kHostData = ELFDATA2MSB;
#endif

// Bounds on the address span of an image (glibc leaks the mappings made so far when a later
// one fails, so impossible sizes are refused before it tries).
constexpr uint64_t kMaxSegment = uint64_t{1} << 30;
#ifndef DT_RELR
#define DT_RELR 36
#define DT_RELRSZ 35
#endif

std::string n(uint64_t v) {
  return std::to_string(v);
}

bool within(uint64_t offset, uint64_t bytes, uint64_t size) {
  return offset <= size && bytes <= size - offset;
}

struct Image {
  const unsigned char* data;
  size_t size;
  std::vector<Elf64_Phdr> loads;

  template <class T>
  T read(uint64_t offset) const {
    T v;
    std::memcpy(&v, data + offset, sizeof v);
    return v;
  }
  const Elf64_Phdr* load_of(uint64_t vaddr) const {
    for (const auto& p : loads) {
      if (vaddr >= p.p_vaddr && vaddr - p.p_vaddr < p.p_memsz) return &p;
    }
    return nullptr;
  }
  // [vaddr, vaddr + bytes) in one segment's memory, with the permissions asked for.
  bool in_memory(uint64_t vaddr, uint64_t bytes, uint32_t flags = 0) const {
    const Elf64_Phdr* p = load_of(vaddr);
    return p != nullptr && within(vaddr - p->p_vaddr, bytes, p->p_memsz) &&
           (p->p_flags & flags) == flags;
  }
  // [vaddr, vaddr + bytes) backed by file bytes; their offset goes to *offset.
  bool in_file(uint64_t vaddr, uint64_t bytes, uint64_t* offset) const {
    const Elf64_Phdr* p = load_of(vaddr);
    if (p == nullptr || !within(vaddr - p->p_vaddr, bytes, p->p_filesz)) return false;
    *offset = p->p_offset + (vaddr - p->p_vaddr);
    return true;
  }
  // As in_file, in a read-only segment: a loader table that relocations cannot change after
  // it was checked here.
  bool in_table(uint64_t vaddr, uint64_t bytes, uint64_t* offset) const {
    const Elf64_Phdr* p = load_of(vaddr);
    return p != nullptr && (p->p_flags & PF_W) == 0 && in_file(vaddr, bytes, offset);
  }
};

struct Dynamic {
  std::map<int64_t, uint64_t> tags;  // the last value of each tag
  std::vector<uint64_t> names;       // DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH offsets
  std::vector<uint64_t> needed;      // DT_NEEDED offsets
  bool has(int64_t tag) const { return tags.count(tag) != 0; }
  uint64_t get(int64_t tag) const {
    auto it = tags.find(tag);
    return it == tags.end() ? 0 : it->second;
  }
};

std::string check_header(const Image& im, Elf64_Ehdr* eh) {
  if (im.size < sizeof *eh) {
    return "truncated: " + n(im.size) + " bytes, an ELF header needs " + n(sizeof *eh);
  }
  std::memcpy(eh, im.data, sizeof *eh);
  if (std::memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) return "not an ELF file (bad magic)";
  if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
    return "not a 64-bit ELF file (EI_CLASS " + n(eh->e_ident[EI_CLASS]) + ")";
  }
  if (eh->e_ident[EI_DATA] != kHostData) return "byte order differs from this host's";
  if (eh->e_ident[EI_VERSION] != EV_CURRENT) return "unknown ELF version";
  if (eh->e_type != ET_DYN) return "not a shared object (e_type " + n(eh->e_type) + ")";
  if (eh->e_machine != kHostMachine) {
    return "built for ELF machine " + n(eh->e_machine) + ", this host is " + n(kHostMachine);
  }
  if (eh->e_ehsize != sizeof(Elf64_Ehdr)) return "bad e_ehsize";
  if (eh->e_phnum == 0 || eh->e_phentsize != sizeof(Elf64_Phdr)) {
    return "no program headers or bad e_phentsize";
  }
  if (!within(eh->e_phoff, uint64_t{eh->e_phnum} * sizeof(Elf64_Phdr), im.size)) {
    return "truncated: the program headers lie past the image's " + n(im.size) + " bytes";
  }
  if (eh->e_shnum != 0 &&
      (eh->e_shentsize != sizeof(Elf64_Shdr) ||
       !within(eh->e_shoff, uint64_t{eh->e_shnum} * sizeof(Elf64_Shdr), im.size))) {
    return "truncated: the section headers lie past the image's " + n(im.size) + " bytes";
  }
  return {};
}

std::string check_segments(Image& im, const Elf64_Ehdr& eh, Elf64_Phdr* dynamic) {
  int dynamics = 0;
  std::vector<Elf64_Phdr> others;  // checked against the loads once all are known
  for (uint16_t i = 0; i < eh.e_phnum; ++i) {
    const auto ph = im.read<Elf64_Phdr>(eh.e_phoff + uint64_t{i} * sizeof(Elf64_Phdr));
    const std::string which = "segment " + n(i);
    if (ph.p_type == PT_LOAD || ph.p_type == PT_DYNAMIC || ph.p_type == PT_TLS) {
      if (!within(ph.p_offset, ph.p_filesz, im.size)) {
        return "truncated: " + which + " ends at byte " + n(ph.p_offset + ph.p_filesz) +
               ", the image has " + n(im.size);
      }
      if (ph.p_filesz > ph.p_memsz || ph.p_memsz > kMaxSegment || ph.p_vaddr > kMaxSegment) {
        return which + " has impossible sizes or address";
      }
    }
    if (ph.p_type == PT_LOAD) {
      if (ph.p_align > 1 &&
          ((ph.p_align & (ph.p_align - 1)) != 0 || (ph.p_vaddr - ph.p_offset) % ph.p_align != 0)) {
        return which + " is misaligned";
      }
      if ((ph.p_flags & PF_R) == 0) return which + " is not readable";
      if (!im.loads.empty() && ph.p_offset < im.loads.back().p_offset) {
        return which + " lies before the segment before it in the file";
      }
      if ((ph.p_flags & PF_X) != 0 && ph.p_filesz != ph.p_memsz) {
        return which + " is code that the file does not fully hold";
      }
      if (!im.loads.empty() && ph.p_vaddr < im.loads.back().p_vaddr + im.loads.back().p_memsz) {
        return which + " overlaps or precedes the segment before it";
      }
      im.loads.push_back(ph);
    } else if (ph.p_type == PT_DYNAMIC) {
      *dynamic = ph;
      ++dynamics;
    } else if (ph.p_type == PT_GNU_STACK && (ph.p_flags & PF_X) != 0) {
      return "asks for an executable stack";
    } else if (ph.p_type != PT_NULL) {
      others.push_back(ph);
    }
  }
  if (im.loads.empty()) return "no loadable segment";
  if (im.loads.back().p_vaddr + im.loads.back().p_memsz - im.loads.front().p_vaddr > kMaxSegment) {
    return "the segments span more than " + n(kMaxSegment) + " bytes";
  }
  for (const auto& ph : others) {
    // The loader reads notes and the TLS image and changes RELRO's protection.
    const bool file_backed = ph.p_type == PT_NOTE || ph.p_type == PT_GNU_PROPERTY ||
                             ph.p_type == PT_TLS || ph.p_type == PT_GNU_EH_FRAME;
    if (file_backed && (!within(ph.p_offset, ph.p_filesz, im.size) || ph.p_filesz > ph.p_memsz)) {
      return "truncated: a segment lies past the image's " + n(im.size) + " bytes";
    }
    if ((ph.p_type == PT_GNU_RELRO || ph.p_type == PT_NOTE || ph.p_type == PT_GNU_PROPERTY ||
         ph.p_type == PT_GNU_EH_FRAME) &&
        !im.in_memory(ph.p_vaddr, ph.p_memsz)) {
      return "a note, RELRO or unwind segment lies outside the loaded segments";
    }
    if (ph.p_type == PT_TLS &&
        (ph.p_memsz > (uint64_t{1} << 24) || (ph.p_align & (ph.p_align - 1)) != 0 ||
         ph.p_align > 4096 || !im.in_memory(ph.p_vaddr, ph.p_filesz))) {
      return "malformed TLS segment";
    }
  }
  if (dynamics != 1) return "not exactly one dynamic segment";
  return {};
}

// The tags that compilers and linkers put into a shared object. glibc maps other tags to slots
// of its own by arithmetic, so an unknown tag may stand for anything: refuse it.
bool known_tag(int64_t tag) {
  switch (tag) {
    case DT_NEEDED:
    case DT_PLTRELSZ:
    case DT_PLTGOT:
    case DT_HASH:
    case DT_STRTAB:
    case DT_SYMTAB:
    case DT_RELA:
    case DT_RELASZ:
    case DT_RELAENT:
    case DT_STRSZ:
    case DT_SYMENT:
    case DT_INIT:
    case DT_FINI:
    case DT_SONAME:
    case DT_RPATH:
    case DT_SYMBOLIC:
    case DT_PLTREL:
    case DT_DEBUG:
    case DT_JMPREL:
    case DT_BIND_NOW:
    case DT_INIT_ARRAY:
    case DT_FINI_ARRAY:
    case DT_INIT_ARRAYSZ:
    case DT_FINI_ARRAYSZ:
    case DT_RUNPATH:
    case DT_FLAGS:
    case DT_GNU_HASH:
    case DT_VERSYM:
    case DT_RELACOUNT:
    case DT_FLAGS_1:
    case DT_VERDEF:
    case DT_VERDEFNUM:
    case DT_VERNEED:
    case DT_VERNEEDNUM:
    case DT_TEXTREL:
    case DT_REL:
    case DT_RELSZ:
    case DT_RELENT:
    case DT_RELCOUNT:
    case DT_PREINIT_ARRAY:
    case DT_PREINIT_ARRAYSZ:
    case DT_RELR:
    case DT_RELRSZ:
      return true;
    default:
      return false;
  }
}

std::string check_dynamic(const Image& im, const Elf64_Phdr& ph, Dynamic* dyn) {
  uint64_t offset = 0;
  if (ph.p_filesz % sizeof(Elf64_Dyn) != 0 || !im.in_file(ph.p_vaddr, ph.p_filesz, &offset)) {
    return "the dynamic section lies outside the loaded file bytes";
  }
  for (uint64_t i = 0; i < ph.p_filesz / sizeof(Elf64_Dyn); ++i) {
    const auto d = im.read<Elf64_Dyn>(offset + i * sizeof(Elf64_Dyn));
    if (d.d_tag == DT_NULL) return {};
    if (!known_tag(d.d_tag)) return "unsupported dynamic tag " + n(static_cast<uint64_t>(d.d_tag));
    if (d.d_tag == DT_NEEDED || d.d_tag == DT_SONAME || d.d_tag == DT_RPATH ||
        d.d_tag == DT_RUNPATH) {
      dyn->names.push_back(d.d_un.d_val);
      if (d.d_tag == DT_NEEDED) dyn->needed.push_back(d.d_un.d_val);
    }
    if (d.d_tag != DT_NEEDED && dyn->has(d.d_tag)) {
      return "dynamic tag " + n(static_cast<uint64_t>(d.d_tag)) + " appears twice";
    }
    dyn->tags[d.d_tag] = d.d_un.d_val;
  }
  return "the dynamic section has no DT_NULL end";
}

struct Tables {
  uint64_t strtab = 0, strsz = 0;  // file offset and size of the string table
  uint64_t symtab_vaddr = 0;
  uint64_t symbols = 0;       // symbols the hash table reaches
  uint64_t versym_vaddr = 0;  // 0: no version table
  uint32_t max_version = 1;   // highest version index the version tables define
};

bool name_ok(const Image& im, const Tables& t, uint64_t name) {
  return name < t.strsz && std::memchr(im.data + t.strtab + name, 0, t.strsz - name) != nullptr;
}

std::string check_hash(const Image& im, const Dynamic& dyn, Tables* t) {
  uint64_t off = 0;
  if (dyn.has(DT_GNU_HASH)) {
    const uint64_t at = dyn.get(DT_GNU_HASH);
    if (!im.in_table(at, 16, &off)) return "DT_GNU_HASH lies outside the image";
    const uint32_t nbuckets = im.read<uint32_t>(off), symoffset = im.read<uint32_t>(off + 4);
    const uint32_t bloom = im.read<uint32_t>(off + 8);
    uint64_t arrays = 0;
    if (nbuckets == 0 || bloom == 0 || (bloom & (bloom - 1)) != 0 ||
        !im.in_table(at, 16 + uint64_t{bloom} * 8 + uint64_t{nbuckets} * 4, &arrays)) {
      return "malformed DT_GNU_HASH";
    }
    const uint64_t buckets = off + 16 + uint64_t{bloom} * 8;
    const uint64_t chains_vaddr = at + 16 + uint64_t{bloom} * 8 + uint64_t{nbuckets} * 4;
    uint64_t last = symoffset;  // one past the highest symbol a chain reaches
    for (uint32_t b = 0; b < nbuckets; ++b) {
      uint32_t sym = im.read<uint32_t>(buckets + uint64_t{b} * 4);
      if (sym == 0) continue;
      if (sym < symoffset) return "malformed DT_GNU_HASH bucket";
      for (;;) {
        uint64_t entry = 0;
        if (!im.in_table(chains_vaddr + (uint64_t{sym} - symoffset) * 4, 4, &entry)) {
          return "a DT_GNU_HASH chain runs out of the image";
        }
        if (sym + 1ull > last) last = sym + 1ull;
        if (im.read<uint32_t>(entry) & 1u) break;
        ++sym;
      }
    }
    t->symbols = last;
  } else if (dyn.has(DT_HASH)) {
    if (!im.in_table(dyn.get(DT_HASH), 8, &off)) return "DT_HASH lies outside the image";
    const uint32_t nbucket = im.read<uint32_t>(off), nchain = im.read<uint32_t>(off + 4);
    uint64_t arrays = 0;
    if (nbucket == 0 ||
        !im.in_table(dyn.get(DT_HASH), 8 + (uint64_t{nbucket} + nchain) * 4, &arrays)) {
      return "malformed DT_HASH";
    }
    for (uint64_t i = 0; i < uint64_t{nbucket} + nchain; ++i) {
      if (im.read<uint32_t>(arrays + 8 + i * 4) >= nchain) return "malformed DT_HASH entry";
    }
    t->symbols = nchain;
  } else {
    return "no DT_GNU_HASH or DT_HASH";
  }
  uint64_t syms = 0;
  if (!im.in_table(t->symtab_vaddr, t->symbols * sizeof(Elf64_Sym), &syms)) {
    return "the symbol table lies outside the image";
  }
  // Entry 0 is the null symbol (the ELF rule): a table that starts elsewhere is misplaced.
  static const unsigned char kZero[sizeof(Elf64_Sym)] = {};
  if (t->symbols == 0 || std::memcmp(im.data + syms, kZero, sizeof kZero) != 0) {
    return "the symbol table does not start with the null symbol";
  }
  return {};
}

// One symbol the loader may read (by hash lookup or for a relocation).
std::string check_symbol(const Image& im, const Tables& t, uint64_t i) {
  uint64_t off = 0;
  if (!im.in_table(t.symtab_vaddr + i * sizeof(Elf64_Sym), sizeof(Elf64_Sym), &off)) {
    return "symbol " + n(i) + " lies outside the image";
  }
  const auto sym = im.read<Elf64_Sym>(off);
  if (!name_ok(im, t, sym.st_name)) return "symbol " + n(i) + " has a bad name offset";
  const unsigned type = ELF64_ST_TYPE(sym.st_info);
  // The loader calls an IFUNC symbol's value to resolve it; kernel images have none.
  if (type == STT_GNU_IFUNC) return "symbol " + n(i) + " is an IFUNC";
  // A unique symbol pins the image in memory (dlclose becomes a no-op).
  if (ELF64_ST_BIND(sym.st_info) == STB_GNU_UNIQUE) {
    return "symbol " + n(i) + " is STB_GNU_UNIQUE (build the image with -fno-gnu-unique)";
  }
  if (t.versym_vaddr != 0) {
    uint64_t v = 0;
    if (!im.in_table(t.versym_vaddr + i * 2, 2, &v)) return "DT_VERSYM lies outside the image";
    if ((im.read<uint16_t>(v) & 0x7fffu) > t.max_version) {
      return "symbol " + n(i) + " names a version that does not exist";
    }
  }
  if (sym.st_shndx == SHN_UNDEF || type == STT_TLS || sym.st_shndx == SHN_ABS) return {};
  // Functions lie in code; data symbols in the image's span (_end points one past it).
  const uint64_t first = im.loads.front().p_vaddr;
  const uint64_t end = im.loads.back().p_vaddr + im.loads.back().p_memsz;
  if (type == STT_FUNC ? !im.in_memory(sym.st_value, 1, PF_X)
                       : (sym.st_value < first || sym.st_value > end)) {
    return "symbol " + n(i) + " lies outside the loaded segments";
  }
  return {};
}

// A function the image defines (an init function named by an absolute relocation).
bool defined_function(const Image& im, const Tables& t, uint64_t i) {
  uint64_t off = 0;
  if (!im.in_table(t.symtab_vaddr + i * sizeof(Elf64_Sym), sizeof(Elf64_Sym), &off)) return false;
  const auto sym = im.read<Elf64_Sym>(off);
  return sym.st_shndx != SHN_UNDEF && ELF64_ST_TYPE(sym.st_info) == STT_FUNC &&
         im.in_memory(sym.st_value, 1, PF_X);
}

std::string check_symbols(const Image& im, const Tables& t) {
  for (uint64_t i = 0; i < t.symbols; ++i) {
    if (std::string e = check_symbol(im, t, i); !e.empty()) return e;
  }
  return {};
}

std::string check_versions(const Image& im, const Dynamic& dyn, Tables* tables) {
  const Tables& t = *tables;
  uint64_t off = 0;
  uint32_t max_index = 1;  // 0 and 1 are local and global; others come from the tables below
  // glibc follows the next offsets until one is 0, whatever the counts say; so do we.
  constexpr int kMaxEntries = 4096;
  if (dyn.has(DT_VERNEED)) {
    uint64_t at = dyn.get(DT_VERNEED);
    for (int i = 0;; ++i) {
      if (i == kMaxEntries || !im.in_table(at, sizeof(Elf64_Verneed), &off)) {
        return "malformed DT_VERNEED";
      }
      const auto vn = im.read<Elf64_Verneed>(off);
      if (vn.vn_version != 1 || !name_ok(im, t, vn.vn_file)) return "malformed DT_VERNEED";
      // glibc asserts (aborting the process) when the file is not a DT_NEEDED library.
      bool needed = false;
      for (uint64_t name : dyn.needed) {
        needed |= std::strcmp(reinterpret_cast<const char*>(im.data + t.strtab + name),
                              reinterpret_cast<const char*>(im.data + t.strtab + vn.vn_file)) == 0;
      }
      if (!needed) return "DT_VERNEED names a library that is not DT_NEEDED";
      uint64_t aux_at = at + vn.vn_aux;
      for (int k = 0;; ++k) {
        uint64_t aux = 0;
        if (k == kMaxEntries || !im.in_table(aux_at, sizeof(Elf64_Vernaux), &aux)) {
          return "malformed DT_VERNEED";
        }
        const auto va = im.read<Elf64_Vernaux>(aux);
        if (!name_ok(im, t, va.vna_name)) return "malformed DT_VERNEED";
        max_index = std::max<uint32_t>(max_index, va.vna_other & 0x7fffu);
        if (va.vna_next == 0) break;
        aux_at += va.vna_next;
      }
      if (vn.vn_next == 0) break;
      at += vn.vn_next;
    }
  }
  if (dyn.has(DT_VERDEF)) {
    uint64_t at = dyn.get(DT_VERDEF);
    for (int i = 0;; ++i) {
      if (i == kMaxEntries || !im.in_table(at, sizeof(Elf64_Verdef), &off)) {
        return "malformed DT_VERDEF";
      }
      const auto vd = im.read<Elf64_Verdef>(off);
      if (vd.vd_version != 1) return "malformed DT_VERDEF";
      max_index = std::max<uint32_t>(max_index, vd.vd_ndx & 0x7fffu);
      uint64_t aux_at = at + vd.vd_aux;
      for (int k = 0; k < vd.vd_cnt; ++k) {
        uint64_t aux = 0;
        if (k == kMaxEntries || !im.in_table(aux_at, sizeof(Elf64_Verdaux), &aux)) {
          return "malformed DT_VERDEF";
        }
        const auto va = im.read<Elf64_Verdaux>(aux);
        if (!name_ok(im, t, va.vda_name)) return "malformed DT_VERDEF";
        aux_at += va.vda_next;
      }
      if (vd.vd_next == 0) break;
      at += vd.vd_next;
    }
  }
  tables->max_version = max_index;
  tables->versym_vaddr = dyn.get(DT_VERSYM);
  return {};
}

// Relocations write inside writable segments, name symbols that exist, and those that produce
// code addresses (IRELATIVE resolvers, init/fini array entries) point at executable bytes.
std::string check_relocations(const Image& im, const Dynamic& dyn, const Tables& t) {
  std::map<uint64_t, uint64_t> relative;  // r_offset -> target of RELATIVE relocations
  auto in_init_fini = [&](uint64_t vaddr) {
    for (int64_t tag : {DT_INIT_ARRAY, DT_FINI_ARRAY}) {
      const int64_t size_tag = tag == DT_INIT_ARRAY ? DT_INIT_ARRAYSZ : DT_FINI_ARRAYSZ;
      if (dyn.has(tag) && vaddr + 8 > dyn.get(tag) && vaddr < dyn.get(tag) + dyn.get(size_tag)) {
        return true;
      }
    }
    return false;
  };
  const std::pair<int64_t, int64_t> tables[] = {{DT_RELA, DT_RELASZ}, {DT_JMPREL, DT_PLTRELSZ}};
  for (const auto& [tag, size_tag] : tables) {
    if (!dyn.has(tag)) continue;
    const uint64_t bytes = dyn.get(size_tag);
    uint64_t off = 0;
    if (bytes % sizeof(Elf64_Rela) != 0 || dyn.get(tag) % 8 != 0 ||
        !im.in_table(dyn.get(tag), bytes, &off)) {
      return "a relocation table lies outside the image or is misaligned";
    }
    // glibc asserts (aborting the process) that the first DT_RELACOUNT ones are relative.
    const uint64_t relative_count = tag == DT_RELA ? dyn.get(DT_RELACOUNT) : 0;
    if (relative_count > bytes / sizeof(Elf64_Rela)) return "DT_RELACOUNT exceeds DT_RELASZ";
    for (uint64_t i = 0; i < bytes / sizeof(Elf64_Rela); ++i) {
      const auto r = im.read<Elf64_Rela>(off + i * sizeof(Elf64_Rela));
      const uint64_t sym = ELF64_R_SYM(r.r_info);
      const uint32_t type = static_cast<uint32_t>(ELF64_R_TYPE(r.r_info));
      if (i < relative_count && type != kRelative) {
        return "relocation " + n(i) + " is counted in DT_RELACOUNT but is not relative";
      }
      if (type == 0) continue;
      if (!known_relocation(type)) return "relocation " + n(i) + " has type " + n(type);
      // PLT relocations are jump slots (or IRELATIVE, TLSDESC); others are not.
      if ((tag == DT_JMPREL) != plt_relocation(type) && type != kIRelative &&
          !tls_relocation(type)) {
        return "relocation " + n(i) + " has a type that does not belong in its table";
      }
      if (!im.in_memory(r.r_offset, 8, PF_W)) {
        return "relocation " + n(i) + " writes outside the writable segments";
      }
      if (sym != 0 && (type == kRelative || type == kIRelative)) {
        return "relocation " + n(i) + " is relative but names a symbol";
      }
      if (sym != 0) {
        if (std::string e = check_symbol(im, t, sym); !e.empty()) {
          return "relocation " + n(i) + ": " + e;
        }
        uint64_t sym_off = 0;
        im.in_table(t.symtab_vaddr + sym * sizeof(Elf64_Sym), sizeof(Elf64_Sym), &sym_off);
        const bool tls_symbol = ELF64_ST_TYPE(im.read<Elf64_Sym>(sym_off).st_info) == STT_TLS;
        if (tls_symbol != tls_relocation(type)) {
          return "relocation " + n(i) + " mixes thread-local and ordinary symbols";
        }
      } else if (type == kGlobDat || plt_relocation(type)) {
        return "relocation " + n(i) + " needs a symbol and names none";
      }
      if (in_init_fini(r.r_offset) && type != kRelative &&
          !(type == kAbs64 && sym != 0 && defined_function(im, t, sym))) {
        return "relocation " + n(i) + " of an init or fini array entry is not relative";
      }
      if (type == kRelative || type == kIRelative) {
        const uint64_t target = static_cast<uint64_t>(r.r_addend);
        if (type == kIRelative && !im.in_memory(target, 1, PF_X)) {
          return "relocation " + n(i) + " calls a resolver outside the code";
        }
        relative[r.r_offset] = target;
      }
    }
  }
  const std::pair<int64_t, int64_t> arrays[] = {{DT_INIT_ARRAY, DT_INIT_ARRAYSZ},
                                                {DT_FINI_ARRAY, DT_FINI_ARRAYSZ}};
  for (const auto& [tag, size_tag] : arrays) {
    if (!dyn.has(tag)) continue;
    const uint64_t at = dyn.get(tag), bytes = dyn.get(size_tag);
    if (bytes % 8 != 0 || !im.in_memory(at, bytes, PF_W)) {
      return "an init or fini array lies outside the writable segments";
    }
    for (uint64_t slot = at; slot < at + bytes; slot += 8) {
      // A code address in a shared object's data always comes from a relative relocation.
      uint64_t value = 0, off = 0;
      if (auto it = relative.find(slot); it != relative.end()) {
        value = it->second;
        if (!im.in_memory(value, 1, PF_X)) {
          return "an init or fini array entry points outside the code";
        }
      } else if (im.in_file(slot, 8, &off)) {
        value = im.read<uint64_t>(off);
        if (value != 0 && value != ~uint64_t{0}) {
          return "an init or fini array entry is not relocated";
        }
      }
    }
  }
  for (int64_t tag : {DT_INIT, DT_FINI}) {
    if (dyn.has(tag) && !im.in_memory(dyn.get(tag), 1, PF_X)) {
      return "DT_INIT or DT_FINI points outside the code";
    }
  }
  return {};
}

}  // namespace

std::string check_elf_image(const unsigned char* data, size_t size,
                            std::vector<LoadSegment>* loads) {
  Image im{data, size, {}};
  Elf64_Ehdr eh;
  if (std::string e = check_header(im, &eh); !e.empty()) return e;
  Elf64_Phdr dynamic_ph{};
  if (std::string e = check_segments(im, eh, &dynamic_ph); !e.empty()) return e;
  Dynamic dyn;
  if (std::string e = check_dynamic(im, dynamic_ph, &dyn); !e.empty()) return e;

  // Flags a compiler's shared object carries; others (NODELETE, INTERPOSE, GLOBAL, PIE, ...)
  // change how the loader treats the process.
  if ((dyn.get(DT_FLAGS_1) & ~uint64_t{DF_1_NOW}) != 0 ||
      (dyn.get(DT_FLAGS) & ~uint64_t{DF_ORIGIN | DF_SYMBOLIC | DF_BIND_NOW | DF_STATIC_TLS}) != 0) {
    return "unsupported DT_FLAGS or DT_FLAGS_1 bits";
  }
  if (dyn.has(DT_TEXTREL) || (dyn.get(DT_FLAGS) & DF_TEXTREL) != 0) {
    return "text relocations (build the image with -fPIC)";
  }
  for (int64_t tag : {DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, DT_REL, DT_RELSZ, DT_RELENT,
                      DT_RELCOUNT, DT_RELR, DT_RELRSZ}) {
    if (dyn.has(tag)) return "unsupported dynamic tag " + n(static_cast<uint64_t>(tag));
  }
  // glibc reads one of a pair without checking for the other.
  const int64_t pairs[][2] = {{DT_RELA, DT_RELASZ},
                              {DT_JMPREL, DT_PLTRELSZ},
                              {DT_JMPREL, DT_PLTREL},
                              {DT_RELA, DT_RELAENT},
                              {DT_INIT_ARRAY, DT_INIT_ARRAYSZ},
                              {DT_FINI_ARRAY, DT_FINI_ARRAYSZ},
                              {DT_VERNEED, DT_VERNEEDNUM},
                              {DT_VERDEF, DT_VERDEFNUM},
                              {DT_STRTAB, DT_STRSZ}};
  for (const auto& pair : pairs) {
    if (dyn.has(pair[0]) != dyn.has(pair[1])) {
      return "dynamic tag " + n(static_cast<uint64_t>(pair[0])) + " or " +
             n(static_cast<uint64_t>(pair[1])) + " lacks its partner";
    }
  }
  if ((dyn.has(DT_RELAENT) && dyn.get(DT_RELAENT) != sizeof(Elf64_Rela)) ||
      (dyn.has(DT_SYMENT) && dyn.get(DT_SYMENT) != sizeof(Elf64_Sym)) ||
      (dyn.has(DT_JMPREL) && dyn.get(DT_PLTREL) != DT_RELA)) {
    return "unexpected relocation or symbol entry sizes";
  }
  Tables t;
  if (!dyn.has(DT_STRTAB) || !dyn.has(DT_SYMTAB) ||
      !im.in_table(dyn.get(DT_STRTAB), dyn.get(DT_STRSZ), &t.strtab) || dyn.get(DT_STRSZ) == 0) {
    return "the string or symbol table is missing or lies outside the image";
  }
  t.strsz = dyn.get(DT_STRSZ);
  t.symtab_vaddr = dyn.get(DT_SYMTAB);
  const std::pair<int64_t, uint64_t> alignments[] = {{DT_SYMTAB, 8},  {DT_GNU_HASH, 8},
                                                     {DT_HASH, 4},    {DT_VERSYM, 2},
                                                     {DT_VERNEED, 4}, {DT_VERDEF, 4}};
  for (const auto& [tag, align] : alignments) {
    if (dyn.get(tag) % align != 0)
      return "dynamic table " + n(static_cast<uint64_t>(tag)) + " is misaligned";
  }
  for (uint64_t name : dyn.names) {
    if (!name_ok(im, t, name)) return "a library name lies outside the string table";
  }
  if (std::string e = check_hash(im, dyn, &t); !e.empty()) return e;
  if (std::string e = check_versions(im, dyn, &t); !e.empty()) return e;
  if (std::string e = check_symbols(im, t); !e.empty()) return e;
  if (std::string e = check_relocations(im, dyn, t); !e.empty()) return e;

  loads->clear();
  for (const auto& p : im.loads) {
    loads->push_back({p.p_vaddr, p.p_memsz, (p.p_flags & PF_X) != 0});
  }
  return {};
}

}  // namespace ohal::cpu_ref
