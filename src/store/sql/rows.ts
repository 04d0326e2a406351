/** Row <-> record mapping shared by both backends (snake_case columns, JSON in TEXT columns). */
import type { JobKind, JobSpec, JobState, ServiceSpec } from '../../workload/index.js';
import type { AuditRecord, DeviceRecord, EventRecord, JobRecord, NodeRecord, NodeState, QueueRecord, Role, ServiceRecord, Tenant, TokenRecord } from '../types.js';

type Row = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const json = <T>(v: unknown, fallback: T): T => (v === null || v === undefined || v === '' ? fallback : (JSON.parse(String(v)) as T));
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';

export const jobColumns =
  'id, tenant, queue, name, kind, state, priority, spec, version, attempt, service_id, idem_key, cards, milli, chip, placements, reason, exit_code, explain, submitted_at, updated_at, not_before, scheduled_at, started_at, finished_at, acked_at';

/**
 * Job specs never change after submission, so parsed specs are cached by job id: the scheduling
 * loop re-reads every waiting job each cycle and would otherwise parse tens of thousands of JSON specs.
 */
const specCache = new Map<string, JobSpec>();
const specCacheMax = 200_000;

function cachedSpec(id: string, text: unknown): JobSpec {
  let spec = specCache.get(id);
  if (spec === undefined) {
    spec = json<JobSpec>(text, {} as JobSpec);
    if (specCache.size >= specCacheMax) specCache.clear();
    specCache.set(id, spec);
  }
  return spec;
}

/** Columns the scheduling snapshot needs: everything but the stored explanation. */
export const schedJobColumns = jobColumns.replace(', explain', '');

export function toJob(r: Row): JobRecord {
  return {
    id: str(r.id),
    tenant: str(r.tenant),
    queue: str(r.queue),
    name: str(r.name),
    kind: str(r.kind) as JobKind,
    state: str(r.state) as JobState,
    priority: num(r.priority),
    spec: cachedSpec(str(r.id), r.spec),
    version: num(r.version),
    attempt: num(r.attempt),
    serviceId: strOrNull(r.service_id),
    idempotencyKey: strOrNull(r.idem_key),
    cards: num(r.cards),
    milliPerCard: num(r.milli),
    chip: strOrNull(r.chip),
    placements: json(r.placements, []),
    reason: strOrNull(r.reason),
    exitCode: numOrNull(r.exit_code),
    explain: json(r.explain, null),
    submittedAtMs: num(r.submitted_at),
    updatedAtMs: num(r.updated_at),
    notBeforeMs: numOrNull(r.not_before),
    scheduledAtMs: numOrNull(r.scheduled_at),
    startedAtMs: numOrNull(r.started_at),
    finishedAtMs: numOrNull(r.finished_at),
    ackedAtMs: numOrNull(r.acked_at),
  };
}

export const nodeColumns =
  'id, cluster, chip, rack, link_domain_size, cards, stacks, labels, state, schedulable, simulated, cpu_milli, memory_mib, agent_version, registered_at, last_heartbeat_at, telemetry';

export function toNode(r: Row): NodeRecord {
  return {
    id: str(r.id),
    cluster: str(r.cluster),
    chip: str(r.chip),
    rack: str(r.rack),
    linkDomainSize: num(r.link_domain_size),
    cards: num(r.cards),
    stacks: json(r.stacks, []),
    labels: json(r.labels, {}),
    state: str(r.state) as NodeState,
    schedulable: bool(r.schedulable),
    simulated: bool(r.simulated),
    cpuMilli: numOrNull(r.cpu_milli),
    memoryMiB: numOrNull(r.memory_mib),
    agentVersion: strOrNull(r.agent_version),
    registeredAtMs: num(r.registered_at),
    lastHeartbeatAtMs: num(r.last_heartbeat_at),
    telemetry: json(r.telemetry, null),
  };
}

export function toDevice(r: Row): DeviceRecord {
  return { nodeId: str(r.node_id), index: num(r.idx), uuid: strOrNull(r.uuid), healthy: bool(r.healthy), usedMilli: num(r.used_milli), telemetry: json(r.telemetry, null) };
}

export function toTenant(r: Row): Tenant {
  return { id: str(r.id), name: str(r.name), quota: json(r.quota, {}), createdAtMs: num(r.created_at), updatedAtMs: num(r.updated_at) };
}

export function toQueue(r: Row): QueueRecord {
  return { tenant: str(r.tenant), name: str(r.name), weight: num(r.weight), priority: num(r.priority), createdAtMs: num(r.created_at) };
}

export function toToken(r: Row): TokenRecord {
  return {
    id: str(r.id),
    name: str(r.name),
    role: str(r.role) as Role,
    tenant: strOrNull(r.tenant),
    nodeId: strOrNull(r.node_id),
    createdAtMs: num(r.created_at),
    createdBy: str(r.created_by),
    revokedAtMs: numOrNull(r.revoked_at),
  };
}

export function toService(r: Row): ServiceRecord {
  return {
    id: str(r.id),
    tenant: str(r.tenant),
    name: str(r.name),
    spec: json<ServiceSpec>(r.spec, {} as ServiceSpec),
    state: str(r.state) as ServiceRecord['state'],
    version: num(r.version),
    createdAtMs: num(r.created_at),
    updatedAtMs: num(r.updated_at),
  };
}

export function toEvent(r: Row): EventRecord {
  return { id: num(r.id), atMs: num(r.at), type: str(r.type), subject: str(r.subject), tenant: strOrNull(r.tenant), data: json(r.data, {}) };
}

export function toAudit(r: Row): AuditRecord {
  return { id: num(r.id), atMs: num(r.at), actor: str(r.actor), action: str(r.action), subject: str(r.subject), tenant: strOrNull(r.tenant), detail: json(r.detail, {}) };
}
