// The HAL side of every workload, through the public API only. Each op's iteration matches the
// RawBaseline method of the same name (baseline.h).
#ifndef OHAL_BENCH_HAL_OPS_H
#define OHAL_BENCH_HAL_OPS_H

#include <memory>

#include "baseline.h"
#include "hal_session.h"
#include "op.h"

namespace ohal_bench {

// One ohal_stream_query on the session's idle stream.
std::unique_ptr<Op> hal_stream_query(HalSession& session);
// One ohal_event_query on an event recorded on the idle stream and completed.
std::unique_ptr<Op> hal_event_query(HalSession& session);
std::unique_ptr<Op> hal_launch_latency(HalSession& session);
std::unique_ptr<Op> hal_launch_throughput(HalSession& session);
// pinned_host: the host side is an OHAL_MEM_KIND_HOST allocation instead of pageable memory.
std::unique_ptr<Op> hal_memcpy(HalSession& session, CopyKind kind, uint64_t bytes,
                               bool pinned_host = false);
std::unique_ptr<Op> hal_saxpy(HalSession& session, uint32_t n);
std::unique_ptr<Op> hal_block_reduce(HalSession& session, uint32_t n, uint32_t block,
                                     uint32_t items);

}  // namespace ohal_bench

#endif  // OHAL_BENCH_HAL_OPS_H
