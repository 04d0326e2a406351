/** Prometheus metrics of one gateway (its own registry, so tests and embeddings can run several). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ReplicaState } from '../routing/replica-state.js';

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'model' | 'chip' | 'status'>;
  tokens: Counter<'tenant' | 'model' | 'chip' | 'kind'>;
  ttftSeconds: Histogram<'model' | 'chip'>;
  overheadSeconds: Histogram;
  retries: Counter<'replica'>;
  shed: Counter<'priority'>;
  rateLimited: Counter<'limit'>;
}

/** `replicas` is read at scrape time for the per-replica gauges. */
export function createGatewayMetrics(replicas: () => Iterable<ReplicaState>, nowMs: () => number): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  new Gauge({
    name: 'tessera_gateway_replica_outstanding',
    help: 'Requests in flight per replica',
    labelNames: ['replica', 'chip', 'model'],
    registers,
    collect() {
      this.reset();
      for (const r of replicas()) this.set({ replica: r.spec.id, chip: r.spec.chip, model: r.spec.model }, r.outstanding);
    },
  });
  new Gauge({
    name: 'tessera_gateway_replica_up',
    help: '1 when the replica is healthy and not ejected',
    labelNames: ['replica', 'chip', 'model'],
    registers,
    collect() {
      this.reset();
      const t = nowMs();
      for (const r of replicas()) this.set({ replica: r.spec.id, chip: r.spec.chip, model: r.spec.model }, r.available(t) ? 1 : 0);
    },
  });
  return {
    registry,
    requests: new Counter({ name: 'tessera_gateway_requests_total', help: 'Requests answered by a replica, per model, chip and HTTP status (broken = failed mid-stream)', labelNames: ['model', 'chip', 'status'], registers }),
    tokens: new Counter({ name: 'tessera_gateway_tokens_total', help: 'Tokens from the backends\' usage, per tenant, model, chip and kind (prompt, completion)', labelNames: ['tenant', 'model', 'chip', 'kind'], registers }),
    ttftSeconds: new Histogram({ name: 'tessera_gateway_ttft_seconds', help: 'Time to first token of streams, as the gateway saw it', labelNames: ['model', 'chip'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16], registers }),
    overheadSeconds: new Histogram({ name: 'tessera_gateway_overhead_seconds', help: 'Time the gateway itself spent on a request (x-tessera-gateway-ms)', buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01], registers }),
    retries: new Counter({ name: 'tessera_gateway_retries_total', help: 'Attempts that failed before the first byte and were retried or given up, per replica', labelNames: ['replica'], registers }),
    shed: new Counter({ name: 'tessera_gateway_shed_total', help: 'Requests shed under overload, per priority', labelNames: ['priority'], registers }),
    rateLimited: new Counter({ name: 'tessera_gateway_rate_limited_total', help: 'Requests refused by a rate limit', labelNames: ['limit'], registers }),
  };
}
