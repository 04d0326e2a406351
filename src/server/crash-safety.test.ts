/**
 * Crash safety of the real binary: `node bin/tessera.js serve` as a child process, a storm of
 * idempotent submissions while agents register and the loop binds cards, SIGKILL midway, restart
 * on the same data dir. Every acknowledged job must be there exactly once (its idempotency key
 * still maps to the same id), and no card share may be allocated twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'bin/tessera.js');
const built = existsSync(join(root, 'dist/src/cli/main.js'));
if (!built && process.env.CI === 'true') throw new Error('crash-safety test needs `npm run build` first (dist/ is missing)');

const admin = 'crash-test-admin-token';

/** The i-th submission of a worker: whole cards, gangs and half-card shares. */
function jobBody(key: string, i: number): Record<string, unknown> {
  const count = [1, 1, 2, 4][i % 4]!;
  const milli = count === 1 && i % 3 === 0 ? 500 : undefined;
  return { name: key, kind: 'batch', command: ['sleep', '1'], resources: { count, ...(milli ? { milliPerCard: milli } : {}) } };
}

function startServe(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir, '--interval-ms', '50', '--log-level', 'error'], {
    cwd: root,
    env: { ...process.env, TESSERA_ADMIN_TOKEN: admin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolveStart, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, base: m[1]! });
      }
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

describe.skipIf(!built)('crash safety of tessera serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-crash-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged job exactly once and never gives a card twice across SIGKILL', async () => {
    const first = await startServe(dir);
    children.push(first.child);
    const call = async (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = admin) => {
      const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    // Four 8-card nodes so the loop is binding while the storm runs.
    for (let n = 0; n < 4; n++) {
      const tok = (await call(first.base, 'POST', '/api/v1/tokens', { name: `agent-${n}`, role: 'agent', nodeId: `node-${n}` })).body.secret as string;
      const reg = await call(first.base, 'POST', '/api/v1/agent/register', { protocolVersion: 1, node: { id: `node-${n}`, cluster: 'c1', chip: 'nvidia-h20', devices: Array.from({ length: 8 }, (_, i) => ({ index: i })) } }, {}, tok);
      expect(reg.status).toBe(200);
    }
    const acked = new Map<string, string>();
    let sent = 0;
    let stop = false;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const key = `w${w}-${i}`;
        sent++;
        try {
          const res = await call(first.base, 'POST', '/api/v1/jobs', jobBody(key, i), { 'idempotency-key': key });
          if (res.status === 201 || res.status === 200) acked.set(key, res.body.id as string);
        } catch {
          return; // the server died mid-request: not acknowledged
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    while (acked.size < 300) await new Promise((r) => setTimeout(r, 10));
    const firstExit = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await firstExit;
    expect(acked.size).toBeGreaterThanOrEqual(300);

    const second = await startServe(dir);
    children.push(second.child);
    const all = new Map<string, number>();
    for (let offset = 0; ; offset += 1000) {
      const page = (await call(second.base, 'GET', `/api/v1/jobs?limit=1000&offset=${offset}`)).body as { items: { id: string; name: string }[]; total: number };
      for (const j of page.items) all.set(j.name, (all.get(j.name) ?? 0) + 1);
      if (offset + 1000 >= page.total) break;
    }
    for (const [key, id] of acked) {
      expect(all.get(key), key).toBe(1);
      // The key still maps to the same job: a client retrying after the crash gets it, not a duplicate.
      const again = await call(second.base, 'POST', '/api/v1/jobs', jobBody(key, Number(key.split('-')[1])), { 'idempotency-key': key });
      expect(again.status, key).toBe(200);
      expect(again.body.id).toBe(id);
    }
    expect([...all.values()].every((n) => n === 1)).toBe(true);
    expect(all.size).toBeLessThanOrEqual(sent);
    const secondExit = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    await secondExit;

    const db = new Database(join(dir, 'tessera.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT node_id, idx, SUM(milli) AS m FROM allocations GROUP BY node_id, idx HAVING SUM(milli) > 1000').all()).toEqual([]);
      const drift = db.prepare('SELECT d.node_id, d.idx FROM devices d LEFT JOIN (SELECT node_id, idx, SUM(milli) AS m FROM allocations GROUP BY node_id, idx) a ON a.node_id = d.node_id AND a.idx = d.idx WHERE d.used_milli <> COALESCE(a.m, 0)').all();
      expect(drift).toEqual([]);
      const holding = db.prepare("SELECT j.id, j.cards, COUNT(a.idx) AS n FROM jobs j LEFT JOIN allocations a ON a.job_id = j.id WHERE j.state IN ('Scheduled', 'Running') GROUP BY j.id, j.cards").all() as { cards: number; n: number }[];
      expect(holding.length).toBeGreaterThan(0);
      for (const h of holding) expect(h.n).toBe(h.cards);
      expect(db.prepare("SELECT COUNT(*) AS n FROM allocations a JOIN jobs j ON j.id = a.job_id WHERE j.state NOT IN ('Scheduled', 'Running')").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
