import { get, type Agent } from 'node:http';
import { loadFromHealthJson, loadFromPrometheus, type EngineLoad } from './engine-load.js';

export interface HealthResult {
  ok: boolean;
  /** What the engine says it runs and queues (every client's requests); null when it does not say. */
  load: EngineLoad | null;
  /** Whether `/metrics` answered (so it is worth asking again). */
  metrics: boolean;
}

const MAX_BODY = 1024 * 1024;

/**
 * Active health check of one engine: `GET /health` (vLLM, SGLang, LMDeploy, the emulator), and
 * `GET /v1/models` for engines without it; healthy on any 2xx within the timeout. The engine's
 * load comes from the `/health` body when it carries one (the emulator), else from `/metrics`
 * (vLLM, SGLang, TGI) when `askMetrics` is set.
 */
export async function checkHealth(host: string, port: number, agent: Agent, timeoutMs: number, askMetrics = true): Promise<HealthResult> {
  const probe = (path: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve) => {
      const req = get({ host, port, path, agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: 0, body: '' }));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve({ status: 0, body: '' }));
    });
  let health = await probe('/health');
  if (health.status === 404 || health.status === 405) health = await probe('/v1/models');
  const ok = health.status >= 200 && health.status < 300;
  let load = ok ? loadFromHealthJson(health.body) : null;
  let metrics = false;
  if (ok && load === null && askMetrics) {
    const m = await probe('/metrics');
    metrics = m.status >= 200 && m.status < 300;
    if (metrics) load = loadFromPrometheus(m.body);
  }
  return { ok, load, metrics };
}
