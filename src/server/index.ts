/**
 * The control plane service: the HTTP API (`buildServer`), the scheduling loop, the agent
 * protocol's server side, demo mode (simulated agents and workload) and `startControlPlane`,
 * which wires them together for `tessera serve`.
 */
export { buildServer, type ControlPlaneServer, type ServerOptions } from './app.js';
export { startControlPlane, bootstrapAdmin, type ControlPlaneOptions, type RunningControlPlane } from './control-plane.js';
export { SchedulingLoop, leaseName, type CycleReport, type LoopOptions } from './sched-loop.js';
export { AgentService, agentProtocolVersion, stopGraceLabel, type Assignment, type HeartbeatInput, type HeartbeatReply, type StatusReport, type StopOrder } from './agent-service.js';
export { addressLabel, rendezvousAddr, rendezvousPort } from './rendezvous.js';
export { SimulatedTelemetry, type DeviceLoad } from './simulated-telemetry.js';
export { SimulatedAgents } from './simulated-agents.js';
export { DemoWorkload } from './demo-workload.js';
export { createMetrics, type ServerMetrics } from './metrics.js';
export { defaultServerConfig, type ServerConfig } from './context.js';
export { openApiDocument } from './openapi.js';
export { statusOf } from './errors.js';
