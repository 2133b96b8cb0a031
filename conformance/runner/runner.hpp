// The parent side of ohal-cts: options, device enumeration, one child per device, reports.
#pragma once

namespace cts_runner {

int runner_main(int argc, char** argv);

}  // namespace cts_runner
