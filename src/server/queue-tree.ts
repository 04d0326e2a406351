/**
 * The store's tenants and queues as the scheduler's queue tree (`Snapshot.queues`) for the
 * queueing profiles (`tenant-fair`, `tenant-fair-fgd`); the tree's shape is `tenantQueueTree`'s.
 */
import { tenantQueueTree } from '../sched/queueing/index.js';
import type { QueueConfig } from '../sched/index.js';
import type { JobRecord, QueueRecord, Tenant } from '../store/index.js';

/**
 * A job whose queue is gone (or whose tenant has no record) still gets a leaf: it waits on
 * capacity and quota like the rest, not on a missing configuration.
 */
export function queuesFromStore(tenants: readonly Tenant[], queues: readonly QueueRecord[], jobs: Iterable<readonly JobRecord[]> = []): QueueConfig[] {
  // Distinct (tenant, queue) pairs of the jobs, without a string or object per job: this runs every cycle over every waiting and running job.
  const seen = new Map<string, Set<string>>();
  for (const list of jobs) {
    for (const j of list) {
      let qs = seen.get(j.tenant);
      if (!qs) seen.set(j.tenant, (qs = new Set()));
      qs.add(j.queue);
    }
  }
  const fromJobs = [...seen].flatMap(([tenant, qs]) => [...qs].map((name) => ({ tenant, name })));
  return tenantQueueTree(
    tenants.map((t) => ({ id: t.id, quota: t.quota })),
    [...queues.map((q) => ({ tenant: q.tenant, name: q.name, weight: q.weight, priority: q.priority })), ...fromJobs],
  );
}
