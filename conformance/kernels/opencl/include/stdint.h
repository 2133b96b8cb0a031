/* Exact-width integer types for OpenCL C, so that ../../cts_types.h (which includes <stdint.h>)
 * compiles unchanged and the kernels share its cts_struct64_t instead of a copy. Put this folder
 * first on the include path (-I) of OpenCL C builds only. */
#ifndef OPENAI_HAL_CTS_OPENCL_STDINT_H
#define OPENAI_HAL_CTS_OPENCL_STDINT_H

#ifndef __OPENCL_C_VERSION__
#error "this <stdint.h> is for OpenCL C only"
#endif

/* OpenCL C fixes these widths on every device; char is signed. */
typedef char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long int64_t;
typedef uchar uint8_t;
typedef ushort uint16_t;
typedef uint uint32_t;
typedef ulong uint64_t;

#endif /* OPENAI_HAL_CTS_OPENCL_STDINT_H */
