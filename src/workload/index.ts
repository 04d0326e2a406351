/**
 * What users ask for: job and inference-service specs (schemas, defaults, validation), the job
 * lifecycle state machine and the retry policy. Pure: no I/O.
 */
export * from './job-state.js';
export * from './retry.js';
export * from './job-spec.js';
export * from './service-spec.js';
