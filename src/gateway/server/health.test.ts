import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { validateGatewayConfig } from '../config/index.js';
import { Gateway } from './gateway.js';
import { checkHealth } from './health.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A stand-in engine answering fixed bodies per path (404 elsewhere), counting the calls. */
async function engine(routes: Record<string, [number, string]>): Promise<{ port: number; calls: Record<string, number> }> {
  const calls: Record<string, number> = {};
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    calls[path] = (calls[path] ?? 0) + 1;
    const [status, body] = routes[path] ?? [404, ''];
    res.writeHead(status).end(body);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, calls };
}

describe('health checks', () => {
  const agent = new Agent({ keepAlive: false });

  it("reads a vLLM engine's load from /metrics when /health says nothing of it", async () => {
    const e = await engine({ '/health': [200, ''], '/metrics': [200, 'vllm:num_requests_running{model_name="m"} 3\nvllm:num_requests_waiting{model_name="m"} 2\n'] });
    expect(await checkHealth('127.0.0.1', e.port, agent, 1000)).toEqual({ ok: true, load: { running: 3, waiting: 2 }, metrics: true });
  });

  it('falls back to /v1/models for engines without /health, and reports failures as unhealthy', async () => {
    const e = await engine({ '/v1/models': [200, '{"data":[]}'] });
    expect(await checkHealth('127.0.0.1', e.port, agent, 1000, false)).toEqual({ ok: true, load: null, metrics: false });
    const down = await engine({ '/health': [503, ''] });
    expect(await checkHealth('127.0.0.1', down.port, agent, 1000)).toEqual({ ok: false, load: null, metrics: false });
    expect(down.calls['/metrics']).toBeUndefined();
  });

  it('asks an engine without /metrics only once', async () => {
    const e = await engine({ '/health': [200, ''] });
    const gw = new Gateway(validateGatewayConfig({ replicas: [{ id: 'r0', model: 'm', url: `http://127.0.0.1:${e.port}`, chip: 'c' }] }), { healthChecks: false });
    for (let i = 0; i < 3; i++) await gw.checkAll();
    expect(e.calls).toEqual({ '/health': 3, '/metrics': 1 });
    expect(gw.replicas()[0]).toMatchObject({ healthy: true, others: 0 });
    await gw.close();
  });
});
