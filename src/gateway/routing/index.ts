/** Routing: replica sources, live replica state, and the routing policies. */
export { StaticReplicaSource, type ReplicaSource } from './replica-source.js';
export { ReplicaState } from './replica-state.js';
export { Router, type RouteChoice, type RouteRequest, type RouterOptions } from './router.js';
