/**
 * The inference gateway: one OpenAI-compatible endpoint over replicas on different chips, with
 * capacity- and SLO-aware routing, per-tenant limits and token accounting; and the emulator
 * that stands in for real engines in tests and demos.
 */
export { Gateway, type GatewayDeps, type ReplicaView } from './server/index.js';
export { parseGatewayConfig, validateGatewayConfig, type GatewayConfig, type KeyConfig, type ReplicaSpec } from './config/index.js';
export { StaticReplicaSource, PollingReplicaSource, replicasFromEndpoints, httpEndpointFetcher, type ReplicaSource, type ControlPlaneEndpoint } from './routing/index.js';
export { explicitTiming, startEmulator, type EmulatorTiming, type RunningEmulator } from './emulator/index.js';
export { TrafficMeter, type UsageReport, type UsageRow, type TrafficSample, summarizeTraffic, type SloTargets, type TrafficBucket, type TrafficSummary, type TrafficFigures } from './usage/index.js';
