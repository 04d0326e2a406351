/**
 * The node agent's device layer: vendor adapters that turn each management tool's output into
 * one device record, probing this machine (with timeouts), simulated devices for machines
 * without accelerators, and the environment a task runs in (visibility, rank, container).
 * The control-plane run loop (`tessera agent --server`) lives in `runtime/`.
 */
export * from './device-record.js';
export { probe, mergeDevices, flagMemoryBelowCatalog, locate, runCommand, ToolStatus, type ProbeOptions, type ProbeResult, type ToolReport, type CommandReport } from './probe.js';
export { parseSimulatedSpec, simulatedDevices, SIMULATED_SOURCE, MAX_SIMULATED_DEVICES, type SimulatedSpec } from './simulated.js';
export { runEnv, rankEnv, Runtime, type RunEnv, type RunEnvInput, type RankInfo, type ContainerSpec, type Mount } from './run-env.js';
export * from './vendors/index.js';
