/**
 * The node agent's run loop (`tessera agent --server <url> --token <t>`): the agent protocol
 * client, launch plans from run-env.ts (process or container), task processes in their own
 * process groups behind a small supervisor, bounded log buffers, the atomic local state file that
 * keeps starts at most once across restarts, the loop that ties them together, and inference
 * replicas' free ports, readiness probes and endpoint reports.
 */
export { NodeAgent, describeExit, type NodeAgentOptions, type AgentLog, type AgentLogLevel } from './node-agent.js';
export { ProtocolClient, ProtocolError, FailureKind, AGENT_PROTOCOL_VERSION, type Assignment, type HeartbeatReply, type Registration, type RegistrationDevice, type Telemetry, type StatusReport, type WireLogChunk } from './protocol-client.js';
export { planLaunch, derivedPort, containerName, DERIVED_PORT_BASE, DERIVED_PORT_SPAN, type LaunchInput, type LaunchPlan } from './launch-plan.js';
export { TaskProcess, readExitStatus, readShimPid, taskFiles, type ExitStatus, type TaskFiles, type StartOptions } from './process-runner.js';
export { LogBuffer, MAX_CHUNK_CHARS, type LogStream, type QueuedChunk, type DropCounter } from './log-buffer.js';
export { StateStore, TaskPhase, taskKey, writeAtomic, FINISHED_MEMORY, type AgentState, type TaskRecord, type TaskExit } from './state-store.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { registrationFor, telemetryOf, taskBaseEnv } from './registration.js';
export { INFERENCE_KIND, READINESS_PATHS, freePort, replicaUrl, waitReady, type Readiness, type ReadinessOptions } from './replica-endpoint.js';
