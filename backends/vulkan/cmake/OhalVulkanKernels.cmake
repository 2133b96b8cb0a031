# ohal_vulkan_spirv_module(<target> OUTPUT <module.spv> SOURCES <a.comp>... [GLSLC_FLAGS ...])
#
# Builds one SPIRV_VULKAN module holding one kernel per GLSL source: each file is compiled with
# glslc (--target-env=vulkan1.2), its entry point "main" renamed to the file's stem with
# ohal-spirv-entry, the results merged with spirv-link and checked with spirv-val.
# OHAL_VULKAN_KERNEL_TOOLS_FOUND says whether glslc, spirv-link and spirv-val were found.
find_program(OHAL_GLSLC glslc HINTS ${Vulkan_GLSLC_EXECUTABLE})
find_program(OHAL_SPIRV_LINK spirv-link)
find_program(OHAL_SPIRV_VAL spirv-val)
# Cached so other directories (tests, conformance) see it.
if(OHAL_GLSLC AND OHAL_SPIRV_LINK AND OHAL_SPIRV_VAL)
  set(OHAL_VULKAN_KERNEL_TOOLS_FOUND TRUE CACHE INTERNAL "glslc, spirv-link, spirv-val found")
else()
  set(OHAL_VULKAN_KERNEL_TOOLS_FOUND FALSE CACHE INTERNAL "glslc, spirv-link, spirv-val found")
endif()

function(ohal_vulkan_spirv_module target)
  cmake_parse_arguments(ARG "" "OUTPUT" "SOURCES;GLSLC_FLAGS" ${ARGN})
  if(NOT OHAL_VULKAN_KERNEL_TOOLS_FOUND)
    message(FATAL_ERROR "ohal_vulkan_spirv_module needs glslc, spirv-link and spirv-val")
  endif()
  set(work ${CMAKE_CURRENT_BINARY_DIR}/${target}.dir)
  set(renamed)
  foreach(source ${ARG_SOURCES})
    get_filename_component(abs ${source} ABSOLUTE)
    get_filename_component(name ${source} NAME_WE)
    add_custom_command(
      OUTPUT ${work}/${name}.spv
      COMMAND ${CMAKE_COMMAND} -E make_directory ${work}
      COMMAND ${OHAL_GLSLC} --target-env=vulkan1.2 -O ${ARG_GLSLC_FLAGS} -MD -MF
              ${work}/${name}.d -MT ${work}/${name}.spv -o ${work}/${name}.main.spv ${abs}
      COMMAND ohal-spirv-entry ${work}/${name}.main.spv ${work}/${name}.spv ${name}
      DEPENDS ${abs} ohal-spirv-entry
      DEPFILE ${work}/${name}.d
      COMMENT "GLSL kernel ${name}"
      VERBATIM)
    list(APPEND renamed ${work}/${name}.spv)
  endforeach()
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${OHAL_SPIRV_LINK} --target-env vulkan1.2 -o ${ARG_OUTPUT} ${renamed}
    COMMAND ${OHAL_SPIRV_VAL} --target-env vulkan1.2 --allow-localsizeid ${ARG_OUTPUT}
    DEPENDS ${renamed}
    COMMENT "SPIR-V module ${ARG_OUTPUT}"
    VERBATIM)
  add_custom_target(${target} DEPENDS ${ARG_OUTPUT})
endfunction()
