/** Routing replays: the gateway's router over emulated engines in simulated time. */
export { VirtualClock } from './virtual-clock.js';
export { replayRouting, type ReplayOptions, type ReplayReplica, type ReplayRequest, type ReplayResult } from './routing-replay.js';
export { requestsFromTrace, poissonTrace, type WindowOptions } from './replay-requests.js';
