import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureKind, ProtocolClient, ProtocolError } from './protocol-client.js';

/** A tiny HTTP server answering each path with a fixed status, to check how failures are classified. */
describe('ProtocolClient failure classes', () => {
  let server: Server;
  let base: string;
  const seen: { path: string; auth: string | undefined; body: unknown }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(raw) as unknown });
        const status = Number(/status=(\d+)/.exec(req.headers['x-test'] as string)?.[1] ?? 200);
        const send = (code: number, body: string): void => {
          res.writeHead(code, { 'content-type': 'application/json' });
          res.end(body);
        };
        if (req.url?.endsWith('/heartbeat')) return send(404, '{"error":"not_found","message":"node n1 is not registered"}');
        if (req.url?.includes('/jobs/gone/')) return send(404, '{"error":"not_found","message":"job gone not found"}');
        if (req.url?.includes('/jobs/busy/')) return send(503, '{"error":"unavailable","message":"try later"}');
        if (req.url?.includes('/jobs/bad/')) return send(200, 'not json');
        if (req.url?.endsWith('/register')) return send(401, '{"error":"unauthorized","message":"unknown or revoked token"}');
        send(status, '{"stored":1}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const kind = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
      return 'ok';
    } catch (e) {
      return e instanceof ProtocolError ? e.kind : 'other';
    }
  };

  it('sends the bearer token and the protocol version to /api/v1/agent', async () => {
    const c = new ProtocolClient({ server: base, token: 'tsk_x' });
    expect(await c.logs('n1', 'ok', 1, [{ seq: 1, stream: 'stdout', text: 'hi' }])).toEqual({ stored: 1 });
    expect(seen.at(-1)).toMatchObject({ path: '/api/v1/agent/jobs/ok/logs', auth: 'Bearer tsk_x', body: { nodeId: 'n1', attempt: 1 } });
    await kind(c.heartbeat('n1', [], []));
    expect(seen.at(-1)?.body).toMatchObject({ protocolVersion: 1, nodeId: 'n1', running: [] });
  });

  it('tells retry, re-register, refused and bad-token failures apart', async () => {
    const c = new ProtocolClient({ server: base, token: 't' });
    expect(await kind(c.heartbeat('n1', [], []))).toBe(FailureKind.unregistered);
    expect(await kind(c.status('n1', 'gone', { attempt: 1, state: 'running' }))).toBe(FailureKind.rejected);
    expect(await kind(c.status('n1', 'busy', { attempt: 1, state: 'running' }))).toBe(FailureKind.retry);
    expect(await kind(c.status('n1', 'bad', { attempt: 1, state: 'running' }))).toBe(FailureKind.retry);
    expect(await kind(c.register({ id: 'n1', cluster: 'c', chip: 'nvidia-h20', devices: [] }))).toBe(FailureKind.auth);
    const down = new ProtocolClient({ server: 'http://127.0.0.1:1', token: 't', timeoutMs: 2000 });
    expect(await kind(down.heartbeat('n1', [], []))).toBe(FailureKind.retry);
  });
});
