/** The backend emulator: an OpenAI-compatible engine whose timing follows a performance model or explicit numbers. */
export { explicitTiming, type EmulatorTiming, type ExplicitTimingParams } from './timing.js';
export { EmulatedEngine, realTimers, type EngineJob, type EngineHandle, type EngineStats, type EngineTimers, type InferenceEngine } from './engine.js';
export { ChunkedPrefillEngine } from './chunked-engine.js';
export { createEmulator, startEmulator, type EmulatorOptions, type EmulatorFaults, type RunningEmulator } from './server.js';
export { perfTiming, type PerfTimingOptions } from './perf-timing.js';
