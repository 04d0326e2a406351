/**
 * Trace adapters, pure (text in, jobs out): native JSONL, Gavel (throughputs + traces), Alibaba openb
 * pod lists, Sia and Pollux workloads, and the seeded synthetic LLM mix. Malformed lines are reported
 * with file:line; fatal by default, skipped and counted with `skipBad`.
 */
export { LineIssues, lines, type TraceReadOptions } from './line-issues.js';
export { parseJsonlTrace, toSimJob, toChipRequest, TraceJobSchema, type TraceJob } from './jsonl.js';
export { parseGavelThroughputs, parseGavelTrace, gavelKey, type GavelThroughputs, type GavelTraceJob, type GavelTraceOptions } from './gavel.js';
export { parseOpenbPods, OPENB_CHIPS } from './openb.js';
export { parseAdaptdlWorkload } from './adaptdl.js';
export { syntheticJobs, syntheticDuration, prepareMix, rateForLoad, DEFAULT_MIX, type SyntheticKind, type SyntheticFleetInfo, type SyntheticOptions, type SyntheticJob, type ClassThroughputFn } from './synthetic.js';
