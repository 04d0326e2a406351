/**
 * Control-plane submissions: POST /api/v1/jobs on SQLite over loopback against a real
 * `tessera serve` child process (scheduling loop on), while 1,747 simulated agents (the unicom-2025
 * node count) heartbeat every 5 s over HTTP. Open loop at the target rate, then closed loop for the
 * ceiling. Baseline in the same run: GET /healthz (authentication-free HTTP floor) at the same rate.
 * Target (issue 5): >= 2,000 submissions/s with p99 < 50 ms.
 */
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openLoop, percentile, spawnServe, timedRequest, type Timed } from './server-support.js';

const AGENTS = 1747;
const HEARTBEAT_SEC = 5;
const RATE = 2000;
const SECONDS = 8;

export async function run(): Promise<string[]> {
  const admin = 'bench-admin-token';
  const serve = await spawnServe(admin, ['--interval-ms', '1000']);
  const lines: string[] = [`machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at start; server and load generator share it`];
  let beating = true;
  try {
    const t0 = performance.now();
    const tokens: string[] = [];
    for (let i = 0; i < AGENTS; i += 64) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(64, AGENTS - i) }, async (_, k) => {
          const id = `node-${i + k}`;
          const tok = JSON.parse((await timedRequest(serve.base, 'POST', '/api/v1/tokens', admin, { name: id, role: 'agent', nodeId: id })).body).secret as string;
          await timedRequest(serve.base, 'POST', '/api/v1/agent/register', tok, { protocolVersion: 1, node: { id, cluster: 'c1', chip: 'nvidia-h20', devices: Array.from({ length: 8 }, (_, d) => ({ index: d })), stacks: ['cuda'] } });
          return tok;
        }),
      );
      tokens.push(...batch);
    }
    process.stderr.write(`server-submit: ${AGENTS} agents registered\n`);
    lines.push(`setup: ${AGENTS} agents with their own tokens registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Heartbeats: every node once per HEARTBEAT_SEC, spread evenly (AGENTS / HEARTBEAT_SEC per second).
    const hbLatencies: number[] = [];
    const heartbeats = (async () => {
      let n = 0;
      const start = performance.now();
      while (beating) {
        const due = start + (n * HEARTBEAT_SEC * 1000) / AGENTS;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const i = n % AGENTS;
        void timedRequest(serve.base, 'POST', '/api/v1/agent/heartbeat', tokens[i]!, { protocolVersion: 1, nodeId: `node-${i}`, devices: [{ index: 0, utilPct: 50, healthy: true }], running: [] }).then((t) => hbLatencies.push(t.ms));
        n++;
      }
    })();

    const job = { name: 'bench', kind: 'batch', command: ['sleep', '1'], resources: { count: 1 } };
    const submit = async (out: Timed[], i: number): Promise<void> => {
      out.push(await timedRequest(serve.base, 'POST', '/api/v1/jobs', admin, job, { 'idempotency-key': `k-${i}-${Math.random()}` }));
    };
    await openLoop(500, 1000, (i) => submit([], i)); // warm-up: sockets, JIT, SQLite cache

    const health: Timed[] = [];
    const healthSec = await openLoop(RATE, RATE * 2, async () => {
      health.push(await timedRequest(serve.base, 'GET', '/healthz', admin));
    });
    const submitted: Timed[] = [];
    const sec = await openLoop(RATE, RATE * SECONDS, (i) => submit(submitted, i));
    const stats = (ts: Timed[], wall: number) => {
      const ok = ts.filter((t) => t.status === 201 || t.status === 200);
      const ms = ok.map((t) => t.ms).sort((a, b) => a - b);
      return { rate: ok.length / wall, p50: percentile(ms, 50), p99: percentile(ms, 99), errors: ts.length - ok.length };
    };
    const h = stats(health, healthSec);
    const s = stats(submitted, sec);
    lines.push(`baseline GET /healthz at ${RATE}/s: ${h.rate.toFixed(0)}/s answered, p50 ${h.p50.toFixed(2)} ms, p99 ${h.p99.toFixed(2)} ms`);
    lines.push(`POST /api/v1/jobs at ${RATE}/s for ${SECONDS} s: ${s.rate.toFixed(0)}/s accepted (${s.errors} errors), p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms; p99 ratio to baseline ${(s.p99 / h.p99).toFixed(1)}x`);
    lines.push(`  target >= 2000/s with p99 < 50 ms: ${s.rate >= 1990 && s.p99 < 50 ? 'met' : 'NOT met'}`);

    // Closed loop: the ceiling with 64 submitters.
    const closed: Timed[] = [];
    const c0 = performance.now();
    let k = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (performance.now() - c0 < 4000) await submit(closed, k++);
      }),
    );
    const c = stats(closed, (performance.now() - c0) / 1000);
    lines.push(`closed loop, 64 submitters, 4 s: ${c.rate.toFixed(0)} submissions/s, p99 ${c.p99.toFixed(1)} ms`);
    const hb = [...hbLatencies].sort((a, b) => a - b);
    lines.push(`heartbeats meanwhile: ${hb.length} (${(AGENTS / HEARTBEAT_SEC).toFixed(0)}/s), p99 ${percentile(hb, 99).toFixed(2)} ms`);
    beating = false;
    await heartbeats;
  } finally {
    beating = false;
    await serve.stop();
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void run().then((lines) => console.log(lines.join('\n')));
}
