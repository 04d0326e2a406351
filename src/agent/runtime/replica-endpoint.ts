import { createServer } from 'node:net';

/**
 * Inference replicas on a real node: the agent gives each one a free TCP port (`PORT`,
 * `TESSERA_REPLICA_PORT`), waits until the engine answers an OpenAI-compatible `/v1/models` (or a
 * plain `/health`), and only then tells the control plane where it is, so a gateway never routes to
 * an engine still loading its weights.
 */

/** How assignments of inference replicas are marked (the job kind services give their replicas). */
export const INFERENCE_KIND = 'inference';

/** Paths probed in order; the first that answers 2xx makes the replica ready. */
export const READINESS_PATHS = ['/v1/models', '/health'] as const;

/** A TCP port nothing listens on right now (the kernel picks it), on `host`. */
export function freePort(host = '0.0.0.0'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port: 0, host, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('the kernel gave no port'))));
    });
  });
}

/** Base URL of a replica as others reach it; IPv6 literals get brackets. */
export function replicaUrl(addr: string, port: number): string {
  const host = addr.includes(':') && !addr.startsWith('[') ? `[${addr}]` : addr;
  return `http://${host}:${port}`;
}

export interface ReadinessOptions {
  /** Give up after this long (seconds): a model that does not load by then is reported as never ready. */
  timeoutSec: number;
  /** First pause between probes; it doubles up to `maxIntervalMs`. */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  /** Per-request limit, so a hung engine cannot stall the wait. */
  requestTimeoutMs?: number;
  /** False once the task is gone: the wait ends at once. */
  alive: () => boolean;
  fetchImpl?: typeof fetch;
}

export type Readiness = { ready: true; path: string; waitedMs: number } | { ready: false; why: string; waitedMs: number };

/** Probes `base` until one readiness path answers 2xx, the task ends, or the time is up. */
export async function waitReady(base: string, o: ReadinessOptions): Promise<Readiness> {
  const f = o.fetchImpl ?? fetch;
  const started = Date.now();
  const deadline = started + o.timeoutSec * 1000;
  let pauseMs = o.initialIntervalMs ?? 200;
  const maxPauseMs = o.maxIntervalMs ?? 5000;
  let last = 'no answer yet';
  for (;;) {
    if (!o.alive()) return { ready: false, why: 'the task ended before it answered', waitedMs: Date.now() - started };
    for (const path of READINESS_PATHS) {
      try {
        const res = await f(`${base}${path}`, { signal: AbortSignal.timeout(o.requestTimeoutMs ?? 2000) });
        await res.body?.cancel().catch(() => undefined);
        if (res.ok) return { ready: true, path, waitedMs: Date.now() - started };
        last = `${path} answered HTTP ${res.status}`;
      } catch (e) {
        last = `${path}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`;
      }
    }
    const left = deadline - Date.now();
    if (left <= 0) return { ready: false, why: `no answer within ${o.timeoutSec} s (last: ${last})`, waitedMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, Math.min(pauseMs, left)));
    pauseMs = Math.min(maxPauseMs, pauseMs * 2);
  }
}
