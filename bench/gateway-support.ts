/**
 * Shared plumbing of the gateway benchmarks (no `run()`: the bench runner skips it): real
 * emulator and gateway processes on 127.0.0.1, an HTTP client on keep-alive sockets, percentiles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** dist/bench -> repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const distSrc = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

export interface EmulatorSpec {
  chip: string;
  model: string;
  /** Explicit timing, or `perf` (performance model) with its options; `speedup` divides every time. */
  timing: { ttftMs: number; tpotMs: number; maxBatch: number } | { perf: { inputTokens: number; outputTokens: number; maxBatchCap: number } };
  speedup?: number;
}

export interface ChildHandle {
  urls: string[];
  info: unknown[];
  stop(): void;
  /** SIGKILL: the process dies at once, its sockets cut by the kernel. */
  kill(): void;
  pid: number;
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux); null elsewhere. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Starts emulators in one child process (one server each); resolves with their URLs. */
export function spawnEmulators(specs: EmulatorSpec[]): Promise<ChildHandle> {
  const script = `
    const emu = await import(${JSON.stringify(pathToFileURL(join(distSrc, 'gateway/emulator/index.js')).href)});
    const cat = await import(${JSON.stringify(pathToFileURL(join(distSrc, 'catalog/index.js')).href)});
    const models = await import(${JSON.stringify(pathToFileURL(join(distSrc, 'workload/models/index.js')).href)});
    const specs = ${JSON.stringify(specs)};
    const out = [];
    for (const s of specs) {
      let t = 'perf' in s.timing
        ? emu.perfTiming(models.resolveModel(s.model), cat.builtinCatalog().get(s.chip), s.timing.perf)
        : emu.explicitTiming(s.timing);
      const f = s.speedup ?? 1;
      if (f !== 1) { const b = t; t = { ...b, source: b.source + ' /' + f, prefillMs: (p) => b.prefillMs(p) / f, decodeStepMs: (n) => b.decodeStepMs(n) / f }; }
      const e = await emu.startEmulator({ model: s.model, chip: s.chip, timing: t, port: 0 });
      out.push({ url: e.url, maxBatch: t.maxBatch, kvCapacityTokens: t.kvCapacityTokens, prefillMsPer1k: t.prefillMs(1000) * f, tpotMsAtHalf: t.decodeStepMs(Math.max(1, Math.round(t.maxBatch / 2))) * f, tpotMs1: t.decodeStepMs(1) * f, tpotMsMax: t.decodeStepMs(t.maxBatch) * f, source: t.source });
    }
    process.stdout.write(JSON.stringify(out) + '\\n');
  `;
  return new Promise((resolveP, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const info = JSON.parse(buf.slice(0, nl)) as { url: string }[];
      resolveP({ urls: info.map((i) => i.url), info, stop: () => stopChild(child), kill: () => killChild(child), pid: child.pid ?? -1 });
    });
    child.on('exit', (code) => reject(new Error(`emulator process exited with ${code}`)));
  });
}

/** Starts `tessera gateway` as a child process with this config; resolves with its URL. */
export function spawnGateway(config: unknown): Promise<ChildHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-gw-'));
  const file = join(dir, 'gateway.json');
  writeFileSync(file, JSON.stringify(config));
  return new Promise((resolveP, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tessera.js'), 'gateway', '--config', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /gateway: (http:\/\/[0-9.]+:\d+)/.exec(buf);
      if (m?.[1]) resolveP({ urls: [m[1]], info: [], stop: () => stopChild(child), kill: () => killChild(child), pid: child.pid ?? -1 });
    });
    child.on('exit', (code) => reject(new Error(`gateway process exited with ${code}`)));
  });
}

function killChild(child: ChildProcess): void {
  child.removeAllListeners('exit');
  child.kill('SIGKILL');
}

function stopChild(child: ChildProcess): void {
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 2000).unref();
}

export const agent = new Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });

export interface Timed {
  status: number;
  /** Send to end of body. */
  totalMs: number;
  /** Send to first body byte. */
  firstByteMs: number;
  /** Send to first SSE data event. */
  ttftMs: number | null;
  /** Mean time between content events after the first. */
  tpotMs: number | null;
  events: number;
  gatewayMs: number | null;
  replica: string | null;
  error: string | null;
}

/** POSTs JSON and times it; for SSE answers, counts events and their pacing. */
export function timedPost(url: string, path: string, body: string): Promise<Timed> {
  return new Promise((done) => {
    const u = new URL(url);
    const t0 = performance.now();
    let first = -1;
    let firstEvent = -1;
    let lastEvent = -1;
    let events = 0;
    let errorText: string | null = null;
    const req = request({ host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', (c: Buffer) => {
        const t = performance.now();
        if (first < 0) first = t;
        const s = c.toString();
        if (s.includes('"error"')) errorText = s.slice(0, 200);
        for (let i = s.indexOf('data: {'); i >= 0; i = s.indexOf('data: {', i + 6)) {
          events++;
          if (firstEvent < 0) firstEvent = t;
          lastEvent = t;
        }
      });
      res.on('end', () => {
        const end = performance.now();
        const gm = res.headers['x-tessera-gateway-ms'];
        done({
          status: res.statusCode ?? 0,
          totalMs: end - t0,
          firstByteMs: first < 0 ? end - t0 : first - t0,
          ttftMs: firstEvent < 0 ? null : firstEvent - t0,
          tpotMs: events > 1 ? (lastEvent - firstEvent) / (events - 1) : null,
          events,
          gatewayMs: typeof gm === 'string' ? Number(gm) : null,
          replica: (res.headers['x-tessera-replica'] as string | undefined) ?? null,
          error: res.statusCode === 200 ? errorText : `HTTP ${res.statusCode}`,
        });
      });
      res.on('error', (e) => done({ status: 0, totalMs: performance.now() - t0, firstByteMs: -1, ttftMs: null, tpotMs: null, events, gatewayMs: null, replica: null, error: e.message }));
    });
    req.on('error', (e) => done({ status: 0, totalMs: performance.now() - t0, firstByteMs: -1, ttftMs: null, tpotMs: null, events: 0, gatewayMs: null, replica: null, error: e.message }));
    req.end(body);
  });
}

export { percentile } from '../src/lib/stats.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends `count` requests at `perSec` (open loop, in 5 ms ticks) and resolves when all have answered. */
export async function openLoop(perSec: number, count: number, send: (i: number) => Promise<void>): Promise<void> {
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) * perSec) / 1000) + 1);
    while (sent < due) pending.push(send(sent++));
    await sleep(5);
  }
  await Promise.all(pending);
}
