/**
 * The Store, written once over a SqlDriver; sqlite/ and postgres/ provide the drivers and their
 * migrations. Every verb is one transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { TesseraError, notFound } from '../../lib/errors.js';
import { isCancellable, JobState, type JobSpec, type ServiceSpec } from '../../workload/index.js';
import type { Store, SubmitOptions, TransitionOptions } from '../store.js';
import {
  NodeState,
  type Actor,
  type ApplyResult,
  type AuditRecord,
  type Decision,
  type DeviceRecord,
  type DeviceTelemetry,
  type EventRecord,
  type JobFilter,
  type JobRecord,
  type Lease,
  type LeaseFence,
  type LogChunk,
  type LogQuery,
  type LogRecord,
  type RankExit,
  type NodeFilter,
  type NodeRecord,
  type NodeRegistration,
  type Page,
  type QueueRecord,
  type ReplicaEndpoint,
  type Role,
  type SchedState,
  type ServiceRecord,
  type Tenant,
  type TokenRecord,
  type TokenUsageRow,
  type ServiceTrafficRow,
  type ServiceDemandRow,
  type UsageRow,
} from '../types.js';
import { applyBatch, checkFence } from './decisions.js';
import type { Migration, SqlConn, SqlDriver } from './driver.js';
import { insertLogLines, selectLogLines, selectRankExits, upsertRankExit } from './log-ops.js';
import { insertJob, moveJob, mustLoadJob, newId, record, type Ctx } from './job-ops.js';
import * as serving from './serving-ops.js';
import { jobColumns, nodeColumns, schedJobColumns, toAudit, toDevice, toEvent, toJob, toNode, toQueue, toService, toTenant, toToken } from './rows.js';

type Row = Record<string, unknown>;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export class SqlStore implements Store {
  readonly backend: 'sqlite' | 'postgres';
  private readonly ctx: Ctx;
  /** The jobs of the last snapshot by id; each entry is in one of `snapshotLists`, so it never outgrows the live queue. */
  private readonly snapshotCache = new Map<string, JobRecord>();
  /** The last snapshot's job lists, in scheduling order, by the query that listed them. */
  private readonly snapshotLists = new Map<string, JobRecord[]>();
  /** When this store (this control plane) started: node silence is not counted before it. */
  private readonly openedAtMs: number;

  constructor(
    private readonly db: SqlDriver,
    now: () => number = Date.now,
  ) {
    this.backend = db.dialect;
    this.ctx = { db, now };
    this.openedAtMs = now();
  }

  /** Applies pending migrations (serialised across processes by the driver) and seeds the default tenant. */
  async init(migrations: Migration[]): Promise<void> {
    await this.db.tx(async (c) => {
      // Two control planes starting together must not both migrate.
      if (this.db.dialect === 'postgres') await c.run('SELECT pg_advisory_xact_lock(7246001)');
      await c.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const done = new Set((await c.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        for (const stmt of m.sql.split(';').map((s) => s.trim()).filter((s) => s !== '')) await c.run(stmt);
        await c.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, this.ctx.now()]);
      }
      const now = this.ctx.now();
      await c.run("INSERT INTO tenants (id, name, quota, created_at, updated_at) VALUES ('default', 'Default', '{}', ?, ?) ON CONFLICT (id) DO NOTHING", [now, now]);
      await c.run("INSERT INTO queues (tenant, name, weight, priority, created_at) VALUES ('default', 'default', 1, 0, ?) ON CONFLICT (tenant, name) DO NOTHING", [now]);
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async migrations(): Promise<number[]> {
    return (await this.db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => Number(r.version));
  }

  // ---- tenants and queues

  upsertTenant(t: { id: string; name?: string; quota?: Record<string, number> }, actor: Actor): Promise<Tenant> {
    return this.db.tx(async (c) => {
      const now = this.ctx.now();
      const prev = await c.get<Row>('SELECT * FROM tenants WHERE id = ?', [t.id]);
      const name = t.name ?? (prev ? String(prev.name) : t.id);
      const quota = JSON.stringify(t.quota ?? (prev ? JSON.parse(String(prev.quota)) : {}));
      await c.run('INSERT INTO tenants (id, name, quota, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, quota = excluded.quota, updated_at = excluded.updated_at', [t.id, name, quota, now, now]);
      await c.run('INSERT INTO queues (tenant, name, weight, priority, created_at) VALUES (?, ?, 1, 0, ?) ON CONFLICT (tenant, name) DO NOTHING', [t.id, 'default', now]);
      await record(this.ctx, c, { type: prev ? 'tenant.updated' : 'tenant.created', subject: t.id, tenant: t.id, data: { name, quota: JSON.parse(quota) }, actor });
      return toTenant((await c.get<Row>('SELECT * FROM tenants WHERE id = ?', [t.id]))!);
    });
  }

  async getTenant(id: string): Promise<Tenant | null> {
    const r = await this.db.get<Row>('SELECT * FROM tenants WHERE id = ?', [id]);
    return r ? toTenant(r) : null;
  }

  async listTenants(): Promise<Tenant[]> {
    return (await this.db.all<Row>('SELECT * FROM tenants ORDER BY id')).map(toTenant);
  }

  deleteTenant(id: string, actor: Actor): Promise<void> {
    return this.db.tx(async (c) => {
      if (!(await c.get<Row>('SELECT id FROM tenants WHERE id = ?', [id]))) throw notFound(`tenant ${id} not found`);
      const live = await c.get<{ n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE tenant = ? AND state NOT IN ('Succeeded', 'Failed', 'Cancelled')", [id]);
      if (Number(live?.n ?? 0) > 0) throw new TesseraError('conflict', `tenant ${id} still has ${live?.n} unfinished jobs`);
      await c.run('DELETE FROM queues WHERE tenant = ?', [id]);
      await c.run('DELETE FROM tenants WHERE id = ?', [id]);
      await c.run('UPDATE tokens SET revoked_at = ? WHERE tenant = ? AND revoked_at IS NULL', [this.ctx.now(), id]);
      await record(this.ctx, c, { type: 'tenant.deleted', subject: id, tenant: id, data: {}, actor });
    });
  }

  upsertQueue(q: { tenant: string; name: string; weight?: number; priority?: number }, actor: Actor): Promise<QueueRecord> {
    return this.db.tx(async (c) => {
      if (!(await c.get<Row>('SELECT id FROM tenants WHERE id = ?', [q.tenant]))) throw notFound(`tenant ${q.tenant} not found`);
      const now = this.ctx.now();
      await c.run(
        'INSERT INTO queues (tenant, name, weight, priority, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, name) DO UPDATE SET weight = excluded.weight, priority = excluded.priority',
        [q.tenant, q.name, q.weight ?? 1, q.priority ?? 0, now],
      );
      await record(this.ctx, c, { type: 'queue.updated', subject: `${q.tenant}/${q.name}`, tenant: q.tenant, data: { weight: q.weight ?? 1, priority: q.priority ?? 0 }, actor });
      return toQueue((await c.get<Row>('SELECT * FROM queues WHERE tenant = ? AND name = ?', [q.tenant, q.name]))!);
    });
  }

  async listQueues(tenant?: string): Promise<QueueRecord[]> {
    const rows = tenant === undefined ? await this.db.all<Row>('SELECT * FROM queues ORDER BY tenant, name') : await this.db.all<Row>('SELECT * FROM queues WHERE tenant = ? ORDER BY name', [tenant]);
    return rows.map(toQueue);
  }

  // ---- tokens

  createToken(t: { name: string; role: Role; tenant?: string | null; nodeId?: string | null; secret?: string }, actor: Actor): Promise<{ token: TokenRecord; secret: string }> {
    return this.db.tx(async (c) => {
      if (t.tenant && !(await c.get<Row>('SELECT id FROM tenants WHERE id = ?', [t.tenant]))) throw notFound(`tenant ${t.tenant} not found`);
      const now = this.ctx.now();
      const secret = t.secret ?? `tsk_${randomBytes(24).toString('base64url')}`;
      const id = newId('tok', now);
      await c.run('INSERT INTO tokens (id, name, hash, role, tenant, node_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        id,
        t.name,
        hashSecret(secret),
        t.role,
        t.tenant ?? null,
        t.nodeId ?? null,
        now,
        actor.id,
      ]);
      await record(this.ctx, c, { type: 'token.created', subject: id, tenant: t.tenant ?? null, data: { name: t.name, role: t.role, nodeId: t.nodeId ?? null }, actor });
      return { token: toToken((await c.get<Row>('SELECT * FROM tokens WHERE id = ?', [id]))!), secret };
    });
  }

  async verifyToken(secret: string): Promise<TokenRecord | null> {
    const r = await this.db.get<Row>('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL', [hashSecret(secret)]);
    return r ? toToken(r) : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM tokens ORDER BY created_at, id')).map(toToken);
  }

  revokeToken(id: string, actor: Actor): Promise<void> {
    return this.db.tx(async (c) => {
      const r = await c.get<Row>('SELECT * FROM tokens WHERE id = ?', [id]);
      if (!r) throw notFound(`token ${id} not found`);
      await c.run('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [this.ctx.now(), id]);
      await record(this.ctx, c, { type: 'token.revoked', subject: id, tenant: r.tenant === null ? null : String(r.tenant), data: {}, actor });
    });
  }

  async countTokens(): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM tokens'))?.n ?? 0);
  }

  // ---- jobs

  submitJob(spec: JobSpec, opts: SubmitOptions): Promise<{ job: JobRecord; created: boolean }> {
    return this.db.tx(async (c) => {
      if (!(await c.get<Row>('SELECT id FROM tenants WHERE id = ?', [spec.tenant]))) throw new TesseraError('infeasible', `tenant '${spec.tenant}' does not exist`, { context: { path: '/tenant' } });
      return insertJob(this.ctx, c, spec, opts);
    });
  }

  async getJob(id: string): Promise<JobRecord | null> {
    const r = await this.db.get<Row>(`SELECT ${jobColumns} FROM jobs WHERE id = ?`, [id]);
    return r ? toJob(r) : null;
  }

  listJobs(f: JobFilter): Promise<Page<JobRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.tenant !== undefined) {
      where.push('tenant = ?');
      params.push(f.tenant);
    }
    if (f.states && f.states.length > 0) {
      where.push(`state IN (${f.states.map(() => '?').join(', ')})`);
      params.push(...f.states);
    }
    if (f.queue !== undefined) {
      where.push('queue = ?');
      params.push(f.queue);
    }
    if (f.kind !== undefined) {
      where.push('kind = ?');
      params.push(f.kind);
    }
    if (f.serviceId !== undefined) {
      where.push('service_id = ?');
      params.push(f.serviceId);
    }
    if (f.nodeId !== undefined) {
      where.push('id IN (SELECT job_id FROM allocations WHERE node_id = ?)');
      params.push(f.nodeId);
    }
    const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.db.tx(async (c) => {
      const total = Number((await c.get<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs ${w}`, params))?.n ?? 0);
      const rows = await c.all<Row>(`SELECT ${jobColumns} FROM jobs ${w} ORDER BY submitted_at DESC, id DESC LIMIT ? OFFSET ?`, [...params, f.limit, f.offset]);
      return { items: rows.map(toJob), total };
    }, 'snapshot');
  }

  cancelJob(id: string, actor: Actor, reason?: string): Promise<JobRecord> {
    return this.db.tx(async (c) => {
      const job = await mustLoadJob(c, id);
      if (job.state === JobState.cancelled) return job;
      if (!isCancellable(job.state)) throw new TesseraError('conflict', `job ${id} is already ${job.state}`);
      return moveJob(this.ctx, c, job, JobState.cancelled, { actor, reason: reason ?? `cancelled by ${actor.id}` });
    });
  }

  transitionJob(id: string, to: JobState, opts: TransitionOptions): Promise<JobRecord> {
    return this.db.tx(async (c) => {
      const job = await mustLoadJob(c, id);
      if (opts.expectedVersion !== undefined && job.version !== opts.expectedVersion) throw new TesseraError('conflict', `job ${id} is at version ${job.version}, not ${opts.expectedVersion}`);
      if (opts.attempt !== undefined && job.attempt !== opts.attempt) throw new TesseraError('conflict', `job ${id} is on attempt ${job.attempt}, not ${opts.attempt}`);
      return moveJob(this.ctx, c, job, to, { actor: opts.actor, ...(opts.reason !== undefined ? { reason: opts.reason } : {}), ...(opts.exitCode !== undefined ? { exitCode: opts.exitCode } : {}) });
    });
  }

  admitJobs(jobs: { id: string; version: number; tenant?: string }[], actor: Actor): Promise<string[]> {
    return this.db.tx(async (c) => {
      const admitted: string[] = [];
      const now = this.ctx.now();
      for (const j of jobs) {
        const n = await c.run('UPDATE jobs SET state = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND state = ?', [JobState.admitted, now, j.id, j.version, JobState.pending]);
        if (n === 0) continue;
        const tenant = j.tenant ?? (await c.get<{ tenant: string }>('SELECT tenant FROM jobs WHERE id = ?', [j.id]))?.tenant ?? null;
        await record(this.ctx, c, { type: 'job.state', subject: j.id, tenant, data: { from: JobState.pending, to: JobState.admitted }, actor });
        admitted.push(j.id);
      }
      return admitted;
    });
  }

  async applyDecisions(decisions: Decision[], opts: { actor: Actor; versions: Record<string, number>; fence?: LeaseFence }): Promise<ApplyResult> {
    for (let tries = 1; ; tries++) {
      try {
        return await this.db.tx(async (c) => {
          if (opts.fence) await checkFence(this.ctx, c, opts.fence);
          return applyBatch(this.ctx, c, decisions, opts.versions, opts.actor);
        });
      } catch (e) {
        // PostgreSQL may pick this transaction as a deadlock or serialisation victim; the whole batch rolled back, so retry it.
        const code = (e as { code?: string }).code;
        if ((code === '40P01' || code === '40001') && tries < 5) continue;
        throw e;
      }
    }
  }

  saveExplanations(explanations: Record<string, { plugin: string; reason: string }[]>): Promise<void> {
    return this.db.tx(async (c) => {
      for (const [id, reasons] of Object.entries(explanations)) {
        await c.run("UPDATE jobs SET explain = ? WHERE id = ? AND state IN ('Pending', 'Admitted')", [JSON.stringify(reasons), id]);
      }
    });
  }

  /**
   * Waiting and running jobs, re-reading only those whose version changed since the last snapshot:
   * the (state, id, version) index answers the listing, and every change to a job bumps its version.
   * Each list is kept sorted from the last snapshot: unchanged jobs keep their order, only the
   * changed and new ones are sorted and merged in (a steady 50,000-job queue is never re-sorted).
   */
  private async snapshotJobs(c: SqlConn, states: string[], extra: string, params: unknown[]): Promise<JobRecord[]> {
    const keys = await c.all<{ id: string; version: number }>(`SELECT id, version FROM jobs WHERE state IN (${states.map(() => '?').join(', ')}) ${extra}`, [...states, ...params]);
    const listKey = `${states.join(',')} ${extra}`;
    const fresh = new Map<string, number>();
    for (const k of keys) fresh.set(k.id, Number(k.version));
    const kept: JobRecord[] = [];
    for (const j of this.snapshotLists.get(listKey) ?? []) {
      if (fresh.get(j.id) === j.version) {
        kept.push(j);
        fresh.delete(j.id);
      } else if (this.snapshotCache.get(j.id) === j) {
        // Left this list and no other list holds it at a newer version: forget it.
        this.snapshotCache.delete(j.id);
      }
    }
    const stale: string[] = [];
    for (const [id, version] of fresh) if (this.snapshotCache.get(id)?.version !== version) stale.push(id);
    for (let i = 0; i < stale.length; i += 500) {
      const chunk = stale.slice(i, i + 500);
      const rows = await c.all<Row>(`SELECT ${schedJobColumns} FROM jobs WHERE id IN (${chunk.map(() => '?').join(', ')})`, chunk);
      for (const r of rows) this.snapshotCache.set(String(r.id), toJob(r));
    }
    const added: JobRecord[] = [];
    for (const id of fresh.keys()) {
      const job = this.snapshotCache.get(id);
      if (job) added.push(job);
    }
    const out = mergeSorted(kept, added.sort(snapshotOrder));
    this.snapshotLists.set(listKey, out);
    return out;
  }

  schedState(): Promise<SchedState> {
    return this.db.tx(async (c) => {
      const nowMs = this.ctx.now();
      const nodes = (await c.all<Row>(`SELECT ${nodeColumns} FROM nodes ORDER BY id`)).map(toNode);
      // Only what scheduling needs: uuid and telemetry stay out of the snapshot.
      const devices = (await c.all<Row>('SELECT node_id, idx, healthy, used_milli FROM devices ORDER BY node_id, idx')).map(toDevice);
      const byNode = new Map<string, DeviceRecord[]>();
      for (const d of devices) {
        const list = byNode.get(d.nodeId) ?? [];
        list.push(d);
        byNode.set(d.nodeId, list);
      }
      const jobs = (states: string[], extra = '', params: unknown[] = []) => this.snapshotJobs(c, states, extra, params);
      return {
        nodes: nodes.map((n) => ({ ...n, devices: byNode.get(n.id) ?? [] })),
        running: await jobs([JobState.scheduled, JobState.running]),
        admitted: await jobs([JobState.admitted]),
        pending: await jobs([JobState.pending], 'AND (not_before IS NULL OR not_before <= ?)', [nowMs]),
        tenants: (await c.all<Row>('SELECT * FROM tenants ORDER BY id')).map(toTenant),
        queues: (await c.all<Row>('SELECT * FROM queues ORDER BY tenant, name')).map(toQueue),
        nowMs,
      };
    }, 'snapshot').catch((e: unknown) => {
      // A snapshot that failed half way may have left the lists and the cache out of step: start afresh.
      this.snapshotCache.clear();
      this.snapshotLists.clear();
      throw e;
    });
  }

  // ---- nodes and agents

  registerNode(n: NodeRegistration, actor: Actor): Promise<NodeRecord> {
    return this.db.tx(async (c) => {
      const now = this.ctx.now();
      const prev = await c.get<Row>('SELECT state FROM nodes WHERE id = ?', [n.id]);
      const cards = n.devices.length;
      await c.run(
        `INSERT INTO nodes (id, cluster, chip, rack, link_domain_size, cards, stacks, labels, state, schedulable, simulated, cpu_milli, memory_mib, agent_version, registered_at, last_heartbeat_at, telemetry)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (id) DO UPDATE SET cluster = excluded.cluster, chip = excluded.chip, rack = excluded.rack, link_domain_size = excluded.link_domain_size, cards = excluded.cards,
           stacks = excluded.stacks, labels = excluded.labels, state = excluded.state, simulated = excluded.simulated, cpu_milli = excluded.cpu_milli, memory_mib = excluded.memory_mib,
           agent_version = excluded.agent_version, registered_at = excluded.registered_at, last_heartbeat_at = excluded.last_heartbeat_at`,
        [n.id, n.cluster, n.chip, n.rack ?? n.cluster, n.linkDomainSize ?? Math.max(1, cards), cards, JSON.stringify(n.stacks ?? []), JSON.stringify(n.labels ?? {}), NodeState.ready, n.simulated ? 1 : 0, n.cpuMilli ?? null, n.memoryMiB ?? null, n.agentVersion ?? null, now, now],
      );
      for (const d of n.devices) {
        await c.run('INSERT INTO devices (node_id, idx, uuid, healthy, used_milli) VALUES (?, ?, ?, ?, 0) ON CONFLICT (node_id, idx) DO UPDATE SET uuid = excluded.uuid, healthy = excluded.healthy', [
          n.id,
          d.index,
          d.uuid ?? null,
          d.healthy === false ? 0 : 1,
        ]);
      }
      // Devices that disappeared: drop the idle ones; busy ones stay (marked unhealthy) until their job ends.
      const indexes = n.devices.map((d) => d.index);
      const notIn = indexes.length > 0 ? `AND idx NOT IN (${indexes.map(() => '?').join(', ')})` : '';
      await c.run(`DELETE FROM devices WHERE node_id = ? AND used_milli = 0 ${notIn}`, [n.id, ...indexes]);
      await c.run(`UPDATE devices SET healthy = 0 WHERE node_id = ? ${notIn}`, [n.id, ...indexes]);
      await record(this.ctx, c, { type: prev ? 'node.reregistered' : 'node.registered', subject: n.id, tenant: null, data: { chip: n.chip, cards, cluster: n.cluster, simulated: n.simulated === true }, actor });
      return toNode((await c.get<Row>(`SELECT ${nodeColumns} FROM nodes WHERE id = ?`, [n.id]))!);
    });
  }

  heartbeat(nodeId: string, telemetry: { devices?: DeviceTelemetry[]; [k: string]: unknown }): Promise<NodeRecord> {
    return this.db.tx(async (c) => {
      const now = this.ctx.now();
      const prev = await c.get<Row>(`SELECT ${nodeColumns} FROM nodes WHERE id = ?`, [nodeId]);
      if (!prev) throw notFound(`node ${nodeId} is not registered`);
      await c.run('UPDATE nodes SET last_heartbeat_at = ?, telemetry = ?, state = ? WHERE id = ?', [now, JSON.stringify(telemetry), NodeState.ready, nodeId]);
      for (const d of telemetry.devices ?? []) {
        if (d.healthy === undefined) continue;
        await c.run('UPDATE devices SET healthy = ? WHERE node_id = ? AND idx = ? AND healthy <> ?', [d.healthy ? 1 : 0, nodeId, d.index, d.healthy ? 1 : 0]);
      }
      if (String(prev.state) === NodeState.lost) {
        await record(this.ctx, c, { type: 'node.recovered', subject: nodeId, tenant: null, data: {}, actor: { id: `node:${nodeId}`, role: 'agent' } });
      }
      return { ...toNode(prev), lastHeartbeatAtMs: now, state: NodeState.ready, telemetry };
    });
  }

  async silentNodes(silentForMs: number, notBeforeMs: number = this.openedAtMs): Promise<string[]> {
    const cutoff = this.ctx.now() - silentForMs;
    // Nobody could heartbeat while no control plane ran: until a full lease has passed since then, no node is silent.
    if (notBeforeMs >= cutoff) return [];
    const rows = await this.db.all<{ id: string }>('SELECT id FROM nodes WHERE state = ? AND last_heartbeat_at < ? ORDER BY id', [NodeState.ready, cutoff]);
    return rows.map((r) => r.id);
  }

  markLost(nodeId: string, actor: Actor): Promise<JobRecord[]> {
    return this.db.tx(async (c) => {
      const changed = await c.run('UPDATE nodes SET state = ? WHERE id = ? AND state = ?', [NodeState.lost, nodeId, NodeState.ready]);
      if (changed === 0) return [];
      await record(this.ctx, c, { type: 'node.lost', subject: nodeId, tenant: null, data: {}, actor });
      const rows = await c.all<Row>(`SELECT ${jobColumns} FROM jobs WHERE state IN (?, ?) AND id IN (SELECT job_id FROM allocations WHERE node_id = ?) ORDER BY id`, [JobState.scheduled, JobState.running, nodeId]);
      const out: JobRecord[] = [];
      for (const job of rows.map(toJob)) out.push(await moveJob(this.ctx, c, job, JobState.lost, { actor, reason: `node ${nodeId} lost` }));
      return out;
    });
  }

  setSchedulable(nodeId: string, schedulable: boolean, actor: Actor): Promise<NodeRecord> {
    return this.db.tx(async (c) => {
      const n = await c.run('UPDATE nodes SET schedulable = ? WHERE id = ?', [schedulable ? 1 : 0, nodeId]);
      if (n === 0) throw notFound(`node ${nodeId} not found`);
      await record(this.ctx, c, { type: schedulable ? 'node.uncordoned' : 'node.cordoned', subject: nodeId, tenant: null, data: {}, actor });
      return toNode((await c.get<Row>(`SELECT ${nodeColumns} FROM nodes WHERE id = ?`, [nodeId]))!);
    });
  }

  async getNode(id: string): Promise<NodeRecord | null> {
    const r = await this.db.get<Row>(`SELECT ${nodeColumns} FROM nodes WHERE id = ?`, [id]);
    return r ? toNode(r) : null;
  }

  listNodes(f: NodeFilter): Promise<Page<NodeRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.cluster !== undefined) {
      where.push('cluster = ?');
      params.push(f.cluster);
    }
    if (f.chip !== undefined) {
      where.push('chip = ?');
      params.push(f.chip);
    }
    if (f.state !== undefined) {
      where.push('state = ?');
      params.push(f.state);
    }
    const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.db.tx(async (c) => {
      const total = Number((await c.get<{ n: number }>(`SELECT COUNT(*) AS n FROM nodes ${w}`, params))?.n ?? 0);
      const rows = await c.all<Row>(`SELECT ${nodeColumns} FROM nodes ${w} ORDER BY id LIMIT ? OFFSET ?`, [...params, f.limit, f.offset]);
      return { items: rows.map(toNode), total };
    }, 'snapshot');
  }

  async listDevices(nodeId?: string): Promise<DeviceRecord[]> {
    const rows = nodeId === undefined ? await this.db.all<Row>('SELECT * FROM devices ORDER BY node_id, idx') : await this.db.all<Row>('SELECT * FROM devices WHERE node_id = ? ORDER BY idx', [nodeId]);
    return rows.map(toDevice);
  }

  async assignments(nodeId: string): Promise<JobRecord[]> {
    const rows = await this.db.all<Row>(`SELECT ${jobColumns} FROM jobs WHERE state IN (?, ?) AND id IN (SELECT job_id FROM allocations WHERE node_id = ?) ORDER BY scheduled_at, id`, [
      JobState.scheduled,
      JobState.running,
      nodeId,
    ]);
    return rows.map(toJob);
  }

  ackAssignment(jobId: string, nodeId: string, attempt: number): Promise<JobRecord> {
    return this.db.tx(async (c) => {
      const job = await mustLoadJob(c, jobId);
      if (job.attempt !== attempt) throw new TesseraError('conflict', `job ${jobId} is on attempt ${job.attempt}, not ${attempt}`);
      if (!job.placements.some((p) => p.nodeId === nodeId)) throw new TesseraError('forbidden', `job ${jobId} is not assigned to node ${nodeId}`);
      if (job.ackedAtMs === null) {
        await c.run('UPDATE jobs SET acked_at = ?, version = version + 1 WHERE id = ?', [this.ctx.now(), jobId]);
        await record(this.ctx, c, { type: 'job.acknowledged', subject: jobId, tenant: job.tenant, data: { nodeId, attempt }, actor: { id: `node:${nodeId}`, role: 'agent' } });
      }
      return mustLoadJob(c, jobId);
    });
  }

  appendLogs(jobId: string, attempt: number, chunks: LogChunk[], from: { nodeRank: number; nodeId: string | null } = { nodeRank: 0, nodeId: null }): Promise<number> {
    return this.db.tx((c) => insertLogLines(c, this.ctx.now(), jobId, attempt, from, chunks));
  }

  readLogs(jobId: string, q: LogQuery): Promise<LogRecord[]> {
    return this.db.tx((c) => selectLogLines(c, jobId, q), 'snapshot');
  }

  recordRankExit(jobId: string, attempt: number, exit: Omit<RankExit, 'atMs'>): Promise<RankExit[]> {
    return this.db.tx(async (c) => {
      // Locks the job's row (PostgreSQL; SQLite writers are serial anyway), so of two ranks ending at once the later sees both exits.
      if ((await c.run('UPDATE jobs SET version = version WHERE id = ?', [jobId])) === 0) throw notFound(`job ${jobId} not found`);
      return upsertRankExit(c, this.ctx.now(), jobId, attempt, exit);
    });
  }

  rankExits(jobId: string, attempt: number): Promise<RankExit[]> {
    return this.db.tx((c) => selectRankExits(c, jobId, attempt), 'snapshot');
  }

  // ---- services

  createService(spec: ServiceSpec, actor: Actor, replicaSpec: (i: number) => JobSpec): Promise<ServiceRecord> {
    return this.db.tx(async (c) => {
      if (!(await c.get<Row>('SELECT id FROM tenants WHERE id = ?', [spec.tenant]))) throw new TesseraError('infeasible', `tenant '${spec.tenant}' does not exist`);
      const now = this.ctx.now();
      const id = newId('svc', now);
      await c.run('INSERT INTO services (id, tenant, name, spec, state, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)', [id, spec.tenant, spec.name, JSON.stringify(spec), 'Active', now, now]);
      await record(this.ctx, c, { type: 'service.created', subject: id, tenant: spec.tenant, data: { name: spec.name, model: spec.model.name, replicas: spec.replicas }, actor });
      for (let i = 0; i < spec.replicas; i++) await insertJob(this.ctx, c, replicaSpec(i), { actor, serviceId: id });
      return toService((await c.get<Row>('SELECT * FROM services WHERE id = ?', [id]))!);
    });
  }

  async getService(id: string): Promise<ServiceRecord | null> {
    const r = await this.db.get<Row>('SELECT * FROM services WHERE id = ?', [id]);
    return r ? toService(r) : null;
  }

  async listServices(tenant?: string): Promise<ServiceRecord[]> {
    const rows = tenant === undefined ? await this.db.all<Row>("SELECT * FROM services WHERE state = 'Active' ORDER BY created_at, id") : await this.db.all<Row>("SELECT * FROM services WHERE state = 'Active' AND tenant = ? ORDER BY created_at, id", [tenant]);
    return rows.map(toService);
  }

  deleteService(id: string, actor: Actor): Promise<ServiceRecord> {
    return this.db.tx(async (c) => {
      const r = await c.get<Row>('SELECT * FROM services WHERE id = ?', [id]);
      if (!r || r.state !== 'Active') throw notFound(`service ${id} not found`);
      const replicas = (await c.all<Row>(`SELECT ${jobColumns} FROM jobs WHERE service_id = ?`, [id])).map(toJob);
      for (const job of replicas) if (isCancellable(job.state)) await moveJob(this.ctx, c, job, JobState.cancelled, { actor, reason: `service ${id} deleted` });
      await c.run("UPDATE services SET state = 'Deleted', version = version + 1, updated_at = ? WHERE id = ?", [this.ctx.now(), id]);
      await record(this.ctx, c, { type: 'service.deleted', subject: id, tenant: String(r.tenant), data: {}, actor });
      return toService((await c.get<Row>('SELECT * FROM services WHERE id = ?', [id]))!);
    });
  }

  scaleService(id: string, replicas: number, actor: Actor): Promise<ServiceRecord> {
    return this.db.tx(async (c) => {
      const r = await c.get<Row>('SELECT * FROM services WHERE id = ?', [id]);
      if (!r || r.state !== 'Active') throw notFound(`service ${id} not found`);
      const svc = toService(r);
      const spec = { ...svc.spec, replicas };
      const live = (await c.all<Row>(`SELECT ${jobColumns} FROM jobs WHERE service_id = ? ORDER BY submitted_at DESC, id DESC`, [id])).map(toJob).filter((j) => isCancellable(j.state));
      for (const job of live.slice(0, Math.max(0, live.length - replicas))) await moveJob(this.ctx, c, job, JobState.cancelled, { actor, reason: `service ${id} scaled to ${replicas}` });
      await c.run('UPDATE services SET spec = ?, version = version + 1, updated_at = ? WHERE id = ?', [JSON.stringify(spec), this.ctx.now(), id]);
      await record(this.ctx, c, { type: 'service.scaled', subject: id, tenant: svc.tenant, data: { from: svc.spec.replicas, to: replicas }, actor });
      return toService((await c.get<Row>('SELECT * FROM services WHERE id = ?', [id]))!);
    });
  }

  applyServiceMix(id: string, mix: Readonly<Record<string, number>>, replicaSpec: (chip: string, i: number) => JobSpec, actor: Actor, detail: Record<string, unknown>): Promise<{ service: ServiceRecord; started: number; stopped: number }> {
    return serving.applyServiceMix(this.ctx, id, mix, replicaSpec, actor, detail);
  }

  setReplicaEndpoint(jobId: string, e: { attempt: number; url: string; simulated: boolean }, actor: Actor): Promise<void> {
    return serving.setReplicaEndpoint(this.ctx, jobId, e, actor);
  }

  replicaEndpoints(tenant?: string): Promise<ReplicaEndpoint[]> {
    return serving.replicaEndpoints(this.ctx, tenant);
  }

  addTokenUsage(rows: readonly TokenUsageRow[]): Promise<void> {
    return serving.addTokenUsage(this.ctx, rows);
  }

  tokenUsage(tenant?: string): Promise<TokenUsageRow[]> {
    return serving.tokenUsage(this.ctx, tenant);
  }

  addServiceTraffic(rows: readonly ServiceTrafficRow[]): Promise<void> {
    return serving.addServiceTraffic(this.ctx, rows);
  }

  serviceTraffic(service: string, sinceMs: number): Promise<ServiceTrafficRow[]> {
    return serving.serviceTraffic(this.ctx, service, sinceMs);
  }

  pruneServiceTraffic(beforeMs: number): Promise<number> {
    return serving.pruneServiceTraffic(this.ctx, beforeMs);
  }

  addServiceDemand(rows: readonly ServiceDemandRow[]): Promise<void> {
    return serving.addServiceDemand(this.ctx, rows);
  }

  serviceDemand(service: string, sinceMs: number): Promise<ServiceDemandRow[]> {
    return serving.serviceDemand(this.ctx, service, sinceMs);
  }

  // ---- events, audit, usage

  async listEvents(afterId: number, limit: number, tenant?: string): Promise<EventRecord[]> {
    const rows =
      tenant === undefined
        ? await this.db.all<Row>('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?', [afterId, limit])
        : await this.db.all<Row>('SELECT * FROM events WHERE id > ? AND tenant = ? ORDER BY id LIMIT ?', [afterId, tenant, limit]);
    return rows.map(toEvent);
  }

  listAudit(limit: number, offset: number): Promise<Page<AuditRecord>> {
    return this.db.tx(async (c) => {
      const total = Number((await c.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit'))?.n ?? 0);
      const rows = await c.all<Row>('SELECT * FROM audit ORDER BY id DESC LIMIT ? OFFSET ?', [limit, offset]);
      return { items: rows.map(toAudit), total };
    }, 'snapshot');
  }

  async usage(tenant?: string): Promise<UsageRow[]> {
    const now = this.ctx.now();
    // run_ms holds finished stretches; a running job adds the stretch since it started.
    const expr = `(run_ms + CASE WHEN state = 'Running' AND started_at IS NOT NULL THEN ? - started_at ELSE 0 END) * cards * milli / 1000.0 / 1000.0`;
    const filter = tenant === undefined ? '' : 'AND tenant = ?';
    const rows = await this.db.all<Row>(
      `SELECT tenant, chip, SUM(${expr}) AS card_sec, COUNT(*) AS jobs FROM jobs WHERE chip IS NOT NULL AND (run_ms > 0 OR state = 'Running') ${filter} GROUP BY tenant, chip ORDER BY tenant, chip`,
      tenant === undefined ? [now] : [now, tenant],
    );
    return rows.map((r) => ({ tenant: String(r.tenant), chip: String(r.chip), cardSec: Math.round(Number(r.card_sec) * 1000) / 1000, jobs: Number(r.jobs) }));
  }

  // ---- leader lease

  acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease> {
    return this.db.tx(async (c) => {
      const now = this.ctx.now();
      await c.run(
        `INSERT INTO leases (name, holder, epoch, expires_at) VALUES (?, ?, 1, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
           epoch = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > ? THEN leases.epoch ELSE leases.epoch + 1 END
         WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
        [name, holder, now + ttlMs, now, now],
      );
      const r = (await c.get<Row>('SELECT * FROM leases WHERE name = ?', [name]))!;
      return { name, holder: String(r.holder), epoch: Number(r.epoch), expiresAtMs: Number(r.expires_at) };
    });
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.run('UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ?', [name, holder]);
  }
}

export type { SqlConn };

/** Scheduling order: higher priority first, then earlier submission, then id. */
function snapshotOrder(a: JobRecord, b: JobRecord): number {
  return b.priority - a.priority || a.submittedAtMs - b.submittedAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Merges two lists sorted by `snapshotOrder`. */
function mergeSorted(a: JobRecord[], b: JobRecord[]): JobRecord[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: JobRecord[] = new Array<JobRecord>(a.length + b.length);
  let i = 0;
  let k = 0;
  let o = 0;
  while (i < a.length && k < b.length) out[o++] = snapshotOrder(a[i]!, b[k]!) <= 0 ? a[i++]! : b[k++]!;
  while (i < a.length) out[o++] = a[i++]!;
  while (k < b.length) out[o++] = b[k++]!;
  return out;
}
