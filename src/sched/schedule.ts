import type { Catalog } from '../catalog/catalog.js';
import { ClusterState } from './framework/cluster-state.js';
import { Engine } from './framework/engine.js';
import { isProfile, loadProfile, type Profile, type ProfileSpec } from './framework/profile.js';
import type { Registry } from './framework/registry.js';
import { builtinRegistry } from './plugins/index.js';
import { profileSpec } from './profiles.js';
import type { Decision, PerfFn, Rng, ScheduleResult, SchedJob, Snapshot } from './types.js';

export interface ScheduleContext {
  /** A built-in profile name, a profile spec (plain object), or a built profile. */
  profile: string | Profile | ProfileSpec;
  rng: Rng;
  catalog?: Catalog;
  /** A `PerfFn`; anything else is ignored. */
  perf?: unknown;
  /** Registry to build named/spec profiles from; defaults to the built-in plugins. */
  registry?: Registry;
}

/** Builds a profile from a name or spec (fresh plugin instances, so no state leaks between calls). */
export function resolveProfile(profile: string | Profile | ProfileSpec, registry: Registry = builtinRegistry()): Profile {
  if (isProfile(profile)) return profile;
  return loadProfile(typeof profile === 'string' ? profileSpec(profile) : profile, registry);
}

/**
 * The scheduler: pure, deterministic for a given rng. Takes the queue in the profile's order and
 * decides for each job: bind (placements on devices), reject (can never run here, with the reason),
 * or leaves it pending with the reasons per plugin. Later jobs see earlier bindings.
 */
export function schedule(snapshot: Snapshot, queue: SchedJob[], ctx: ScheduleContext): ScheduleResult {
  const profile = resolveProfile(ctx.profile, ctx.registry);
  const state = new ClusterState(snapshot.nodes, snapshot.running);
  const perf = typeof ctx.perf === 'function' ? (ctx.perf as PerfFn) : undefined;
  const engine = new Engine(state, profile, { rng: ctx.rng, snapshot, ...(ctx.catalog ? { catalog: ctx.catalog } : {}), ...(perf ? { perf } : {}) });
  engine.prepare(queue);
  const decisions: Decision[] = [];
  const pending: ScheduleResult['pending'] = {};
  const seen = new Set<string>();
  for (const job of engine.order(queue)) {
    if (seen.has(job.id)) {
      decisions.push({ kind: 'reject', jobId: job.id, reason: 'duplicate job id in the queue' });
      continue;
    }
    seen.add(job.id);
    const outcome = engine.scheduleOne(job);
    if (outcome.kind === 'pending') {
      pending[job.id] = outcome.reasons;
      for (const d of outcome.decisions) decisions.push(d);
    } else decisions.push(outcome.decision);
  }
  return { decisions, pending };
}
