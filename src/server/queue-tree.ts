/**
 * The store's tenants and queues as the scheduler's queue tree (`Snapshot.queues`), for the
 * queueing profiles (`tenant-fair`, `tenant-fair-fgd`): one root per tenant carrying the tenant's
 * card quota (per chip and `*`), and under it one leaf per queue with its DRF weight and priority.
 * Roots borrow from no one, so a tenant's quota stays a hard cap and no tenant's work is ever
 * preempted for another's; inside a tenant, queues share its quota, DRF orders tenants and queues,
 * and a higher-priority job may preempt lower-priority work of its own queue.
 */
import type { QueueConfig } from '../sched/index.js';
import type { JobRecord, QueueRecord, Tenant } from '../store/index.js';

/** The scheduler's name for a tenant's queue: queue names are per tenant, the tree's are global. */
export function schedQueueName(tenant: string, queue: string): string {
  return `${tenant}/${queue}`;
}

export function queuesFromStore(tenants: readonly Tenant[], queues: readonly QueueRecord[], jobs: Iterable<readonly JobRecord[]> = []): QueueConfig[] {
  const out: QueueConfig[] = [];
  const roots = new Set<string>();
  const leaves = new Set<string>();
  const root = (tenant: string, quota: Record<string, number> = {}): void => {
    if (roots.has(tenant)) return;
    roots.add(tenant);
    out.push({ name: tenant, tenant, ...(Object.keys(quota).length > 0 ? { quota: { ...quota } } : {}) });
  };
  const leaf = (tenant: string, queue: string, weight = 1, priority = 0): void => {
    const name = schedQueueName(tenant, queue);
    if (leaves.has(name)) return;
    root(tenant);
    leaves.add(name);
    out.push({ name, parent: tenant, tenant, weight, priority });
  };
  for (const t of tenants) root(t.id, t.quota);
  for (const q of queues) leaf(q.tenant, q.name, q.weight > 0 ? q.weight : 1, q.priority);
  // A job whose queue is gone (or whose tenant has no record) still gets a leaf: it waits on
  // capacity and quota like the rest, not on a missing configuration.
  for (const list of jobs) for (const j of list) leaf(j.tenant, j.queue);
  return out;
}
