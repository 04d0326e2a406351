/**
 * The simulator core: `simulate(config)` runs a trace through the scheduler on a virtual clock and
 * returns the metrics; `fleetToNodes` turns a fleet into the scheduler's starting snapshot.
 */
export { simulate } from './simulator.js';
export { EventHeap, EventKind } from './event-heap.js';
// One conversion of a fleet into scheduler nodes, shared with the control plane.
export { fleetToSchedNodes as fleetToNodes } from '../../sched/fleet-nodes.js';
export { FloatBuffer, nearestRank, summary } from './stats.js';
export type { ChipUsage, DurationFn, NodeEvent, ScheduleCtx, ScheduleFn, SimConfig, SimJob, SimProgress, SimResult, TenantUsage, TimePoint } from './types.js';
export { perfLink, type PerfLink } from './perf-link.js';
