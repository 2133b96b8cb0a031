// The cpu_ref ABI types of kernel.h, without the kernel-side surface (whose weak exported table
// function must not end up in the plugin).
#pragma once

#ifndef OHAL_KERNEL_ABI_ONLY
#define OHAL_KERNEL_ABI_ONLY
#endif
#include "openai_hal/kernel.h"
