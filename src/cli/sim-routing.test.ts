import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-simroute-'));
const trace = join(dir, 'trace.csv');
// 200 requests of 1,000 prompt tokens, 10 a second, on a fleet of two fast and one slow replica.
writeFileSync(trace, ['arrived_at,num_prefill_tokens,num_decode_tokens', ...Array.from({ length: 200 }, (_, i) => `${(i / 10).toFixed(2)},${1000 + (i % 7) * 300},${50 + (i % 5) * 40}`)].join('\n'));
const base = ['sim', 'routing', '--model', 'llama-3.1-8b', '--replicas', 'h20:2,a10', '--traffic', trace];

describe('tessera sim routing', () => {
  it('replays a trace per policy, deterministically, with every request served', async () => {
    const run = async (): Promise<string> => {
      const io = memoryIo();
      expect(await runCli([...base, '--slo', 'ttft=2000,tpot=100', '--json'], io)).toBe(0);
      expect(io.err()).toBe('');
      return io.out();
    };
    const first = await run();
    expect(await run()).toBe(first);
    const out = JSON.parse(first) as { requests: number; replicas: { chip: string }[]; results: { policy: string; rejected: number; perReplica: { requests: number }[]; ttftMs: { p99: number }; sloAttainment: number }[] };
    expect(out.requests).toBe(200);
    expect(out.replicas.map((r) => r.chip)).toEqual(['nvidia-h20', 'nvidia-h20', 'nvidia-a10']);
    expect(out.results.map((r) => r.policy)).toEqual(['round-robin', 'least-request', 'slo']);
    for (const r of out.results) {
      expect(r.rejected).toBe(0);
      expect(r.perReplica.reduce((a, x) => a + x.requests, 0)).toBe(200);
      expect(r.sloAttainment).toBeGreaterThan(0);
    }
    // Round-robin splits evenly whatever the replicas are.
    expect(out.results[0]!.perReplica.map((x) => x.requests)).toEqual([67, 67, 66]);
  });

  it('replays synthetic Poisson traffic from a rate and a length mix, the same for the same seed', async () => {
    const run = async (seed: number): Promise<{ requests: number; arrivalSpanSec: number; meanRatePerSec: number; results: { perReplica: { requests: number }[] }[] }> => {
      const io = memoryIo();
      expect(await runCli(['sim', 'routing', '--model', 'llama-3.1-8b', '--replicas', 'h20:2', '--traffic', `rate=5,mix=500:50:3+2000:100:1,seed=${seed}`, '--count', '400', '--policies', 'slo', '--json'], io)).toBe(0);
      return JSON.parse(io.out());
    };
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(a.requests).toBe(400);
    // 399 gaps at 5 a second: about 80 s (Poisson: within 20%).
    expect(a.meanRatePerSec).toBeGreaterThan(4);
    expect(a.meanRatePerSec).toBeLessThan(6);
    expect(a.results[0]!.perReplica.reduce((n, r) => n + r.requests, 0)).toBe(400);
  });

  it('replays multi-turn conversations on engines that cache prefixes, with affinity', async () => {
    const io = memoryIo();
    const args = ['sim', 'routing', '--model', 'llama-3.1-8b', '--replicas', 'h20:2,a10', '--traffic', 'rate=3,in=300,out=100,sessions=40,seed=4', '--count', '400', '--slo', 'ttft=1000,tpot=100', '--json'];
    expect(await runCli([...args, '--prefix-cache', '400000', '--affinity'], io)).toBe(0);
    const cached = JSON.parse(io.out()) as { results: { policy: string; ttftMs: { p50: number } }[] };
    const plain = memoryIo();
    expect(await runCli(args, plain)).toBe(0);
    const uncached = JSON.parse(plain.out()) as typeof cached;
    // Conversations resend their history: with the cache, the SLO router's typical first token is far sooner.
    const p50 = (r: typeof cached, policy: string) => r.results.find((x) => x.policy === policy)!.ttftMs.p50;
    expect(p50(cached, 'slo')).toBeLessThan(p50(uncached, 'slo') / 2);
  });

  it('prints a table', async () => {
    const io = memoryIo();
    expect(await runCli([...base, '--policies', 'slo', '--count', '50', '--rate', '5'], io)).toBe(0);
    expect(io.out()).toMatch(/^\[simulated\] 50 requests of .* over 9\.8 s/);
    expect(io.out()).toMatch(/r2-nvidia-a10: max batch \d+, KV \d+ tokens/);
    expect(io.out()).toMatch(/\nslo +\d+ ms/);
  });

  it.each([
    [['--policies', 'fastest'], /--policies: unknown policy 'fastest'/],
    [['--replicas', 'h20:x'], /--replicas h20 count must be a positive number/],
    [['--replicas', 'no-such-chip'], /no-such-chip/],
    [['--replicas', 'h20,ppu'], /--replicas ppu: The performance model cannot time .* Leave that chip out\./],
    [['--count', '1'], /count must be a whole number >= 2/],
    [['--offset', '500'], /a window from 500 needs at least 2/],
    [['--slo', 'ttft=5'], /--slo needs both ttft and tpot/],
    [['--rate', '-3'], /--rate must be a positive number/],
    [['--traffic', join(dir, 'missing.csv')], /No such traffic trace/],
    [['--traffic', 'rate=5,in=100'], /needs in=<input tokens> and out=<output tokens>/],
    [['--traffic', 'rate=5,in=100,out=10,burst=2'], /unknown key 'burst'/],
  ])('rejects %j with one sentence naming it', async (extra, message) => {
    const io = memoryIo();
    const args = [...base];
    for (let i = 0; i < extra.length; i += 2) {
      const at = args.indexOf(extra[i]!);
      if (at >= 0) args[at + 1] = extra[i + 1]!;
      else args.push(extra[i]!, extra[i + 1]!);
    }
    expect(await runCli(args, io)).toBe(1);
    expect(io.err()).toMatch(message);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });
});
