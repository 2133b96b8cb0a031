# ohal_add_native_kernels(<target> SOURCES <file>... [INCLUDE_DIRECTORIES <dir>...]
#                         [COMPILE_DEFINITIONS <def>...] [OUTPUT_DIRECTORY <dir>])
#
# Builds a NATIVE_SO kernel image (cpu_ref) from kernel.h sources: a MODULE library compiled with
# -O3 and hidden visibility that depends on nothing of openai_hal but its headers. Its path is
# $<TARGET_FILE:<target>>, e.g. for a test:
#   target_compile_definitions(my_test PRIVATE KERNELS="$<TARGET_FILE:my_kernels>")
#   add_dependencies(my_test my_kernels)
# Images are built without the project's sanitizers (OHAL_SANITIZE): they are loaded with
# dlopen from memory and hold no code worth instrumenting beyond the kernels themselves.
include_guard(GLOBAL)


function(ohal_add_native_kernels target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG ""
    "OUTPUT_DIRECTORY" "SOURCES;INCLUDE_DIRECTORIES;COMPILE_DEFINITIONS")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "ohal_add_native_kernels(${target}): SOURCES is required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ohal_add_native_kernels(${target}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_OUTPUT_DIRECTORY)
    set(ARG_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/kernels")
  endif()

  add_library(${target} MODULE ${ARG_SOURCES})
  set_source_files_properties(${ARG_SOURCES} TARGET_DIRECTORY ${target}
    PROPERTIES LANGUAGE CXX)
  target_include_directories(${target} PRIVATE "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../include"
    ${ARG_INCLUDE_DIRECTORIES})
  target_compile_definitions(${target} PRIVATE ${ARG_COMPILE_DEFINITIONS})
  if(TARGET ohal_warnings)
    target_link_libraries(${target} PRIVATE ohal_warnings)
  endif()

  # Drop the directory's sanitizer flags (add_compile_options / add_link_options).
  foreach(prop COMPILE_OPTIONS LINK_OPTIONS)
    get_target_property(opts ${target} ${prop})
    if(opts)
      list(FILTER opts EXCLUDE REGEX "sanitize|^-fno-omit-frame-pointer$")
      set_target_properties(${target} PROPERTIES ${prop} "${opts}")
    endif()
  endforeach()

  target_compile_options(${target} PRIVATE -O3
    $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)  # gnu-unique symbols would make dlclose a no-op
  # The image exports its kernel table only (kernels are found through it).
  set(map "${CMAKE_BINARY_DIR}/ohal_native_kernels.map")
  file(CONFIGURE OUTPUT "${map}" CONTENT "{\n  global: ohal_cpu_kernel_table;\n  local: *;\n};\n")
  target_link_options(${target} PRIVATE -Wl,--no-undefined "-Wl,--version-script=${map}")
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    CXX_STANDARD 20
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON
    LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
endfunction()
