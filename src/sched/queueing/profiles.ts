import { invalid } from '../../lib/errors.js';
import { loadProfile, type Profile, type ProfileSpec } from '../framework/profile.js';
import { builtinProfiles } from '../profiles.js';
import { queueingRegistry } from './register.js';

/** Options of the tenant-fair profiles, passed to the queueing plugins as their arguments. */
export interface TenantFairOptions {
  /** H20-equivalents per card by chip id, for `h20eq` quotas and DRF; absent: 1 per card. */
  h20eq?: Record<string, number>;
  /** Protection for running jobs that do not carry their own `minRuntimeSec`. */
  minRuntimeSec?: number;
  /** Which borrowed work a queue within its nominal quota may reclaim. */
  reclaim?: 'any' | 'lower-priority' | 'never';
  /** At most this many victims per call (0: no limit). */
  maxPreemptionsPerCall?: number;
  /** Blocked jobs that get a backfill reservation per call (0 turns backfill off). */
  maxReservations?: number;
  /** Time-based fair share: weight of each queue's `pastShare`. */
  historyWeight?: number;
  /** DRF over chip types (ties by H20-eq share), or H20-eq share alone. */
  shareBasis?: 'dominant' | 'h20eq';
}

const queueing = {
  queueSort: 'drf-order',
  prepare: ['queue-quota', 'drf-order', 'queue-preemption', 'backfill'],
  preFilter: ['job-shape', 'chip-eligibility', 'never-fits', 'queue-quota', 'backfill', 'shape-memo'],
  filter: ['queue-quota', 'node-schedulable', 'node-resources-fit', 'backfill', 'card-fit'],
  permit: ['queue-quota'],
  postFilter: ['queue-preemption', 'backfill', 'shape-memo'],
} satisfies Partial<ProfileSpec>;

/**
 * The queueing profiles: queue admission, DRF order, preemption and backfill around a placement profile.
 * `tenant-fair` places like `fast` (chip preference, link domain, best fit on a bounded candidate set);
 * `tenant-fair-fgd` places like `default` (FGD node and card choice).
 */
export function tenantFairProfile(placement: 'fast' | 'default' = 'fast', options: TenantFairOptions = {}): ProfileSpec {
  const base = builtinProfiles[placement];
  if (!base) throw invalid(`unknown placement profile "${placement}"`);
  const spec: ProfileSpec = structuredClone({
    ...base,
    ...queueing,
    name: placement === 'fast' ? 'tenant-fair' : 'tenant-fair-fgd',
    description: `hierarchical queues with quotas (per chip, H20-eq, borrowing/lending), DRF order, preemption and backfill; placement as ${placement}`,
    prepare: [...queueing.prepare, ...(base.prepare ?? [])],
  });
  const args: Record<string, Record<string, unknown>> = { ...(spec.pluginArgs ?? {}) };
  if (options.h20eq) args['queue-quota'] = { h20eq: options.h20eq };
  const preemption = {
    ...(options.minRuntimeSec !== undefined ? { minRuntimeSec: options.minRuntimeSec } : {}),
    ...(options.reclaim !== undefined ? { reclaim: options.reclaim } : {}),
    ...(options.maxPreemptionsPerCall !== undefined ? { maxPreemptionsPerCall: options.maxPreemptionsPerCall } : {}),
  };
  if (Object.keys(preemption).length > 0) args['queue-preemption'] = preemption;
  if (options.maxReservations !== undefined) args.backfill = { maxReservations: options.maxReservations };
  if (options.historyWeight !== undefined || options.shareBasis !== undefined) {
    args['drf-order'] = { ...(options.historyWeight !== undefined ? { historyWeight: options.historyWeight } : {}), ...(options.shareBasis !== undefined ? { shareBasis: options.shareBasis } : {}) };
  }
  if (Object.keys(args).length > 0) spec.pluginArgs = args;
  return spec;
}

export const queueingProfileNames = ['tenant-fair', 'tenant-fair-fgd'] as const;

/** A queueing profile spec by name. */
export function queueingProfile(name: string, options: TenantFairOptions = {}): ProfileSpec {
  if (name === 'tenant-fair') return tenantFairProfile('fast', options);
  if (name === 'tenant-fair-fgd') return tenantFairProfile('default', options);
  throw invalid(`unknown queueing profile "${name}"; known: ${queueingProfileNames.join(', ')}`);
}

/**
 * A built queueing profile (plugins from `queueingRegistry()`) for a queueing profile name, or null for
 * any other name: lets a caller that takes a profile name (e.g. `tessera sim run --policy`) offer them.
 */
export function resolveQueueingProfile(name: string, options: TenantFairOptions = {}): Profile | null {
  if (!(queueingProfileNames as readonly string[]).includes(name)) return null;
  return loadProfile(queueingProfile(name, options), queueingRegistry());
}
