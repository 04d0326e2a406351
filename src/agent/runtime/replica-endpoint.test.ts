/**
 * Inference replicas run by the real node agent against a real control plane in this process: the
 * replica's engine (the `tessera emulate` binary when built, else a tiny OpenAI-shaped server)
 * listens on the port the agent gave it, the agent reports the endpoint once it answers, the
 * control plane lists it, and it leaves the list when the replica stops.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../catalog/index.js';
import { testPlane, type TestPlane } from '../../server/test-support.js';
import { NodeAgent } from './node-agent.js';
import { testAgentOptions } from './test-agent.js';
import { freePort, replicaUrl, waitReady } from './replica-endpoint.js';

const catalog = builtinCatalog();
const h20 = catalog.get('nvidia-h20');
const repoRoot = resolve(import.meta.dirname, '../../..');
const MODEL = 'llama-3.1-8b';

/** The real emulator binary after `npm run build` (TESSERA_REPLICA_TEST_ENGINE=tiny skips it); otherwise a small server that loads for 300 ms, then answers like one. */
function replicaCommand(): string[] {
  if (process.env.TESSERA_REPLICA_TEST_ENGINE !== 'tiny' && existsSync(join(repoRoot, 'dist/src/cli/emulate.js'))) return ['node', join(repoRoot, 'bin/tessera.js'), 'emulate', '--chip', 'nvidia-h20', '--model', MODEL, '--port', '$PORT'];
  const js = `const http=require('node:http');setTimeout(()=>http.createServer((q,s)=>{s.setHeader('content-type','application/json');if(q.url==='/v1/models'){s.end(JSON.stringify({object:'list',data:[{id:process.env.TESSERA_MODEL,object:'model'}]}));return}if(q.url==='/v1/chat/completions'){s.end(JSON.stringify({object:'chat.completion',model:process.env.TESSERA_MODEL,choices:[{index:0,message:{role:'assistant',content:'hi'},finish_reason:'stop'}]}));return}s.statusCode=404;s.end('{}')}).listen(Number(process.env.TESSERA_REPLICA_PORT),'127.0.0.1'),300);process.on('SIGTERM',()=>process.exit(0));`;
  return ['node', '-e', js];
}

describe('inference replicas on the real node agent', () => {
  let p: TestPlane;
  let base: string;
  let dir: string;
  let failEndpointReports: number;
  let endpointFailures: number;
  const agents: NodeAgent[] = [];

  beforeEach(async () => {
    p = await testPlane();
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'tessera-replica-'));
    failEndpointReports = 0;
    endpointFailures = 0;
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop(true);
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Endpoint reports fail as an unreachable control plane would while `failEndpointReports` > 0.
  const fetchImpl: typeof fetch = async (input, init) => {
    if (String(input).endsWith('/endpoint') && failEndpointReports > 0) {
      failEndpointReports--;
      endpointFailures++;
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    }
    return fetch(input, init);
  };

  const newAgent = (): NodeAgent => {
    const a = new NodeAgent({
      ...testAgentOptions({ chip: h20, count: 2, catalog, server: base, token: p.tokens.agent, fetchImpl, dir }),
      graceSec: 2,
      replicaReadyTimeoutSec: 60,
      replicaProbeMaxIntervalMs: 200,
    });
    agents.push(a);
    void a.start();
    return a;
  };

  const api = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${p.tokens.alice}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const until = async (what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await p.loop.cycle();
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  type Endpoint = { jobId: string; attempt: number; url: string; simulated: boolean; model: string | null; nodeId: string | null };
  const endpoints = async (): Promise<Endpoint[]> => (await api<{ items: Endpoint[] }>('GET', '/api/v1/replicas')).items;
  const createService = () => api<{ id: string }>('POST', '/api/v1/services', { name: 'chat', model: { name: MODEL }, replicas: 1, chips: { kind: 'pinned', chip: 'nvidia-h20' }, command: ['sh', '-c', `exec ${replicaCommand().map((w) => (w === '$PORT' ? '"$PORT"' : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ')}`] });

  it('runs a replica on a free port, reports its endpoint once it answers, and drops it when the replica stops', async () => {
    const agent = newAgent();
    await until('registration', () => agent.connected);
    const svc = await createService();
    await until('the endpoint to be listed', async () => (await endpoints()).length === 1);
    const [e] = await endpoints();
    const task = agent.taskList.find((t) => t.rec.jobId === e!.jobId)!;
    expect(task.rec.replicaPort).toBeGreaterThan(0);
    expect(e).toMatchObject({ url: `http://127.0.0.1:${task.rec.replicaPort}`, simulated: false, model: MODEL, nodeId: 'n1' });
    // The listed URL answers, with the model the job declared.
    const models = (await (await fetch(`${e!.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toContain(MODEL);
    expect(agent.stats.endpointsReported).toBe(1);
    const chat = await fetch(`${e!.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 4 }) });
    expect(chat.status).toBe(200);
    const body = (await chat.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content.length).toBeGreaterThan(0);

    await api('PATCH', `/api/v1/services/${svc.id}`, { replicas: 0 });
    await until('the replica to stop', () => task.rec.exit !== null);
    expect(await endpoints()).toEqual([]);
    await expect(fetch(`${e!.url}/v1/models`)).rejects.toThrow();
  });

  it('keeps the endpoint report queued across control-plane failures and sends it after', async () => {
    failEndpointReports = 3;
    const agent = newAgent();
    await until('registration', () => agent.connected);
    await createService();
    await until('the endpoint to be listed', async () => (await endpoints()).length === 1);
    expect(endpointFailures).toBe(3);
    expect(agent.stats.endpointsReported).toBe(1);
    const [e] = await endpoints();
    expect((await fetch(`${e!.url}/v1/models`)).ok).toBe(true);
  });

  it('an agent restarted before the control plane took the endpoint sends it from its state file', async () => {
    failEndpointReports = 1_000_000;
    const first = newAgent();
    await until('registration', () => first.connected);
    await createService();
    await until('readiness', () => first.taskList.some((t) => t.rec.endpointUrl));
    await first.stop(false);
    failEndpointReports = 0;
    const second = newAgent();
    await until('the endpoint to be listed', async () => (await endpoints()).length === 1);
    expect(second.stats.endpointsReported).toBe(1);
    expect(second.stats.started).toBe(0);
    const [e] = await endpoints();
    expect((await fetch(`${e!.url}/v1/models`)).ok).toBe(true);
  });

  it('a replica that crashes leaves the list: its exit is reported and only running replicas are listed', async () => {
    const agent = newAgent();
    await until('registration', () => agent.connected);
    const svc = await createService();
    await until('the endpoint to be listed', async () => (await endpoints()).length === 1);
    const [e] = await endpoints();
    const task = agent.taskList.find((t) => t.rec.jobId === e!.jobId)!;
    // The whole process group, as an out-of-memory kill of the engine would end it.
    process.kill(-task.rec.pid!, 'SIGKILL');
    await until('the exit report', () => task.rec.reportedExit);
    expect((await endpoints()).filter((x) => x.jobId === e!.jobId && x.attempt === e!.attempt)).toEqual([]);
    await expect(fetch(`${e!.url}/v1/models`)).rejects.toThrow();
    await api('DELETE', `/api/v1/services/${svc.id}`);
  });
});

describe('readiness probe', () => {
  it('gives up when the task ends, and when nothing answers in time', async () => {
    const port = await freePort('127.0.0.1');
    const url = replicaUrl('127.0.0.1', port);
    expect(await waitReady(url, { timeoutSec: 60, alive: () => false })).toMatchObject({ ready: false, why: 'the task ended before it answered' });
    const r = await waitReady(url, { timeoutSec: 0.3, initialIntervalMs: 50, alive: () => true });
    expect(r.ready).toBe(false);
    if (!r.ready) expect(r.why).toMatch(/no answer within 0.3 s/);
  });

  it('accepts /health when /v1/models is not served, and brackets IPv6 addresses', async () => {
    const { createServer: http } = await import('node:http');
    const srv = http((q, s) => {
      s.statusCode = q.url === '/health' ? 200 : 404;
      s.end();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    try {
      expect(await waitReady(replicaUrl('127.0.0.1', port), { timeoutSec: 5, alive: () => true })).toMatchObject({ ready: true, path: '/health' });
    } finally {
      srv.close();
    }
    expect(replicaUrl('::1', 8000)).toBe('http://[::1]:8000');
  });

  it('picks a port nothing listens on', async () => {
    const port = await freePort('127.0.0.1');
    const srv = createServer();
    await new Promise<void>((r, j) => {
      srv.once('error', j);
      srv.listen(port, '127.0.0.1', r);
    });
    srv.close();
  });
});
