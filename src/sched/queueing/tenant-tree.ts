/**
 * The queue tree the control plane runs (and the simulator reproduces): one root per tenant,
 * carrying the tenant's card quota (per chip and `*`) as a hard cap, and one leaf per queue,
 * named `<tenant>/<queue>`, with its DRF weight and priority. Roots borrow from no one, so with
 * `reclaim: 'never'` no tenant's work is ever preempted for another's; inside a tenant, queues
 * share its quota, DRF orders tenants and queues, and a job may preempt lower-priority work of its
 * own queue.
 */
import type { QueueConfig } from '../types.js';

/** The tree's name for a tenant's queue: queue names are per tenant, the tree's are global. */
export function tenantQueueName(tenant: string, queue: string): string {
  return `${tenant}/${queue}`;
}

export interface TenantSpec {
  id: string;
  /** Cards per chip id, `*` for all chips together; absent or empty: unlimited. */
  quota?: Readonly<Record<string, number>>;
}

export interface TenantQueueSpec {
  tenant: string;
  name: string;
  weight?: number;
  priority?: number;
}

/** Roots for `tenants` (and for any tenant a queue names), then a leaf per distinct queue. */
export function tenantQueueTree(tenants: Iterable<TenantSpec>, queues: Iterable<TenantQueueSpec>): QueueConfig[] {
  const out: QueueConfig[] = [];
  const roots = new Set<string>();
  const leaves = new Set<string>();
  const root = (t: TenantSpec): void => {
    if (roots.has(t.id)) return;
    roots.add(t.id);
    out.push({ name: t.id, tenant: t.id, ...(t.quota && Object.keys(t.quota).length > 0 ? { quota: { ...t.quota } } : {}) });
  };
  for (const t of tenants) root(t);
  for (const q of queues) {
    const name = tenantQueueName(q.tenant, q.name);
    if (leaves.has(name)) continue;
    root({ id: q.tenant });
    leaves.add(name);
    out.push({ name, parent: q.tenant, tenant: q.tenant, weight: q.weight !== undefined && q.weight > 0 ? q.weight : 1, priority: q.priority ?? 0 });
  }
  return out;
}
