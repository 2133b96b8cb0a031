// test_opencl_reference: the OpenCL C port of the CTS kernel set, run on an OpenCL device.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
