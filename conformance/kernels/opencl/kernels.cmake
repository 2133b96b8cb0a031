# The CTS kernel set in OpenCL C (conformance/README.md) as ONE SPIR-V module for Level Zero.
#
#   include(<repo>/conformance/kernels/opencl/kernels.cmake)
#   ohal_cts_opencl_image(<out_var_image> <out_var_target>)
#
# Sets <out_var_image> to the .spv file and <out_var_target> to the target that builds it, or both
# to "" when clang-14, llvm-spirv-14 or spirv-val is missing. Callable from several directories:
# the first call creates the target, later calls hand back the same one.
#
# Also sets, for OpenCL runtimes that build from source (tests/opencl_reference):
#   OHAL_CTS_OPENCL_SOURCES      the .cl files (absolute), one translation unit when #included
#   OHAL_CTS_OPENCL_INCLUDE_DIR  must come first on the include path (the OpenCL <stdint.h>)
#   OHAL_CTS_OPENCL_HEADERS      the headers they include
include_guard(DIRECTORY)
include(${CMAKE_CURRENT_LIST_DIR}/../../../cmake/OhalOpenclKernels.cmake)

set(OHAL_CTS_OPENCL_DIR ${CMAKE_CURRENT_LIST_DIR})
set(OHAL_CTS_OPENCL_SOURCES
  ${OHAL_CTS_OPENCL_DIR}/basic.cl
  ${OHAL_CTS_OPENCL_DIR}/indexing.cl
  ${OHAL_CTS_OPENCL_DIR}/arguments.cl
  ${OHAL_CTS_OPENCL_DIR}/shared_memory.cl
  ${OHAL_CTS_OPENCL_DIR}/atomics.cl
  ${OHAL_CTS_OPENCL_DIR}/control.cl)
set(OHAL_CTS_OPENCL_INCLUDE_DIR ${OHAL_CTS_OPENCL_DIR}/include)
set(OHAL_CTS_OPENCL_HEADERS
  ${OHAL_CTS_OPENCL_DIR}/cts_opencl_util.h
  ${OHAL_CTS_OPENCL_DIR}/include/stdint.h
  ${OHAL_CTS_OPENCL_DIR}/../cts_types.h)
# Functions are global but variables are not: the function reads these from global properties.
set_property(GLOBAL PROPERTY OHAL_CTS_OPENCL_SOURCES ${OHAL_CTS_OPENCL_SOURCES})
set_property(GLOBAL PROPERTY OHAL_CTS_OPENCL_INCLUDE_DIR ${OHAL_CTS_OPENCL_INCLUDE_DIR})
set_property(GLOBAL PROPERTY OHAL_CTS_OPENCL_HEADERS ${OHAL_CTS_OPENCL_HEADERS})

function(ohal_cts_opencl_image out_image out_target)
  set(target ohal_cts_kernels_spirv_opencl)
  if(NOT TARGET ${target})
    get_property(sources GLOBAL PROPERTY OHAL_CTS_OPENCL_SOURCES)
    get_property(include_dir GLOBAL PROPERTY OHAL_CTS_OPENCL_INCLUDE_DIR)
    get_property(headers GLOBAL PROPERTY OHAL_CTS_OPENCL_HEADERS)
    # OpenCL C 1.2 (plus the int64 atomics extensions): what every Level Zero driver compiles.
    ohal_add_spirv_opencl(${target}
      OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/cts_kernels_opencl.spv
      SOURCES ${sources}
      CL_STD CL1.2
      SPIRV_VERSION 1.2
      INCLUDE_DIRS ${include_dir}
      OPTIONS -Wall -Wextra -Werror
      DEPENDS ${headers})
  endif()
  if(TARGET ${target})
    get_target_property(image ${target} OHAL_SPIRV_FILE)
    set(${out_image} ${image} PARENT_SCOPE)
    set(${out_target} ${target} PARENT_SCOPE)
  else()
    set(${out_image} "" PARENT_SCOPE)
    set(${out_target} "" PARENT_SCOPE)
  endif()
endfunction()
