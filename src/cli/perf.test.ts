import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-perf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ ...process.env }, dir);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('tessera perf', () => {
  it('estimate --task inference --json prints the documented fields', async () => {
    const r = await run('perf', 'estimate', '--model', 'llama-3.1-70b', '--chip', 'h100', '--cards', '8', '--tp', '8', '--task', 'inference', '--input', '1024', '--output', '256', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const k of ['outputTokensPerSecPerCard', 'outputTokensPerSecTotal', 'ttftMs', 'tpotMs', 'batch']) expect(typeof j[k]).toBe('number');
    expect(j.fits).toBe(true);
    expect(j.layout).toMatchObject({ tp: 8, pp: 1, replicas: 1 });
    expect(['high', 'medium', 'low']).toContain(j.confidence);
    expect(j.assumptions.length).toBeGreaterThan(5);
    expect(j.outputTokensPerSecTotal).toBeCloseTo(j.outputTokensPerSecPerCard * 8, -1);
  });

  it('estimate --task train --json prints the documented fields', async () => {
    const r = await run('perf', 'estimate', '--model', 'llama-2-7b', '--chip', 'nvidia-h100', '--cards', '8', '--task', 'train', '--seq', '4096', '--global-batch-tokens', '524288', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const k of ['tokensPerSecPerCard', 'tflopsPerCard', 'mfu', 'memoryPerCardGiB']) expect(typeof j[k]).toBe('number');
    expect(j.fits).toBe(true);
    expect(j.mfu).toBeLessThan(1);
    expect(j.globalBatchTokens).toBe(524288);
  });

  it('a model file works like a preset', async () => {
    writeFileSync(join(dir, 'm.yaml'), 'id: small\nlayers: 24\nhiddenSize: 2048\nheads: 16\nintermediateSize: 5504\nvocabSize: 32000\n');
    const r = await run('perf', 'estimate', '--model', 'm.yaml', '--chip', 'h20', '--cards', '1', '--task', 'inference', '--input', '128', '--output', '128', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).model).toBe('small');
  });

  it('a model that does not fit answers fits: false with the reason', async () => {
    const r = await run('perf', 'estimate', '--model', 'llama-3.1-405b', '--chip', 'l20', '--cards', '1', '--task', 'inference', '--input', '128', '--output', '128', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ feasible: false, fits: false, kind: 'infeasible', outputTokensPerSecPerCard: null });
    expect(j.reason).toMatch(/does not fit/);
  });

  it('an unmeetable SLO is an explicit infeasible answer', async () => {
    const r = await run('perf', 'estimate', '--model', 'llama-3.1-70b', '--chip', 'h100', '--cards', '8', '--task', 'inference', '--input', '128', '--output', '128', '--tpot-ms', '0.5', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ feasible: false, kind: 'infeasible', reason: expect.stringMatching(/SLO cannot be met/) });
  });

  it.each([
    [['--model', 'no-such-model', '--chip', 'h100', '--cards', '1', '--task', 'inference', '--input', '1', '--output', '1'], /Unknown model "no-such-model"/],
    [['--model', 'llama-2-7b', '--chip', 'no-such-chip', '--cards', '1', '--task', 'inference', '--input', '1', '--output', '1'], /Unknown chip "no-such-chip"/],
    [['--model', 'llama-3.1-70b', '--chip', 'h100', '--cards', '6', '--tp', '3', '--task', 'inference', '--input', '1', '--output', '1'], /--tp 3 must divide the 64 attention heads/],
    [['--model', 'llama-3.1-70b', '--chip', 'h100', '--cards', '4', '--tp', '8', '--task', 'inference', '--input', '1', '--output', '1'], /needs more cards than the 4 given/],
    [['--model', 'llama-2-7b', '--chip', 'h100', '--cards', '1', '--task', 'inference', '--input', '0', '--output', '1'], /--input must be a positive whole number/],
    [['--model', 'llama-2-7b', '--chip', 'h100', '--cards', '1', '--task', 'inference', '--input', '10'], /--input and --output \(or --lengths\) are required/],
    [['--model', 'llama-2-7b', '--chip', 'h100', '--cards', '1', '--task', 'train'], /--seq is required/],
  ])('bad input %#: one clear sentence, exit 1', async (args, message) => {
    const r = await run('perf', 'estimate', ...args);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: /);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('matrix --csv over listed chips and classes', async () => {
    const r = await run('perf', 'matrix', '--chips', 'h20,h100', '--classes', 'llm-serve-8b,llm-pretrain-8b', '--csv');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('class,unit,nvidia-h20,nvidia-h100');
    expect(lines).toHaveLength(3);
  });

  it('matrix --h20eq --json: the H20 column is 1', async () => {
    const r = await run('perf', 'matrix', '--chips', 'h20,h200', '--classes', 'llm-decode-70b', '--h20eq', '--json');
    const j = JSON.parse(r.out);
    expect(j.values[0][0]).toBe(1);
    expect(j.values[0][1]).toBeGreaterThan(1);
  });

  it('best ranks chips by the objective', async () => {
    const r = await run('perf', 'best', '--model', 'llama-3.1-8b', '--task', 'inference', '--input', '512', '--output', '256', '--chips', 'h20,h100,l20', '--objective', 'time', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ranking[0]).toMatchObject({ rank: 1, chip: 'nvidia-h100' });
    expect(j.ranking.map((x: { chip: string }) => x.chip)).toHaveLength(3);
  });

  it('h20eq over a built-in fleet, per class', async () => {
    const r = await run('perf', 'h20eq', '--fleet', 'unicom-2025', '--classes', 'llm-pretrain-8b', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.classes[0]).toMatchObject({ workloadClass: 'llm-pretrain-8b', cards: 22832 });
    expect(j.classes[0].h20eq).toBeGreaterThan(0);
  });
});

describe('tessera perf: distributions and prices', () => {
  it('--lengths takes a weighted distribution', async () => {
    const r = await run('perf', 'estimate', '--model', 'llama-3.1-8b', '--chip', 'h100', '--cards', '1', '--task', 'inference', '--lengths', '100:100:3,900:500:1', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ meanInputTokens: 300, meanOutputTokens: 200 });
    const bad = await run('perf', 'estimate', '--model', 'llama-3.1-8b', '--chip', 'h100', '--cards', '1', '--task', 'inference', '--lengths', '100:0');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--lengths: "100:0" is not input:output/);
  });

  it('best --objective cost ranks by declared prices; chips without a price come last', async () => {
    const r = await run('perf', 'best', '--model', 'llama-3.1-8b', '--task', 'inference', '--input', '512', '--output', '256', '--chips', 'h20,h100,l20', '--objective', 'cost', '--prices', 'h20=5,l20=2', '--json');
    expect(r.code).toBe(0);
    const ranking = JSON.parse(r.out).ranking as { chip: string; score: number | null; rank: number | null; tokensPerSec: number }[];
    expect(ranking[2]).toMatchObject({ chip: 'nvidia-h100', score: null, rank: null });
    // CNY per million tokens = price per hour x cards / 3600 / tokens per second x 1e6
    for (const row of ranking.slice(0, 2)) {
      const price = row.chip === 'nvidia-h20' ? 5 : 2;
      expect(row.score).toBeCloseTo((price / 3600 / row.tokensPerSec) * 1e6, 3);
    }
    expect(ranking[0]!.score!).toBeLessThanOrEqual(ranking[1]!.score!);
  });
});

describe('tessera perf h20eq', () => {
  it('--class gives a chip -> H20-equivalents table usable as an h20eq quota argument', async () => {
    const r = await run('perf', 'h20eq', '--class', 'llm-decode-70b', '--chips', 'h20,h100,ppu', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.workloadClass).toBe('llm-decode-70b');
    expect(j.h20eq['nvidia-h20']).toBe(1);
    expect(j.h20eq['nvidia-h100']).toBeGreaterThan(1);
    expect(j.h20eq['thead-ppu']).toBeUndefined();
    expect(j.details.find((d: { chip: string }) => d.chip === 'thead-ppu').reason).toMatch(/cannot estimate/);
  });
});

describe('tessera perf: a length distribution from a request trace', () => {
  it('--lengths-file reads a vidur/splitwise trace into buckets; TTFT refers to the 90th-percentile prompt', async () => {
    const rows = ['arrived_at,num_prefill_tokens,num_decode_tokens'];
    for (let i = 0; i < 100; i++) rows.push(`${i},${i < 90 ? 200 : 4000},100`);
    writeFileSync(join(dir, 'trace.csv'), `${rows.join('\n')}\n`);
    const r = await run('perf', 'estimate', '--model', 'llama-3.1-8b', '--chip', 'h100', '--cards', '1', '--task', 'inference', '--lengths-file', 'trace.csv', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // 90 x 200 + 10 x 4000 over 100 requests
    expect(j.meanInputTokens).toBe(580);
    expect(j.meanOutputTokens).toBe(100);
    expect(j.ttftInputTokens).toBe(200);
    const bad = await run('perf', 'estimate', '--model', 'llama-3.1-8b', '--chip', 'h100', '--cards', '1', '--task', 'inference', '--lengths-file', 'nope.csv');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/does not exist/);
  });
});
