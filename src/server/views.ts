/** Records as the API shows them. */
import type { JobRecord, NodeRecord } from '../store/index.js';

export function jobView(j: JobRecord): Record<string, unknown> {
  return {
    id: j.id,
    name: j.name,
    kind: j.kind,
    state: j.state,
    tenant: j.tenant,
    queue: j.queue,
    priority: j.priority,
    version: j.version,
    attempt: j.attempt,
    cards: j.cards,
    milliPerCard: j.milliPerCard,
    chip: j.chip,
    placements: j.placements,
    reason: j.reason,
    exitCode: j.exitCode,
    serviceId: j.serviceId,
    submittedAtMs: j.submittedAtMs,
    updatedAtMs: j.updatedAtMs,
    startedAtMs: j.startedAtMs,
    finishedAtMs: j.finishedAtMs,
    notBeforeMs: j.notBeforeMs,
    spec: j.spec,
  };
}

export function nodeView(n: NodeRecord, nowMs: number): Record<string, unknown> {
  return { ...n, heartbeatAgeSec: Math.max(0, Math.round((nowMs - n.lastHeartbeatAtMs) / 100) / 10) };
}
