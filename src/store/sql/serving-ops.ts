/**
 * The serving side of the store: where each running inference replica answers (its endpoint, as
 * its agent reported it), tokens served per tenant, model and chip (from the gateway), and the
 * autoscaler's per-chip replica mix, applied in one transaction.
 */
import { TesseraError, notFound } from '../../lib/errors.js';
import { isCancellable, JobState, type JobSpec } from '../../workload/index.js';
import type { Actor, JobRecord, ReplicaEndpoint, ServiceDemandRow, ServiceRecord, ServiceTrafficRow, TokenUsageRow } from '../types.js';
import { mergeCells } from '../../plan/serving/index.js';
import { insertJob, moveJob, record, type Ctx } from './job-ops.js';
import { jobColumns, toJob, toService } from './rows.js';

type Row = Record<string, unknown>;

export async function setReplicaEndpoint(ctx: Ctx, jobId: string, e: { attempt: number; url: string; simulated: boolean }, actor: Actor): Promise<void> {
  await ctx.db.tx(async (c) => {
    const r = await c.get<Row>(`SELECT ${jobColumns} FROM jobs WHERE id = ?`, [jobId]);
    if (!r) throw notFound(`job ${jobId} not found`);
    const job = toJob(r);
    if (job.serviceId === null) throw new TesseraError('conflict', `job ${jobId} is not an inference replica`);
    if (job.attempt !== e.attempt) throw new TesseraError('conflict', `job ${jobId} is at attempt ${job.attempt}, not ${e.attempt}`);
    await c.run(
      'INSERT INTO replica_endpoints (job_id, job_attempt, url, simulated, reported_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (job_id) DO UPDATE SET job_attempt = excluded.job_attempt, url = excluded.url, simulated = excluded.simulated, reported_at = excluded.reported_at',
      [jobId, e.attempt, e.url, e.simulated ? 1 : 0, ctx.now()],
    );
    await record(ctx, c, { type: 'replica.endpoint', subject: jobId, tenant: job.tenant, data: { service: job.serviceId, url: e.url, chip: job.chip, simulated: e.simulated }, actor });
  });
}

/** Endpoints of running replicas whose report matches their current attempt. */
export async function replicaEndpoints(ctx: Ctx, tenant?: string): Promise<ReplicaEndpoint[]> {
  const filter = tenant === undefined ? '' : 'AND tenant = ?';
  const rows = await ctx.db.all<Row>(
    `SELECT ${jobColumns}, url, simulated FROM jobs JOIN replica_endpoints ON job_id = id AND job_attempt = attempt WHERE state = ? AND service_id IS NOT NULL ${filter} ORDER BY id`,
    tenant === undefined ? [JobState.running] : [JobState.running, tenant],
  );
  return rows.map((r) => {
    const j = toJob(r);
    return { jobId: j.id, attempt: j.attempt, url: String(r.url), simulated: Number(r.simulated) === 1, serviceId: j.serviceId ?? '', tenant: j.tenant, chip: j.chip, model: j.spec.model?.name ?? null, nodeId: j.placements[0]?.nodeId ?? null };
  });
}

export async function addTokenUsage(ctx: Ctx, rows: readonly TokenUsageRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ctx.db.tx(async (c) => {
    for (const r of rows) {
      await c.run(
        `INSERT INTO token_usage (tenant, model, chip, requests, errors, prompt_tokens, completion_tokens) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant, model, chip) DO UPDATE SET requests = token_usage.requests + excluded.requests, errors = token_usage.errors + excluded.errors,
           prompt_tokens = token_usage.prompt_tokens + excluded.prompt_tokens, completion_tokens = token_usage.completion_tokens + excluded.completion_tokens`,
        [r.tenant, r.model, r.chip, r.requests, r.errors, r.promptTokens, r.completionTokens],
      );
    }
  });
}

export async function tokenUsage(ctx: Ctx, tenant?: string): Promise<TokenUsageRow[]> {
  const rows = tenant === undefined ? await ctx.db.all<Row>('SELECT * FROM token_usage ORDER BY tenant, model, chip') : await ctx.db.all<Row>('SELECT * FROM token_usage WHERE tenant = ? ORDER BY tenant, model, chip', [tenant]);
  return rows.map((r) => ({ tenant: String(r.tenant), model: String(r.model), chip: String(r.chip), requests: Number(r.requests), errors: Number(r.errors), promptTokens: Number(r.prompt_tokens), completionTokens: Number(r.completion_tokens) }));
}

function sumHist(a: readonly number[], b: readonly number[]): number[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

function parseHist(v: unknown): number[] {
  const a: unknown = JSON.parse(String(v));
  return Array.isArray(a) ? a.map((x) => Number(x) || 0) : [];
}

/** Merges per-minute buckets into the stored ones (histograms add element-wise), in one transaction. */
export async function addServiceTraffic(ctx: Ctx, rows: readonly ServiceTrafficRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ctx.db.tx(async (c) => {
    for (const r of rows) {
      const key = [r.service, r.model, r.chip, r.minuteMs];
      const old = await c.get<Row>('SELECT * FROM service_traffic WHERE service = ? AND model = ? AND chip = ? AND minute_ms = ?', key);
      if (!old) {
        await c.run('INSERT INTO service_traffic (service, model, chip, minute_ms, requests, errors, slo_judged, slo_met, ttft_hist, tpot_hist) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
          ...key, r.requests, r.errors, r.sloJudged, r.sloMet, JSON.stringify(r.ttftHist), JSON.stringify(r.tpotHist),
        ]);
        continue;
      }
      await c.run('UPDATE service_traffic SET requests = requests + ?, errors = errors + ?, slo_judged = slo_judged + ?, slo_met = slo_met + ?, ttft_hist = ?, tpot_hist = ? WHERE service = ? AND model = ? AND chip = ? AND minute_ms = ?', [
        r.requests, r.errors, r.sloJudged, r.sloMet, JSON.stringify(sumHist(parseHist(old.ttft_hist), r.ttftHist)), JSON.stringify(sumHist(parseHist(old.tpot_hist), r.tpotHist)), ...key,
      ]);
    }
  });
}

export async function serviceTraffic(ctx: Ctx, service: string, sinceMs: number): Promise<ServiceTrafficRow[]> {
  const rows = await ctx.db.all<Row>('SELECT * FROM service_traffic WHERE service = ? AND minute_ms >= ? ORDER BY minute_ms, model, chip', [service, sinceMs]);
  return rows.map((r) => ({
    service: String(r.service), model: String(r.model), chip: String(r.chip), minuteMs: Number(r.minute_ms), requests: Number(r.requests), errors: Number(r.errors),
    sloJudged: Number(r.slo_judged), sloMet: Number(r.slo_met), ttftHist: parseHist(r.ttft_hist), tpotHist: parseHist(r.tpot_hist),
  }));
}

/** Drops traffic and demand buckets older than `beforeMs`; returns how many traffic buckets went. */
export async function pruneServiceTraffic(ctx: Ctx, beforeMs: number): Promise<number> {
  return ctx.db.tx(async (c) => {
    const n = await c.get<Row>('SELECT COUNT(*) AS n FROM service_traffic WHERE minute_ms < ?', [beforeMs]);
    await c.run('DELETE FROM service_traffic WHERE minute_ms < ?', [beforeMs]);
    await c.run('DELETE FROM service_demand WHERE minute_ms < ?', [beforeMs]);
    return Number(n?.n ?? 0);
  });
}

type Cell = ServiceDemandRow['cells'][number];

function parseCells(v: unknown): Cell[] {
  const a: unknown = JSON.parse(String(v));
  if (!Array.isArray(a)) return [];
  return a.filter((x): x is [number, number, number, number, number] => Array.isArray(x) && x.length === 5).map(([i, o, n, inSum, outSum]) => ({ i: Number(i), o: Number(o), n: Number(n), inSum: Number(inSum), outSum: Number(outSum) }));
}

/** Cells as compact JSON tuples, merged by (i, o). */
function mergeCellsJson(a: readonly Cell[], b: readonly Cell[]): string {
  const m = mergeCells(mergeCells(new Map(), a), b);
  return JSON.stringify([...m.values()].sort((x, y) => x.i - y.i || x.o - y.o).map((c) => [c.i, c.o, c.n, c.inSum, c.outSum]));
}

/** Merges per-minute demand buckets into the stored ones, in one transaction. */
export async function addServiceDemand(ctx: Ctx, rows: readonly ServiceDemandRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ctx.db.tx(async (c) => {
    for (const r of rows) {
      const key = [r.service, r.model, r.minuteMs];
      const old = await c.get<Row>('SELECT cells FROM service_demand WHERE service = ? AND model = ? AND minute_ms = ?', key);
      if (!old) await c.run('INSERT INTO service_demand (service, model, minute_ms, cells) VALUES (?, ?, ?, ?)', [...key, mergeCellsJson([], r.cells)]);
      else await c.run('UPDATE service_demand SET cells = ? WHERE service = ? AND model = ? AND minute_ms = ?', [mergeCellsJson(parseCells(old.cells), r.cells), ...key]);
    }
  });
}

export async function serviceDemand(ctx: Ctx, service: string, sinceMs: number): Promise<ServiceDemandRow[]> {
  const rows = await ctx.db.all<Row>('SELECT * FROM service_demand WHERE service = ? AND minute_ms >= ? ORDER BY minute_ms, model', [service, sinceMs]);
  return rows.map((r) => ({ service: String(r.service), model: String(r.model), minuteMs: Number(r.minute_ms), cells: parseCells(r.cells) }));
}

/** The chip a live replica runs on, or is pinned to while it waits. */
function replicaChip(j: JobRecord): string | null {
  if (j.chip) return j.chip;
  const c = j.spec.resources.chips;
  return c.kind === 'pinned' ? c.chip : null;
}

/**
 * Sets a service to a replica count per chip: cancels the surplus on each chip (waiting replicas
 * first, then the newest), submits replicas pinned to the chips short of their count, and records
 * one `service.autoscaled` event carrying `detail` (the autoscaler's reasons).
 */
export function applyServiceMix(ctx: Ctx, id: string, mix: Readonly<Record<string, number>>, replicaSpec: (chip: string, i: number) => JobSpec, actor: Actor, detail: Record<string, unknown>): Promise<{ service: ServiceRecord; started: number; stopped: number }> {
  return ctx.db.tx(async (c) => {
    const r = await c.get<Row>('SELECT * FROM services WHERE id = ?', [id]);
    if (!r || r.state !== 'Active') throw notFound(`service ${id} not found`);
    const svc = toService(r);
    const all = (await c.all<Row>(`SELECT ${jobColumns} FROM jobs WHERE service_id = ? ORDER BY submitted_at DESC, id DESC`, [id])).map(toJob);
    const live = all.filter((j) => isCancellable(j.state));
    const byChip = new Map<string, JobRecord[]>();
    for (const j of live) {
      const chip = replicaChip(j) ?? '*';
      byChip.set(chip, [...(byChip.get(chip) ?? []), j]);
    }
    let started = 0;
    let stopped = 0;
    const from: Record<string, number> = {};
    for (const [chip, jobs] of byChip) from[chip] = jobs.length;
    for (const [chip, jobs] of byChip) {
      const want = mix[chip] ?? 0;
      // Waiting replicas go first: they serve nothing yet.
      const order = [...jobs].sort((a, b) => Number(a.state === JobState.running) - Number(b.state === JobState.running));
      for (const job of order.slice(0, Math.max(0, jobs.length - want))) {
        await moveJob(ctx, c, job, JobState.cancelled, { actor, reason: `autoscaler: ${chip} ${jobs.length} -> ${want}` });
        stopped++;
      }
    }
    let n = all.length;
    for (const [chip, want] of Object.entries(mix)) {
      for (let have = byChip.get(chip)?.length ?? 0; have < want; have++) {
        await insertJob(ctx, c, replicaSpec(chip, n++), { actor, serviceId: id });
        started++;
      }
    }
    const total = Object.values(mix).reduce((a, b) => a + b, 0);
    await c.run('UPDATE services SET spec = ?, version = version + 1, updated_at = ? WHERE id = ?', [JSON.stringify({ ...svc.spec, replicas: total }), ctx.now(), id]);
    await record(ctx, c, { type: 'service.autoscaled', subject: id, tenant: svc.tenant, data: { ...detail, from, to: mix, started, stopped }, actor });
    return { service: toService((await c.get<Row>('SELECT * FROM services WHERE id = ?', [id]))!), started, stopped };
  });
}
