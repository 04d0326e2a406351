/** Prometheus metrics of one control plane (its own registry, so tests can run several). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  registry: Registry;
  queueDepth: Gauge<'tenant' | 'queue' | 'state'>;
  allocatedCards: Gauge<'chip'>;
  totalCards: Gauge<'chip'>;
  cycleSeconds: Histogram;
  decisions: Counter<'kind'>;
  refused: Counter;
  httpSeconds: Histogram<'method' | 'route' | 'status'>;
  heartbeatAgeMaxSec: Gauge;
  nodes: Gauge<'state'>;
  leader: Gauge;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'tessera_process_' });
  const registers = [registry];
  return {
    registry,
    queueDepth: new Gauge({ name: 'tessera_queue_depth', help: 'Jobs waiting, per tenant, queue and state (Pending, Admitted)', labelNames: ['tenant', 'queue', 'state'], registers }),
    allocatedCards: new Gauge({ name: 'tessera_allocated_cards', help: 'Cards allocated per chip (fractional shares counted by their share)', labelNames: ['chip'], registers }),
    totalCards: new Gauge({ name: 'tessera_cards', help: 'Cards on Ready nodes per chip', labelNames: ['chip'], registers }),
    cycleSeconds: new Histogram({ name: 'tessera_scheduling_cycle_seconds', help: 'Scheduling cycle time: snapshot, schedule, apply', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers }),
    decisions: new Counter({ name: 'tessera_decisions_total', help: 'Decisions applied, per kind (rate() gives decisions/s)', labelNames: ['kind'], registers }),
    refused: new Counter({ name: 'tessera_decisions_refused_total', help: 'Decisions refused by the store (stale snapshot, card already taken)', registers }),
    httpSeconds: new Histogram({
      name: 'tessera_http_request_duration_seconds',
      help: 'API latency per route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    heartbeatAgeMaxSec: new Gauge({ name: 'tessera_agent_heartbeat_age_max_seconds', help: 'Age of the oldest heartbeat among Ready nodes', registers }),
    nodes: new Gauge({ name: 'tessera_nodes', help: 'Nodes per state', labelNames: ['state'], registers }),
    leader: new Gauge({ name: 'tessera_scheduler_leader', help: '1 when this instance holds the scheduling lease', registers }),
  };
}
