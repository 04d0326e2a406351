/** Gateway configuration: schema, parsing with file:line errors, defaults. */
export { parseGatewayConfig, validateGatewayConfig, DEFAULT_TTFT_SLACK_MS, DEFAULT_AFFINITY_TTFT_SLACK_MS, type GatewayConfig, type KeyConfig, type TenantConfig } from './load.js';
export { GatewayConfigSchema, Priority, RoutingPolicy, type ReplicaSpec, type GatewayConfigInput, type LimitsInput } from './schema.js';
export { withPerfPredictions } from './perf-predictions.js';
