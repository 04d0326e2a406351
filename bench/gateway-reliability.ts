/**
 * 10,000 requests (half streaming) through the gateway over three emulators that fail at random
 * (10% answer 500 before the first byte, 5% cut the connection mid-response; seeded): every
 * request must end in a full answer or a clear error, none silently truncated or hung. Baseline
 * in the same run: the same requests sent straight to one failing emulator, without the gateway.
 */
import { pathToFileURL } from 'node:url';
import { validateGatewayConfig } from '../src/gateway/config/index.js';
import { startEmulator, explicitTiming, type RunningEmulator } from '../src/gateway/emulator/index.js';
import { Gateway } from '../src/gateway/server/index.js';
import { seededRandom } from '../src/gateway/util/random.js';
import { timedPost, type Timed } from './gateway-support.js';

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
  const rng = seededRandom(2026);
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
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void run().then((lines) => {
    for (const line of lines) process.stdout.write(`${line}\n`);
    process.exit(0);
  });
}
