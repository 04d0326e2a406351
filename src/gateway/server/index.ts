/** The gateway service: mountable handler, standalone server, health checks. */
export { Gateway, type GatewayDeps, type ReplicaView } from './gateway.js';
export { checkHealth } from './health.js';
