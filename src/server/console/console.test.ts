import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlane, type TestPlane } from '../test-support.js';

const sys = { id: 'setup', role: 'system' as const };
let plane: TestPlane;
let consoleDir: string;

beforeAll(async () => {
  consoleDir = mkdtempSync(join(tmpdir(), 'tessera-console-'));
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/assets/app-1.js"></script>');
  writeFileSync(join(consoleDir, 'assets', 'app-1.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);
  process.env.TESSERA_CONSOLE_DIR = consoleDir;
  plane = await testPlane();
  delete process.env.TESSERA_CONSOLE_DIR;
  // One H20 node with 8 devices, device 3 unhealthy.
  await plane.store.registerNode({ id: 'n1', cluster: 'c1', chip: 'nvidia-h20', devices: Array.from({ length: 8 }, (_, i) => ({ index: i, healthy: i !== 3 })) }, sys);
});

afterAll(async () => {
  await plane.close();
  rmSync(consoleDir, { recursive: true, force: true });
});

const get = async (url: string, token = plane.tokens.admin) => plane.app.inject({ method: 'GET', url, headers: plane.auth(token) });

describe('capacity', () => {
  it('counts cards, peak PFLOPS and H20-equivalents from the registered nodes', async () => {
    const res = await get('/api/v1/console/capacity');
    expect(res.statusCode).toBe(200);
    const c = res.json();
    // 8 H20 cards x 148 dense bf16 TFLOPS = 1.184 PFLOPS; an H20 is one H20-equivalent by definition.
    expect(c.totals).toMatchObject({ nodes: 1, readyNodes: 1, cards: 8, unhealthyCards: 1, pflops: 1.184, pflopsUnknownCards: 0, utilPct: null, utilReportingDevices: 0 });
    expect(c.byChip[0]).toMatchObject({ chip: 'nvidia-h20', vendor: 'nvidia', tflopsPerCard: 148, precision: 'bf16', peakConfidence: 'datasheet' });
    expect(c.byVendor).toEqual([{ vendor: 'nvidia', cards: 8, allocatedCards: 0, pflops: 1.184 }]);
    const serve = c.h20eq.find((h: { workloadClass: string }) => h.workloadClass === 'llm-serve-8b');
    expect(serve).toMatchObject({ h20eq: 8, cards: 8, cardsWithoutEstimate: 0 });
    expect(c.declared).toBeNull();
    expect(c.work).toEqual({ running: 0, waiting: 0, services: 0 });
  });
  it('is readable by a tenant member (hardware is shared), who counts only their own work', async () => {
    await plane.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: plane.auth(plane.tokens.bob), payload: { name: 'w', kind: 'batch', command: ['x'], resources: { count: 1 } } });
    const alice = await get('/api/v1/console/capacity', plane.tokens.alice);
    expect(alice.statusCode).toBe(200);
    expect(alice.json().work.waiting).toBe(0);
    expect((await get('/api/v1/console/capacity', plane.tokens.bob)).json().work.waiting).toBe(1);
    expect((await plane.app.inject({ method: 'GET', url: '/api/v1/console/capacity' })).statusCode).toBe(401);
  });
});

describe('utilisation', () => {
  it('averages the utilisation agents report, over the devices that report it', async () => {
    const own = await testPlane();
    try {
      await own.store.registerNode({ id: 'n1', cluster: 'c1', chip: 'nvidia-h20', devices: Array.from({ length: 4 }, (_, i) => ({ index: i })) }, sys);
      await own.store.registerNode({ id: 'n2', cluster: 'c1', chip: 'nvidia-h20', devices: [{ index: 0 }, { index: 1 }] }, sys);
      await own.store.heartbeat('n2', { devices: [{ index: 0, utilPct: 30 }, { index: 1, utilPct: 80 }] });
      const c = (await own.app.inject({ method: 'GET', url: '/api/v1/console/capacity', headers: own.auth(own.tokens.admin) })).json();
      // (30 + 80) / 2 = 55 over the 2 reporting devices; n1's 4 devices report nothing.
      expect(c.totals).toMatchObject({ utilPct: 55, utilReportingDevices: 2, cards: 6 });
    } finally {
      await own.close();
    }
  });
});

describe('heatmap', () => {
  it('lists every device in node order with its allocation and health', async () => {
    const h = (await get('/api/v1/console/heatmap')).json();
    expect(h.chips).toEqual([{ id: 'nvidia-h20', vendor: 'nvidia' }]);
    expect(h.nodes).toEqual([{ id: 'n1', cluster: 'c1', chip: 0, state: 'Ready', schedulable: true, first: 0, cards: 8 }]);
    expect(h.used).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(h.unhealthy).toEqual([3]);
  });
});

describe('comparison and sources', () => {
  it("defaults to the seed's five cards against the H20", async () => {
    const c = (await get('/api/v1/console/comparison')).json();
    expect(c.baselineId).toBe('nvidia-h20');
    expect(c.chips.map((x: { id: string }) => x.id)).toEqual(['thead-ppu', 'nvidia-a800', 'nvidia-h20', 'ascend-910b', 'biren-br104']);
    const mem = c.rows.find((r: { key: string }) => r.key === 'memory');
    expect(mem.cells.find((x: { chipId: string }) => x.chipId === 'nvidia-h20').ratioText).toBe('1.00x');
  });
  it('names the field of an unknown chip', async () => {
    const res = await get('/api/v1/console/comparison?chips=h20,nope');
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toContain("/chips/1: unknown chip 'nope'");
  });
  it('lists the source keys', async () => {
    const s = (await get('/api/v1/console/sources')).json();
    expect(s.items.length).toBeGreaterThan(5);
    expect(s.items.every((x: { key: string; description: string }) => x.key && x.description)).toBe(true);
  });
});

describe('recent events', () => {
  it('finds the newest event id and returns the newest events first', async () => {
    const all = (await get('/api/v1/events?limit=1000')).json().items as { id: number }[];
    const r = (await get('/api/v1/console/recent-events?limit=3')).json();
    expect(r.lastId).toBe(all[all.length - 1]!.id);
    expect(r.items.map((e: { id: number }) => e.id)).toEqual(all.slice(-3).map((e) => e.id).reverse());
  });
  it('shows a member only their tenant', async () => {
    await plane.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: plane.auth(plane.tokens.bob), payload: { name: 'b', kind: 'batch', command: ['x'], resources: { count: 1 } } });
    const r = (await get('/api/v1/console/recent-events?limit=50', plane.tokens.alice)).json();
    expect(r.items.every((e: { tenant: string | null }) => e.tenant === 'alice-co')).toBe(true);
  });
});

describe('simulate', () => {
  const body = { fleet: 'demo', jobs: 40, seed: 3, profiles: ['best-fit', 'default'], load: 0.7, mode: 'choose' };
  it('runs the same trace through each profile, reproducibly', async () => {
    const run = async () => (await plane.app.inject({ method: 'POST', url: '/api/v1/console/simulate', headers: plane.auth(plane.tokens.operator), payload: body })).json();
    const a = await run();
    expect(a.runs.map((r: { profile: string }) => r.profile)).toEqual(['best-fit', 'default']);
    expect(a.jobs).toBe(40);
    expect(a.jobsPerHour).toBeGreaterThan(0);
    for (const r of a.runs) expect(r.result.jobs.seen).toBe(40);
    expect(a.runs[0].result.jobs.completed).toBeGreaterThan(0);
    const b = await run();
    expect(b.runs.map((r: { result: unknown }) => r.result)).toEqual(a.runs.map((r: { result: unknown }) => r.result));
  });
  it('refuses unknown profiles and members', async () => {
    const bad = await plane.app.inject({ method: 'POST', url: '/api/v1/console/simulate', headers: plane.auth(plane.tokens.admin), payload: { ...body, profiles: ['nope'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain("/profiles/0: unknown profile 'nope'");
    const member = await plane.app.inject({ method: 'POST', url: '/api/v1/console/simulate', headers: plane.auth(plane.tokens.alice), payload: body });
    expect(member.statusCode).toBe(403);
  });
});

describe('static console', () => {
  it('serves index.html at / and gzipped, immutable assets', async () => {
    const index = await plane.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.headers['cache-control']).toBe('no-cache');
    const js = await plane.app.inject({ method: 'GET', url: '/assets/app-1.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(gunzipSync(js.rawPayload).toString()).toContain('console.log');
    const missing = await plane.app.inject({ method: 'GET', url: '/assets/nope.js' });
    expect(missing.statusCode).toBe(404);
  });
  it('lists the console routes in the OpenAPI document', async () => {
    const doc = (await plane.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const p of ['/api/v1/console/capacity', '/api/v1/console/heatmap', '/api/v1/console/simulate']) expect(Object.keys(doc.paths)).toContain(p);
  });
});
