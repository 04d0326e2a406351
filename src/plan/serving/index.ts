/**
 * The serving planner (pure): the cheapest replica mix across chip types for an LLM serving load
 * under an SLO, as a MIP on HiGHS over request-size buckets (after Mélange), next to the best
 * single chip type.
 */
export type { TrafficBucket, ChipOption, ChipProfile, BucketCapacity, PlannedChip, Mix, ServingPlan } from './types.js';
export { bucketsFromTrace, bucketsFromMix, bucketsFromCells, addToCells, mergeCells, INPUT_EDGES, OUTPUT_EDGES, type TraceRequest, type SizeCell } from './buckets.js';
export { parseTraceCsv } from './trace-csv.js';
export { planServing, type PlanInput } from './mix.js';
export { perfProfiles, catalogPrice, chipOptions, type ProfileOptions } from './perf-profile.js';
export { decideScale, clampMix, total as mixTotal, defaultScalePolicy, freshScaleMemory, type ReplicaMix, type ScalePolicy, type ScaleMemory, type ScaleDecision } from './autoscale.js';
