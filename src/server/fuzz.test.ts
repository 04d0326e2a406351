/**
 * Fuzz: thousands of random and malformed requests to every route (bad params, query strings,
 * bodies, JSON, content types, tokens of every role). No answer may be a 5xx, and a refused request
 * (4xx) must change nothing: every state change writes an event, so no new event may appear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRng } from '../sched/index.js';
import type { RouteDef } from './route.js';
import { minimalJob, testPlane, type TestPlane } from './test-support.js';

type Rng = ReturnType<typeof seededRng>;

const weirdStrings = ['', ' ', 'a', '..', '../../etc/passwd', '%00', '\u0000', 'null', 'undefined', '-1', '1e309', 'NaN', '💥'.repeat(10), 'x'.repeat(5000), '<script>', "' OR 1=1 --", 'job-0000', '__proto__', 'constructor'];

/** String(v), also for objects whose prototype was replaced through a random `__proto__` key. */
function asText(v: unknown): string {
  try {
    return String(v);
  } catch {
    return JSON.stringify(v) ?? '';
  }
}

function randomValue(rng: Rng, depth = 0): unknown {
  const pick = rng.int(depth > 3 ? 7 : 10);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return [0, -1, 1, 1e308, -1e308, 0.5, 2 ** 53, 4096, 4097, 1001][rng.int(10)];
    case 3:
    case 4:
      return weirdStrings[rng.int(weirdStrings.length)];
    case 5:
      return rng.int(100_000) - 50_000;
    case 6:
      return `s${rng.int(1000)}`;
    case 7:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default: {
      const keys = ['name', 'kind', 'command', 'resources', 'count', 'id', 'role', 'tenant', 'node', 'nodeId', 'protocolVersion', 'quota', 'replicas', 'model', 'chips', 'attempt', 'state', 'chunks', '__proto__', 'extra'];
      const o: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) o[keys[rng.int(keys.length)]!] = randomValue(rng, depth + 1);
      return o;
    }
  }
}

/** A valid-looking body for a route, with one field broken: the most likely way past the first checks. */
function mutatedBody(rng: Rng, r: RouteDef): unknown {
  const samples: Record<string, Record<string, unknown>> = {
    '/api/v1/jobs': { ...minimalJob },
    '/api/v1/services': { name: 'svc', model: { name: 'm' }, replicas: 1 },
    '/api/v1/tenants': { id: 'fuzz-co' },
    '/api/v1/tokens': { name: 't', role: 'member', tenant: 'alice-co' },
    '/api/v1/agent/register': { protocolVersion: 1, node: { id: 'n1', cluster: 'c', chip: 'nvidia-h20', devices: [{ index: 0 }] } },
    '/api/v1/agent/heartbeat': { protocolVersion: 1, nodeId: 'n1' },
  };
  const base = structuredClone(samples[r.url] ?? { nodeId: 'n1', attempt: 1, state: 'running', chunks: [{ seq: 1, stream: 'stdout', text: 'x' }] });
  const keys = Object.keys(base);
  const key = keys[rng.int(keys.length)]!;
  const v = base[key];
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && rng.next() < 0.5) {
    const inner = v as Record<string, unknown>;
    const ik = Object.keys(inner)[0] ?? 'x';
    inner[ik] = randomValue(rng);
  } else base[key] = randomValue(rng);
  return base;
}

describe('fuzzing every route', () => {
  let p: TestPlane;
  beforeAll(async () => {
    p = await testPlane();
    // Some state for the fuzz to (fail to) touch.
    await p.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: p.auth(p.tokens.alice), payload: minimalJob });
    await p.store.registerNode({ id: 'n1', cluster: 'c', chip: 'nvidia-h20', devices: [{ index: 0 }, { index: 1 }] }, { id: 'setup', role: 'system' });
  });
  afterAll(async () => p.close());

  it('never answers 5xx and changes nothing when it refuses', async () => {
    const rng = seededRng(20_261_129);
    const routes = p.routes;
    const tokens = [undefined, 'garbage', p.tokens.admin, p.tokens.operator, p.tokens.alice, p.tokens.bob, p.tokens.agent];
    let lastEvent = (await p.store.listEvents(0, 1_000_000)).at(-1)?.id ?? 0;
    const statuses = new Map<number, number>();
    let refusedWithChange = 0;
    const requests = 3000;
    for (let i = 0; i < requests; i++) {
      const r = routes[rng.int(routes.length)]!;
      const url = r.url.replace(/:([A-Za-z]+)/g, () => encodeURIComponent(String(rng.next() < 0.3 ? 'job-0000' : weirdStrings[rng.int(weirdStrings.length)]) || 'x'));
      const qs = rng.next() < 0.5 ? `?${['limit', 'offset', 'state', 'tenant', 'after', 'kind', 'node', 'x'][rng.int(8)]}=${encodeURIComponent(asText(randomValue(rng)))}${rng.next() < 0.3 ? '&limit=1&limit=2' : ''}` : '';
      const token = tokens[rng.int(tokens.length)];
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      if (rng.next() < 0.1) headers['idempotency-key'] = asText(randomValue(rng)).slice(0, 300).replace(/[^\x20-\x7e]/g, '') || 'k';
      if (rng.next() < 0.05) headers['last-event-id'] = asText(randomValue(rng)).replace(/[^\x20-\x7e]/g, '');
      const method = rng.next() < 0.9 ? r.method : (['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const)[rng.int(5)];
      let payload: string | undefined;
      const shape = rng.int(6);
      if (method !== 'GET') {
        if (shape === 0) payload = '{"name": ';
        else if (shape === 1) payload = JSON.stringify(randomValue(rng));
        else if (shape === 2) payload = 'not json at all';
        else payload = JSON.stringify(mutatedBody(rng, r));
        headers['content-type'] = shape === 2 && rng.next() < 0.5 ? 'text/xml' : 'application/json';
      }
      const res = await p.app.inject({ method, url: `${url}${qs}`, headers, ...(payload !== undefined ? { payload } : {}) });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      expect(res.statusCode, `${method} ${url}${qs} -> ${res.body.slice(0, 300)}`).toBeLessThan(500);
      const fresh = await p.store.listEvents(lastEvent, 1000);
      if (res.statusCode >= 400 && fresh.length > 0) refusedWithChange++;
      if (fresh.length > 0) lastEvent = fresh.at(-1)!.id;
      if (res.statusCode >= 400) expect(JSON.parse(res.body)).toHaveProperty('error');
    }
    expect(refusedWithChange).toBe(0);
    // The fuzz reached past authentication and validation, not only the front door.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(403) ?? 0).toBeGreaterThan(50);
    expect(statuses.get(404) ?? 0).toBeGreaterThan(50);
  });
});
