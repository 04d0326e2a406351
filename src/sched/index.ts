/**
 * The scheduler engine: `schedule(snapshot, queue, ctx)`, pure and shared by the simulator and the
 * control plane; the plugin framework (extension points, registry, profiles, typed statuses,
 * transactions) for plugins written elsewhere (queueing, LP); the built-in plugins and profiles.
 */
export * from './types.js';
export { schedule, resolveProfile, type ScheduleContext } from './schedule.js';
export { fleetToSchedNodes } from './fleet-nodes.js';
export { builtinProfiles, profileSpec } from './profiles.js';
export { seededRng, randomInt } from '../lib/rng.js';
export { ClusterState, CARD_MILLI, affinityTag, jobTag } from './framework/cluster-state.js';
export { Engine, type Outcome } from './framework/engine.js';
export { Registry } from './framework/registry.js';
export { loadProfile, ProfileSpecSchema, isProfile, type Profile, type ProfileSpec } from './framework/profile.js';
export { StatusCode, FIT, unschedulable, unresolvable, pluginError, type Status } from './framework/status.js';
export { Transaction } from './framework/transaction.js';
export { numberArg, enumArg, onlyArgs } from './framework/args.js';
export { pickWholeDevices, pickTightestDevices, reserveOn } from './framework/devices.js';
export * from './framework/plugin.js';
export { builtinRegistry, builtinPlugins, typicalMix, FragMeter, type MixEntry, type ShapeLike, type FgdPlugin } from './plugins/index.js';
