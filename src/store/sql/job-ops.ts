/**
 * Job writes shared by every store verb: insert, move along the state machine (with event, audit,
 * card release and the retry policy), all inside the caller's transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { TesseraError } from '../../lib/errors.js';
import { afterInterruption, assertTransition, holdsCards, isTerminal, JobState, type JobSpec } from '../../workload/index.js';
import type { Actor, JobRecord } from '../types.js';
import type { SqlConn, SqlDriver } from './driver.js';
import { jobColumns, toJob } from './rows.js';

export interface Ctx {
  db: SqlDriver;
  now: () => number;
}

export function newId(prefix: string, nowMs: number): string {
  // Time first (base36, fixed width) so ids sort by creation; random tail so two stores never collide.
  return `${prefix}-${nowMs.toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}

export function specHash(spec: unknown): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex');
}

/** Writes one event (monotonic id) and one audit entry for a state change. */
export async function record(
  ctx: Ctx,
  c: SqlConn,
  e: { type: string; subject: string; tenant: string | null; data: Record<string, unknown>; actor: Actor },
): Promise<void> {
  const at = ctx.now();
  await ctx.db.lockEvents(c);
  const data = JSON.stringify(e.data);
  await c.run('INSERT INTO events (at, type, subject, tenant, data) VALUES (?, ?, ?, ?, ?)', [at, e.type, e.subject, e.tenant, data]);
  await c.run('INSERT INTO audit (at, actor, action, subject, tenant, detail) VALUES (?, ?, ?, ?, ?, ?)', [at, e.actor.id, e.type, e.subject, e.tenant, data]);
}

export async function loadJob(c: SqlConn, id: string): Promise<JobRecord | null> {
  const r = await c.get<Record<string, unknown>>(`SELECT ${jobColumns} FROM jobs WHERE id = ?`, [id]);
  return r ? toJob(r) : null;
}

export async function mustLoadJob(c: SqlConn, id: string): Promise<JobRecord> {
  const job = await loadJob(c, id);
  if (!job) throw new TesseraError('not_found', `job ${id} not found`, { context: { id } });
  return job;
}

export async function insertJob(
  ctx: Ctx,
  c: SqlConn,
  spec: JobSpec,
  opts: { actor: Actor; idempotencyKey?: string; serviceId?: string },
): Promise<{ job: JobRecord; created: boolean }> {
  const hash = specHash(spec);
  const key = opts.idempotencyKey ?? null;
  if (key !== null) {
    const existing = await c.get<Record<string, unknown>>(`SELECT ${jobColumns}, spec_hash FROM jobs WHERE tenant = ? AND idem_key = ?`, [spec.tenant, key]);
    if (existing) return sameOrConflict(existing, hash, key);
  }
  const now = ctx.now();
  const id = newId('job', now);
  const changes = await c.run(
    `INSERT INTO jobs (id, tenant, queue, name, kind, state, priority, spec, spec_hash, version, attempt, service_id, idem_key, cards, milli, placements, submitted_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ?, '[]', ?, ?) ON CONFLICT (tenant, idem_key) WHERE idem_key IS NOT NULL DO NOTHING`,
    [id, spec.tenant, spec.queue, spec.name, spec.kind, JobState.pending, spec.priority, JSON.stringify(spec), hash, opts.serviceId ?? null, key, spec.resources.count, spec.resources.milliPerCard, now, now],
  );
  if (changes === 0) {
    // Another control plane inserted the same key between our check and our insert.
    const existing = await c.get<Record<string, unknown>>(`SELECT ${jobColumns}, spec_hash FROM jobs WHERE tenant = ? AND idem_key = ?`, [spec.tenant, key]);
    if (!existing) throw new TesseraError('conflict', 'idempotent submission raced; retry');
    return sameOrConflict(existing, hash, key ?? '');
  }
  await record(ctx, c, { type: 'job.submitted', subject: id, tenant: spec.tenant, data: { state: JobState.pending, name: spec.name, kind: spec.kind, cards: spec.resources.count }, actor: opts.actor });
  // Built from what was just inserted (no read-back): submission is the API's hottest write.
  const job: JobRecord = {
    id,
    tenant: spec.tenant,
    queue: spec.queue,
    name: spec.name,
    kind: spec.kind,
    state: JobState.pending,
    priority: spec.priority,
    spec,
    version: 1,
    attempt: 0,
    serviceId: opts.serviceId ?? null,
    idempotencyKey: key,
    cards: spec.resources.count,
    milliPerCard: spec.resources.milliPerCard,
    chip: null,
    placements: [],
    reason: null,
    exitCode: null,
    explain: null,
    submittedAtMs: now,
    updatedAtMs: now,
    notBeforeMs: null,
    scheduledAtMs: null,
    startedAtMs: null,
    finishedAtMs: null,
    ackedAtMs: null,
  };
  return { job, created: true };
}

function sameOrConflict(row: Record<string, unknown>, hash: string, key: string): { job: JobRecord; created: boolean } {
  if (row.spec_hash !== hash) {
    throw new TesseraError('conflict', `idempotency key '${key}' was already used for a different job spec`, { context: { jobId: row.id } });
  }
  return { job: toJob(row), created: false };
}

/** Gives back every card share the job holds. */
export async function releaseCards(c: SqlConn, jobId: string): Promise<void> {
  const allocs = await c.all<{ node_id: string; idx: number; milli: number }>('SELECT node_id, idx, milli FROM allocations WHERE job_id = ?', [jobId]);
  for (const a of allocs) await c.run('UPDATE devices SET used_milli = used_milli - ? WHERE node_id = ? AND idx = ?', [a.milli, a.node_id, a.idx]);
  if (allocs.length > 0) await c.run('DELETE FROM allocations WHERE job_id = ?', [jobId]);
}

export interface MoveOptions {
  actor: Actor;
  reason?: string | null;
  exitCode?: number | null;
  /** Extra columns to set (name -> value). */
  set?: Record<string, unknown>;
}

/**
 * Moves a job one step along the state machine, conditional on its version (a concurrent change
 * makes this a conflict). Leaving a card-holding state releases the cards; entering Preempted or
 * Lost applies the retry policy at once (-> Pending after backoff, or Failed).
 */
export async function moveJob(ctx: Ctx, c: SqlConn, job: JobRecord, to: JobState, opts: MoveOptions): Promise<JobRecord> {
  assertTransition(job.state, to, job.id);
  const now = ctx.now();
  const set: Record<string, unknown> = { state: to, updated_at: now, ...(opts.set ?? {}) };
  if (opts.reason !== undefined) set.reason = opts.reason;
  if (opts.exitCode !== undefined) set.exit_code = opts.exitCode;
  if (to === JobState.running) set.started_at = now;
  if (job.state === JobState.running && job.startedAtMs !== null) set.run_ms = { add: now - job.startedAtMs };
  if (isTerminal(to)) set.finished_at = now;
  if (holdsCards(job.state) && !holdsCards(to)) {
    await releaseCards(c, job.id);
    set.placements = '[]';
  }
  const cols = Object.keys(set);
  const assignments = cols.map((k) => (isAdd(set[k]) ? `${k} = ${k} + ?` : `${k} = ?`)).join(', ');
  const values = cols.map((k) => {
    const v = set[k];
    return isAdd(v) ? v.add : v;
  });
  const changes = await c.run(`UPDATE jobs SET ${assignments}, version = version + 1 WHERE id = ? AND version = ?`, [...values, job.id, job.version]);
  if (changes === 0) throw new TesseraError('conflict', `job ${job.id} changed concurrently; retry`, { context: { id: job.id } });
  await record(ctx, c, {
    type: 'job.state',
    subject: job.id,
    tenant: job.tenant,
    data: { from: job.state, to, ...(opts.reason ? { reason: opts.reason } : {}), ...(opts.exitCode !== undefined && opts.exitCode !== null ? { exitCode: opts.exitCode } : {}) },
    actor: opts.actor,
  });
  const moved = await mustLoadJob(c, job.id);
  if (to === JobState.preempted || to === JobState.lost) {
    const outcome = afterInterruption(moved.spec.retry, moved.attempt, now / 1000, to === JobState.preempted ? 'preempted' : 'lost');
    if (outcome.next === JobState.pending) {
      return moveJob(ctx, c, moved, JobState.pending, { actor: opts.actor, reason: opts.reason ?? null, set: { not_before: Math.round(outcome.notBeforeSec * 1000), chip: null } });
    }
    return moveJob(ctx, c, moved, JobState.failed, { actor: opts.actor, reason: outcome.reason });
  }
  return moved;
}

function isAdd(v: unknown): v is { add: number } {
  return typeof v === 'object' && v !== null && 'add' in v;
}
