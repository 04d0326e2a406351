import type { Registry } from '../framework/registry.js';
import { builtinRegistry } from '../plugins/index.js';
import * as backfill from './backfill.js';
import * as drfOrder from './drf-order.js';
import * as queuePreemption from './queue-preemption.js';
import * as queueQuota from './queue-quota.js';
import * as shapeMemo from './shape-memo.js';

export const queueingPlugins = [backfill, drfOrder, queuePreemption, queueQuota, shapeMemo] as const;

/** Adds the queueing plugins to a registry (duplicates are refused by the registry). */
export function registerQueueing(registry: Registry): Registry {
  for (const p of queueingPlugins) registry.register(p.NAME, p.factory);
  return registry;
}

/** The built-in placement plugins plus the queueing ones: pass it as `registry` in the schedule context. */
export function queueingRegistry(): Registry {
  return registerQueueing(builtinRegistry());
}
