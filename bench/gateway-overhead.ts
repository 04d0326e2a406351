/**
 * Gateway overhead: the same non-streaming requests at 2,000 requests/s sent to an emulator
 * directly (the baseline) and through `tessera gateway` (real processes on 127.0.0.1, keep-alive
 * both ways), in alternating phases; the added latency is the difference of the percentiles.
 * Then streaming: time to the first byte directly and through the gateway.
 */
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { cpuMs, openLoop, percentile, spawnEmulators, spawnGateway, timedPost, type Timed } from './gateway-support.js';

const RATE = 2000;
/** Short alternating phases, so that both paths see the same background load on a shared machine. */
const PHASES = 8;
const PHASE_REQUESTS = 500;

export async function run(): Promise<string[]> {
  const emus = await spawnEmulators([{ chip: 'nvidia-h20', model: 'm', timing: { ttftMs: 0, tpotMs: 0, maxBatch: 4096 } }]);
  const target = emus.urls[0] as string;
  const gw = await spawnGateway({ replicas: [{ id: 'r0', model: 'm', url: target, chip: 'nvidia-h20', maxBatch: 4096 }], overload: { queueFactor: 4 } });
  const via = gw.urls[0] as string;
  const lines: string[] = [];
  try {
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Say hello to the gateway benchmark.' }], max_tokens: 1 });
    const phase = async (url: string, n: number, rate = RATE): Promise<Timed[]> => {
      const out: Timed[] = [];
      await openLoop(rate, n, async () => {
        out.push(await timedPost(url, '/v1/chat/completions', body));
      });
      return out;
    };
    await phase(target, 500, 500); // warm both paths' sockets and JIT
    await phase(via, 500, 500);
    const f = (x: number): string => x.toFixed(3);
    lines.push(`machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at start (other work on a shared machine inflates both paths alike)`);
    for (const rate of [500, RATE]) {
      const direct: Timed[] = [];
      const gateway: Timed[] = [];
      const t0 = performance.now();
      let gatewayCpu = 0;
      let emulatorCpuDirect = 0;
      for (let k = 0; k < PHASES; k++) {
        const e0 = cpuMs(emus.pid);
        direct.push(...(await phase(target, PHASE_REQUESTS, rate)));
        const e1 = cpuMs(emus.pid);
        const g0 = cpuMs(gw.pid);
        gateway.push(...(await phase(via, PHASE_REQUESTS, rate)));
        const g1 = cpuMs(gw.pid);
        emulatorCpuDirect += (e1 ?? 0) - (e0 ?? 0);
        gatewayCpu += (g1 ?? 0) - (g0 ?? 0);
      }
      const achieved = ((direct.length + gateway.length) / (performance.now() - t0)) * 1000;
      const failed = [...direct, ...gateway].filter((t) => t.status !== 200).length;
      const d = direct.map((t) => t.totalMs);
      const g = gateway.map((t) => t.totalMs);
      const self = gateway.map((t) => t.gatewayMs ?? Number.NaN).filter((x) => Number.isFinite(x));
      lines.push(`non-streaming at ${rate} req/s offered (${achieved.toFixed(0)} achieved), ${direct.length} requests per path in ${PHASES} alternating phases (${failed} failed)`);
      lines.push(`  direct to emulator (baseline): p50 ${f(percentile(d, 50))} ms, p99 ${f(percentile(d, 99))} ms`);
      lines.push(`  through the gateway:           p50 ${f(percentile(g, 50))} ms, p99 ${f(percentile(g, 99))} ms`);
      lines.push(`  added by the gateway: p50 ${f(percentile(g, 50) - percentile(d, 50))} ms (target <= 1), p99 ${f(percentile(g, 99) - percentile(d, 99))} ms (target <= 5)`);
      lines.push(`  gateway's own time in its handler (x-tessera-gateway-ms): p50 ${f(percentile(self, 50))} ms, p99 ${f(percentile(self, 99))} ms`);
      if (cpuMs(gw.pid) !== null) lines.push(`  CPU per request (independent of the machine's load): gateway process ${((gatewayCpu / gateway.length) * 1000).toFixed(0)} us; baseline, the emulator answering directly ${((emulatorCpuDirect / direct.length) * 1000).toFixed(0)} us`);
    }

    const streamBody = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Stream a few tokens.' }], max_tokens: 8, stream: true });
    const sd: Timed[] = [];
    const sg: Timed[] = [];
    for (let k = 0; k < 2; k++) {
      await openLoop(200, 400, async () => {
        sd.push(await timedPost(target, '/v1/chat/completions', streamBody));
      });
      await openLoop(200, 400, async () => {
        sg.push(await timedPost(via, '/v1/chat/completions', streamBody));
      });
    }
    const fd = sd.map((t) => t.ttftMs ?? Number.NaN);
    const fg = sg.map((t) => t.ttftMs ?? Number.NaN);
    lines.push(`streaming at 200 req/s, ${sd.length} requests per path, 8 tokens each: first data event`);
    lines.push(`  direct p50 ${f(percentile(fd, 50))} ms, p99 ${f(percentile(fd, 99))} ms; through the gateway p50 ${f(percentile(fg, 50))} ms, p99 ${f(percentile(fg, 99))} ms`);
    lines.push(`  first-byte delta: p50 ${f(percentile(fg, 50) - percentile(fd, 50))} ms (target <= 1), p99 ${f(percentile(fg, 99) - percentile(fd, 99))} ms; every stream complete: ${[...sd, ...sg].every((t) => t.events === 8 && t.error === null)}`);
  } finally {
    gw.stop();
    emus.stop();
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void run().then((lines) => {
    for (const line of lines) process.stdout.write(`${line}\n`);
    process.exit(0);
  });
}
