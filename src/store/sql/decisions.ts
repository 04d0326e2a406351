/**
 * Applying the scheduler's decisions. One transaction for the batch; each bind inside its own
 * savepoint, conditional on the job's version and on every device having the share left, so a
 * stale or racing decision is refused alone and a card is never given twice.
 */
import { TesseraError } from '../../lib/errors.js';
import { JobState } from '../../workload/index.js';
import type { Actor, ApplyResult, Decision, LeaseFence } from '../types.js';
import type { SqlConn } from './driver.js';
import { loadJob, moveJob, record, type Ctx } from './job-ops.js';

export async function checkFence(ctx: Ctx, c: SqlConn, fence: LeaseFence): Promise<void> {
  // An UPDATE (not a SELECT) so PostgreSQL locks the lease row until we commit: a new leader cannot
  // take over between this check and our writes.
  const held = await c.run('UPDATE leases SET holder = holder WHERE name = ? AND holder = ? AND epoch = ? AND expires_at > ?', [fence.name, fence.holder, fence.epoch, ctx.now()]);
  if (held === 0) throw new TesseraError('conflict', `lease ${fence.name} is no longer held by ${fence.holder} at epoch ${fence.epoch}`);
}

export async function applyBatch(ctx: Ctx, c: SqlConn, decisions: Decision[], versions: Record<string, number>, actor: Actor): Promise<ApplyResult> {
  const result: ApplyResult = { applied: [], refused: [] };
  let sp = 0;
  for (const d of decisions) {
    const name = `d${sp++}`;
    await c.run(`SAVEPOINT ${name}`);
    try {
      const why = await applyOne(ctx, c, d, versions, actor);
      if (why === null) {
        await c.run(`RELEASE SAVEPOINT ${name}`);
        result.applied.push(d);
      } else {
        await c.run(`ROLLBACK TO SAVEPOINT ${name}`);
        await c.run(`RELEASE SAVEPOINT ${name}`);
        result.refused.push({ decision: d, reason: why });
      }
    } catch (e) {
      await c.run(`ROLLBACK TO SAVEPOINT ${name}`);
      await c.run(`RELEASE SAVEPOINT ${name}`);
      if (e instanceof TesseraError) result.refused.push({ decision: d, reason: e.message });
      else throw e;
    }
  }
  return result;
}

/** Applies one decision; returns null when applied, else why it was refused. */
async function applyOne(ctx: Ctx, c: SqlConn, d: Decision, versions: Record<string, number>, actor: Actor): Promise<string | null> {
  const job = await loadJob(c, d.jobId);
  if (!job) return `job ${d.jobId} not found`;
  const expected = versions[d.jobId];
  if (expected !== undefined && expected !== job.version) return `job ${job.id} changed since the snapshot (version ${expected} -> ${job.version})`;
  if (d.kind === 'reject') {
    if (job.state !== JobState.pending && job.state !== JobState.admitted) return `job ${job.id} is ${job.state}, not waiting`;
    await moveJob(ctx, c, job, JobState.failed, { actor, reason: `rejected by the scheduler: ${d.reason}` });
    return null;
  }
  if (d.kind === 'preempt') {
    if (job.state !== JobState.scheduled && job.state !== JobState.running) return `job ${job.id} is ${job.state}, holds no cards`;
    await moveJob(ctx, c, job, JobState.preempted, { actor, reason: `preempted for ${d.forJobId}: ${d.reason}` });
    return null;
  }
  if (job.state !== JobState.admitted) return `job ${job.id} is ${job.state}, not Admitted`;
  const devices = d.placements.flatMap((p) => p.devices.map((i) => `${p.nodeId}/${i}`));
  if (new Set(devices).size !== devices.length) return 'placement names a device twice';
  if (devices.length !== job.cards) return `placement has ${devices.length} cards, job needs ${job.cards}`;
  for (const p of d.placements) {
    if (p.milliPerDevice !== job.milliPerCard) return `placement gives ${p.milliPerDevice} milli per card, job needs ${job.milliPerCard}`;
  }
  const now = ctx.now();
  const bound = await c.run(
    `UPDATE jobs SET state = ?, version = version + 1, attempt = attempt + 1, chip = ?, placements = ?, scheduled_at = ?, updated_at = ?, acked_at = NULL, explain = NULL, reason = NULL
     WHERE id = ? AND version = ? AND state = ?`,
    [JobState.scheduled, d.chip, JSON.stringify(d.placements), now, now, job.id, job.version, JobState.admitted],
  );
  if (bound === 0) return `job ${job.id} changed concurrently`;
  for (const p of d.placements) {
    const node = await c.get<{ chip: string }>("SELECT chip FROM nodes WHERE id = ? AND state = 'Ready' AND schedulable = 1", [p.nodeId]);
    if (!node) return `node ${p.nodeId} is not ready for work`;
    if (node.chip !== d.chip) return `node ${p.nodeId} has ${node.chip}, not ${d.chip}`;
    for (const idx of [...p.devices].sort((a, b) => a - b)) {
      const took = await c.run('UPDATE devices SET used_milli = used_milli + ? WHERE node_id = ? AND idx = ? AND healthy = 1 AND used_milli + ? <= 1000', [p.milliPerDevice, p.nodeId, idx, p.milliPerDevice]);
      if (took === 0) return `device ${p.nodeId}/${idx} has no ${p.milliPerDevice} milli left`;
      await c.run('INSERT INTO allocations (job_id, attempt, node_id, idx, milli) VALUES (?, ?, ?, ?, ?)', [job.id, job.attempt + 1, p.nodeId, idx, p.milliPerDevice]);
    }
  }
  await record(ctx, c, { type: 'job.state', subject: job.id, tenant: job.tenant, data: { from: job.state, to: JobState.scheduled, chip: d.chip, placements: d.placements }, actor });
  return null;
}
