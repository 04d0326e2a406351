/**
 * The queue hierarchy as configuration (`Snapshot.queues`): a forest of queues, each with a parent, an
 * owning tenant, a fair-share weight, a priority among its siblings and quotas. Validated with TypeBox;
 * every problem is reported with its path so an operator can fix the file.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValidationError, type ValidationIssue } from '../../lib/errors.js';
import type { QueueConfig } from '../types.js';

/** Pseudo-resources a quota may name besides chip ids. */
export const QuotaResource = {
  /** H20-equivalent cards over every chip: cards x h20eq(chip). */
  h20eq: 'h20eq',
  /** Cards of any chip, counted one per card (a fractional share by its share). */
  anyCard: '*',
} as const;
export type QuotaResource = (typeof QuotaResource)[keyof typeof QuotaResource];

const Amount = Type.Number({ minimum: 0, maximum: 1e9 });

/**
 * Kueue-style quota for one resource. `nominal` is guaranteed to the queue (reclaimed by preemption when
 * others borrowed it); `borrowingLimit` caps what the queue may use beyond nominal (absent: unlimited,
 * except at a root, which has no one to borrow from); `lendingLimit` caps how much of its unused nominal
 * others may borrow (absent: all of it).
 */
export const QuotaSchema = Type.Union([
  Amount,
  Type.Object({ nominal: Amount, borrowingLimit: Type.Optional(Amount), lendingLimit: Type.Optional(Amount) }, { additionalProperties: false }),
]);

export const QueueSpecSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 253 }),
    parent: Type.Optional(Type.String({ minLength: 1 })),
    /** Owning tenant; inherited from the parent when absent, else the queue's name. */
    tenant: Type.Optional(Type.String({ minLength: 1 })),
    /** DRF weight: a queue with weight 2 is entitled to twice the dominant share. */
    weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e6 })),
    /** Among siblings, a higher priority is served first regardless of share. */
    priority: Type.Optional(Type.Number()),
    /** Per chip id, `h20eq` (H20-equivalent cards over all chips) or `*` (cards of any chip). */
    quota: Type.Optional(Type.Record(Type.String({ minLength: 1 }), QuotaSchema)),
    /**
     * Time-based fair share: the queue's past dominant share (0..1, e.g. an exponentially decayed
     * average the caller keeps); blended with the current share by the DRF plugin's `historyWeight`.
     */
    pastShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1e3 })),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type QueueSpec = Static<typeof QueueSpecSchema>;

export interface Quota {
  nominal: number;
  borrowingLimit: number;
  lendingLimit: number;
}

/** A validated queue: quotas normalised (limits as numbers, Infinity when unlimited). */
export interface QueueDef {
  name: string;
  parent: string | null;
  tenant: string;
  weight: number;
  priority: number;
  pastShare: number;
  quota: Map<string, Quota>;
}

/**
 * Validates the snapshot's queues: schema, unique names, known parents, no cycles. Returns them with
 * parents before children. Throws a `ValidationError` listing every problem with its path.
 */
export function parseQueues(raw: readonly QueueConfig[]): QueueDef[] {
  const issues: ValidationIssue[] = [];
  const specs: QueueSpec[] = [];
  raw.forEach((q, i) => {
    if (!Value.Check(QueueSpecSchema, q)) {
      for (const e of Value.Errors(QueueSpecSchema, q)) issues.push({ path: `/queues/${i}${e.path}`, recordId: typeof q?.name === 'string' ? q.name : undefined, message: e.message });
      return;
    }
    specs.push(q);
  });
  const byName = new Map<string, QueueSpec>();
  specs.forEach((q, i) => {
    if (byName.has(q.name)) issues.push({ path: `/queues/${i}/name`, recordId: q.name, message: `queue "${q.name}" is defined twice` });
    byName.set(q.name, q);
  });
  for (const q of specs) {
    if (q.parent !== undefined && !byName.has(q.parent)) issues.push({ path: '/queues', recordId: q.name, message: `queue "${q.name}" names parent "${q.parent}", which is not defined` });
    if (q.parent === q.name) issues.push({ path: '/queues', recordId: q.name, message: `queue "${q.name}" is its own parent` });
  }
  for (const q of specs) {
    const seen = new Set<string>([q.name]);
    let p = q.parent;
    while (p !== undefined) {
      if (seen.has(p)) {
        issues.push({ path: '/queues', recordId: q.name, message: `queue "${q.name}" is part of a parent cycle (${[...seen].join(' -> ')})` });
        break;
      }
      seen.add(p);
      p = byName.get(p)?.parent;
    }
    for (const [res, quota] of Object.entries(q.quota ?? {})) {
      if (typeof quota === 'object' && quota.lendingLimit !== undefined && quota.lendingLimit > quota.nominal) {
        issues.push({ path: `/queues/${q.name}/quota/${res}/lendingLimit`, recordId: q.name, message: `lendingLimit ${quota.lendingLimit} exceeds nominal ${quota.nominal}` });
      }
    }
  }
  if (issues.length > 0) throw new ValidationError('invalid queue configuration', issues);

  const ordered: QueueDef[] = [];
  const done = new Set<string>();
  const tenantOf = (q: QueueSpec): string => q.tenant ?? (q.parent !== undefined ? tenantOf(byName.get(q.parent) as QueueSpec) : q.name);
  const visit = (q: QueueSpec): void => {
    if (done.has(q.name)) return;
    if (q.parent !== undefined) visit(byName.get(q.parent) as QueueSpec);
    done.add(q.name);
    const quota = new Map<string, Quota>();
    for (const [res, v] of Object.entries(q.quota ?? {})) {
      const spec = typeof v === 'number' ? { nominal: v } : v;
      quota.set(res, {
        nominal: spec.nominal,
        // A root has nobody to borrow from; a child may borrow without limit unless told otherwise.
        borrowingLimit: spec.borrowingLimit ?? (q.parent === undefined ? 0 : Infinity),
        lendingLimit: spec.lendingLimit ?? Infinity,
      });
    }
    ordered.push({ name: q.name, parent: q.parent ?? null, tenant: tenantOf(q), weight: q.weight ?? 1, priority: q.priority ?? 0, pastShare: q.pastShare ?? 0, quota });
  };
  for (const q of specs) visit(q);
  return ordered;
}
