/**
 * 10,000 requests (half streaming) through the gateway over three emulators that fail at random
 * (10% answer 500 before the first byte, 5% cut the connection mid-response; seeded): every
 * request must end in a full answer or a clear error, none silently truncated or hung. Baseline
 * in the same run: the same requests sent straight to one failing emulator, without the gateway.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { validateGatewayConfig } from '../src/gateway/config/index.js';
import { startEmulator, explicitTiming, type RunningEmulator } from '../src/gateway/emulator/index.js';
import { Gateway } from '../src/gateway/server/index.js';
import { seededRng } from '../src/lib/rng.js';
import { sleep, spawnEmulators, timedPost, type Timed } from './gateway-support.js';

const TOTAL = 10_000;
const CONCURRENCY = 64;
const TOKENS = 5;

interface Tally {
  full: number;
  clearError: number;
  silentLoss: number;
}

function classify(t: Timed, stream: boolean): keyof Tally {
  if (t.status === 0) return t.error ? 'clearError' : 'silentLoss';
  if (t.status !== 200) return t.error ? 'clearError' : 'silentLoss';
  if (t.error !== null) return 'clearError';
  if (stream) return t.events === TOKENS ? 'full' : 'silentLoss';
  return t.events === 0 ? 'full' : 'silentLoss';
}

async function drive(url: string): Promise<Tally> {
  const tally: Tally = { full: 0, clearError: 0, silentLoss: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < TOTAL) {
      const i = next++;
      const stream = i % 2 === 0;
      const t = await timedPost(url, '/v1/chat/completions', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: `request ${i}` }], max_tokens: TOKENS, stream }));
      // A non-streaming answer is full when it parsed as a completion: timedPost saw no error text and status 200.
      tally[classify(t, stream)]++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return tally;
}

export async function run(): Promise<string[]> {
  const rng = seededRng(2026).next;
  const faults = { errorRate: 0.1, abortRate: 0.05, random: rng };
  const emus: RunningEmulator[] = [];
  for (const chip of ['nvidia-h20', 'ascend-910b', 'metax-c500']) emus.push(await startEmulator({ model: 'm', chip, timing: explicitTiming({ ttftMs: 0, tpotMs: 0, maxBatch: 256 }), faults }));
  const gw = new Gateway(validateGatewayConfig({ replicas: emus.map((e, i) => ({ id: `r${i}`, model: 'm', url: e.url, chip: `chip-${i}`, maxBatch: 256 })), routing: { policy: 'least-request', retries: 3 }, health: { ejectAfterFailures: 1000 } }), { healthChecks: false });
  const { url } = await gw.listen(0);
  const lines: string[] = [];
  try {
    const t0 = performance.now();
    const direct = await drive((emus[0] as RunningEmulator).url);
    const t1 = performance.now();
    const via = await drive(url);
    const t2 = performance.now();
    const fmt = (t: Tally, ms: number): string => `${t.full} full, ${t.clearError} clear errors, ${t.silentLoss} silently lost (${((TOTAL / ms) * 1000).toFixed(0)} req/s)`;
    lines.push(`${TOTAL} requests, half streaming, backends failing 10% before the first byte and cutting 5% mid-response`);
    lines.push(`  straight to one emulator (baseline): ${fmt(direct, t1 - t0)}`);
    lines.push(`  through the gateway (3 replicas, 3 retries): ${fmt(via, t2 - t1)}; silent losses must be 0`);
  } finally {
    await gw.close();
    for (const e of emus) await e.kill();
  }
  lines.push(...(await killMidStream()));
  return lines;
}

/** Two emulator processes; 40 streams in flight; one process gets SIGKILL mid-stream. */
async function killMidStream(): Promise<string[]> {
  const a = await spawnEmulators([{ chip: 'nvidia-h20', model: 'm', timing: { ttftMs: 5, tpotMs: 20, maxBatch: 64 } }]);
  const b = await spawnEmulators([{ chip: 'ascend-910b', model: 'm', timing: { ttftMs: 5, tpotMs: 20, maxBatch: 64 } }]);
  const gw = new Gateway(validateGatewayConfig({ replicas: [{ id: 'a', model: 'm', url: a.urls[0] as string, chip: 'nvidia-h20', maxBatch: 64 }, { id: 'b', model: 'm', url: b.urls[0] as string, chip: 'ascend-910b', maxBatch: 64 }], routing: { policy: 'round-robin', affinity: false }, health: { ejectAfterFailures: 1, ejectMs: 60_000 } }), { healthChecks: false });
  const { url } = await gw.listen(0);
  try {
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'a long answer please' }], max_tokens: 100, stream: true });
    const t0 = performance.now();
    const streams = Array.from({ length: 40 }, () => timedPost(url, '/v1/chat/completions', body));
    await sleep(500); // ~25 tokens into each 100-token (2 s) stream
    a.kill();
    const done = await Promise.all(streams);
    const endedMs = performance.now() - t0;
    const onA = done.filter((t) => t.replica === 'a');
    const after = await Promise.all(Array.from({ length: 20 }, () => timedPost(url, '/v1/chat/completions', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 }))));
    return [
      `backend process SIGKILLed mid-stream: ${onA.length} streams on it, ${onA.filter((t) => t.error !== null).length} ended with an error event, ${onA.filter((t) => t.error === null && t.events === 100).length} complete, ${onA.filter((t) => t.error === null && t.events !== 100).length} silently cut; all 40 ended ${endedMs.toFixed(0)} ms after start (no hang)`,
      `  the other replica's ${done.length - onA.length} streams complete: ${done.filter((t) => t.replica === 'b').every((t) => t.error === null && t.events === 100)}; next 20 requests: ${after.filter((t) => t.status === 200 && t.replica === 'b').length} served by the surviving replica`,
    ];
  } finally {
    await gw.close();
    a.stop();
    b.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void run().then((lines) => {
    for (const line of lines) process.stdout.write(`${line}\n`);
    process.exit(0);
  });
}
