# Project-wide options, warnings and sanitizers.
option(OHAL_WERROR "Treat warnings as errors" ON)
set(OHAL_SANITIZE "" CACHE STRING "Sanitizers: empty, 'address,undefined' or 'thread'")

foreach(backend CPU_REF VULKAN CUDA HIP LEVELZERO)
  set(OHAL_BACKEND_${backend} AUTO CACHE STRING "Build the ${backend} backend: AUTO, ON or OFF")
  set_property(CACHE OHAL_BACKEND_${backend} PROPERTY STRINGS AUTO ON OFF)
endforeach()

add_library(ohal_warnings INTERFACE)
target_compile_options(ohal_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:C,CXX>:-Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion
    -Wformat=2 $<$<BOOL:${OHAL_WERROR}>:-Werror>>
  $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>)

if(OHAL_SANITIZE)
  add_compile_options(-fsanitize=${OHAL_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${OHAL_SANITIZE})
endif()

# ohal_decide_backend(NAME FOUND): sets OHAL_BUILD_<NAME> from the option and whether its
# dependencies were found; ON with missing dependencies is a configure error.
function(ohal_decide_backend name found)
  set(mode ${OHAL_BACKEND_${name}})
  if(mode STREQUAL "OFF")
    set(OHAL_BUILD_${name} OFF PARENT_SCOPE)
  elseif(found)
    set(OHAL_BUILD_${name} ON PARENT_SCOPE)
  elseif(mode STREQUAL "ON")
    message(FATAL_ERROR "OHAL_BACKEND_${name}=ON but its dependencies were not found")
  else()
    message(STATUS "openai_hal: ${name} backend skipped (dependencies not found)")
    set(OHAL_BUILD_${name} OFF PARENT_SCOPE)
  endif()
endfunction()

# ohal_add_plugin(NAME SOURCES...): a backend plugin libohal_<name>.so in lib/openai_hal.
function(ohal_add_plugin name)
  add_library(ohal_${name} MODULE ${ARGN})
  target_link_libraries(ohal_${name} PRIVATE openai_hal_headers ohal_warnings)
  set_target_properties(ohal_${name} PROPERTIES
    PREFIX "lib"
    LIBRARY_OUTPUT_DIRECTORY ${OHAL_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(ohal_${name} PRIVATE -Wl,--no-undefined)
  install(TARGETS ohal_${name} LIBRARY DESTINATION ${OHAL_PLUGIN_INSTALL_DIR})
endfunction()
