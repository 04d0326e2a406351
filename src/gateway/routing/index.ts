/** Routing: replica sources (static, or following the control plane), live replica state, and the routing policies. */
export { StaticReplicaSource, type ReplicaSource } from './replica-source.js';
export { PollingReplicaSource, replicasFromEndpoints, httpEndpointFetcher, type ControlPlaneEndpoint, type PollingSourceOptions } from './polling-source.js';
export { ReplicaState } from './replica-state.js';
export { Router, type RouteChoice, type RouteRequest, type RouterOptions } from './router.js';
