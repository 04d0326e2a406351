/**
 * Admission: Pending -> Admitted within each tenant's card quota. A quota names chips (`nvidia-h20: 16`)
 * and/or all chips together (`*: 64`); cards in use count fractional shares by their share.
 * Per-chip quotas of jobs that accept several chips are enforced again on the scheduler's binds.
 */
import type { Decision } from '../sched/index.js';
import type { JobRecord, SchedState, Tenant } from '../store/index.js';

export type Usage = Map<string, Map<string, number>>;

function cardsOf(j: JobRecord): number {
  return (j.cards * j.milliPerCard) / 1000;
}

function add(usage: Usage, tenant: string, chip: string, cards: number): void {
  const t = usage.get(tenant) ?? new Map<string, number>();
  t.set(chip, (t.get(chip) ?? 0) + cards);
  usage.set(tenant, t);
}

/** Cards held (running) or promised (admitted) per tenant, per chip and under `*`. */
export function tenantUsage(state: SchedState): Usage {
  const usage: Usage = new Map();
  for (const j of state.running) {
    add(usage, j.tenant, '*', cardsOf(j));
    if (j.chip) add(usage, j.tenant, j.chip, cardsOf(j));
  }
  for (const j of state.admitted) {
    add(usage, j.tenant, '*', cardsOf(j));
    if (j.spec.resources.chips.kind === 'pinned') add(usage, j.tenant, j.spec.resources.chips.chip, cardsOf(j));
  }
  return usage;
}

export interface AdmissionResult {
  admit: JobRecord[];
  /** Jobs held back, with why. */
  held: Record<string, { plugin: string; reason: string }[]>;
}

export function admit(state: SchedState): AdmissionResult {
  const usage = tenantUsage(state);
  const quotas = new Map<string, Tenant['quota']>(state.tenants.map((t) => [t.id, t.quota]));
  const result: AdmissionResult = { admit: [], held: {} };
  for (const j of state.pending) {
    const quota = quotas.get(j.tenant) ?? {};
    const need = cardsOf(j);
    const used = usage.get(j.tenant);
    const keys = ['*', ...(j.spec.resources.chips.kind === 'pinned' ? [j.spec.resources.chips.chip] : [])];
    const over = keys.find((k) => quota[k] !== undefined && (used?.get(k) ?? 0) + need > quota[k]!);
    if (over !== undefined) {
      result.held[j.id] = [{ plugin: 'tenant-quota', reason: `tenant ${j.tenant} would exceed its ${over === '*' ? 'total' : over} quota: ${round(used?.get(over) ?? 0)} of ${quota[over]} cards in use, job needs ${round(need)}` }];
      continue;
    }
    for (const k of keys) add(usage, j.tenant, k, need);
    result.admit.push(j);
  }
  return result;
}

/** Drops binds that would push a tenant over a per-chip quota (jobs that accepted several chips). */
export function enforceChipQuotas(state: SchedState, decisions: Decision[], jobsById: Map<string, JobRecord>): { kept: Decision[]; held: Record<string, { plugin: string; reason: string }[]> } {
  const quotas = new Map<string, Tenant['quota']>(state.tenants.map((t) => [t.id, t.quota]));
  const usage: Usage = new Map();
  for (const j of state.running) if (j.chip) add(usage, j.tenant, j.chip, cardsOf(j));
  const kept: Decision[] = [];
  const held: Record<string, { plugin: string; reason: string }[]> = {};
  for (const d of decisions) {
    const job = d.kind === 'bind' ? jobsById.get(d.jobId) : undefined;
    if (d.kind !== 'bind' || !job) {
      kept.push(d);
      continue;
    }
    const limit = quotas.get(job.tenant)?.[d.chip];
    const used = usage.get(job.tenant)?.get(d.chip) ?? 0;
    if (limit !== undefined && used + cardsOf(job) > limit) {
      held[job.id] = [{ plugin: 'tenant-quota', reason: `tenant ${job.tenant} would exceed its ${d.chip} quota: ${round(used)} of ${limit} cards in use` }];
      continue;
    }
    add(usage, job.tenant, d.chip, cardsOf(job));
    kept.push(d);
  }
  // Evictions made for a job that may not run after all are dropped with it.
  return { kept: kept.filter((d) => d.kind !== 'preempt' || held[d.forJobId] === undefined), held };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
