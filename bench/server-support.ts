/**
 * Helpers for the control-plane benchmarks: a `tessera serve` child process on loopback and a
 * keep-alive HTTP client with latency timing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServeHandle {
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function spawnServe(adminToken: string, extra: string[] = []): Promise<ServeHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const child = spawn(process.execPath, [...nodeArgs(), join(repoRoot, 'bin/tessera.js'), 'serve', '--port', '0', '--data-dir', dir, '--log-level', 'error', ...extra], {
    cwd: repoRoot,
    env: { ...process.env, TESSERA_ADMIN_TOKEN: adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const base = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) ok(m[1]!);
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${out}`)));
  });
  return {
    base,
    child,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // A profiled server needs longer to write its profile.
      await Promise.race([exited, new Promise((r) => setTimeout(r, nodeArgs().length > 0 ? 30_000 : 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export interface Timed {
  status: number;
  ms: number;
  body: string;
}

export function timedRequest(base: string, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Timed> {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const t0 = performance.now();
  return new Promise((ok) => {
    const req = request(
      { agent, hostname: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, ms: performance.now() - t0, body: text }));
        // A socket closed mid-answer: count it as failed rather than wait forever.
        res.on('close', () => ok({ status: res.complete ? (res.statusCode ?? 0) : 0, ms: performance.now() - t0, body: text }));
      },
    );
    req.on('error', () => ok({ status: 0, ms: performance.now() - t0, body: '' }));
    if (payload) req.write(payload);
    req.end();
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Sends `total` requests at `ratePerSec`, open loop (arrivals do not wait for answers). */
export async function openLoop(ratePerSec: number, total: number, send: (i: number) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / ratePerSec;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(i));
  }
  await Promise.all(inFlight);
  return (performance.now() - t0) / 1000;
}

/** Extra node flags for the server child, e.g. TESSERA_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it. */
function nodeArgs(): string[] {
  return (process.env.TESSERA_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
}
