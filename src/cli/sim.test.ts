import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-sim-'));
// demo-sized fleet written as a file, so the test does not depend on a built-in fleet's contents.
const fleetFile = join(dir, 'fleet.json');
writeFileSync(
  fleetFile,
  JSON.stringify({ name: 'tiny', clusters: [{ id: 'c1' }], nodeGroups: [{ id: 'g1', cluster: 'c1', chip: 'nvidia-h20', servers: 2, cardsPerServer: 8 }, { id: 'g2', cluster: 'c1', chip: 'nvidia-a100', servers: 1, cardsPerServer: 8 }] }),
);
const traceFile = join(dir, 'jobs.jsonl');
writeFileSync(
  traceFile,
  [
    '{"id":"a","submitTimeSec":0,"cards":8,"chips":"nvidia-h20","durationSec":3600}',
    '{"id":"b","submitTimeSec":0,"cards":8,"chips":"nvidia-h20","durationSec":3600}',
    '{"id":"c","submitTimeSec":10,"cards":8,"chips":"nvidia-h20","durationSec":1800}',
    '{"id":"d","submitTimeSec":20,"cards":1,"milliPerCard":500,"durationSec":600,"tenant":"t2"}',
  ].join('\n'),
);

describe('tessera sim', () => {
  it('run prints the metrics table', async () => {
    const io = memoryIo();
    const code = await runCli(['sim', 'run', '--fleet', fleetFile, '--trace', `jsonl:${traceFile}`, '--policy', 'best-fit'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toMatch(/jobs completed\s+4 \/ 4/);
    // c waits for a or b (both H20 nodes busy until 3600): JCT 3600 + 1800 - 10.
    expect(io.out()).toMatch(/makespan \(h\)\s+1\.50/);
  });

  it('run --json gives the result object and --report writes self-contained HTML', async () => {
    const io = memoryIo();
    const report = join(dir, 'r.html');
    const code = await runCli(['sim', 'run', '--fleet', fleetFile, '--trace', `jsonl:${traceFile}`, '--policy', 'best-fit', '--json', '--report', report], io);
    expect(code).toBe(0);
    const out = JSON.parse(io.out()) as { runs: { policy: string; jobs: { completed: number }; queueDelaySec: { mean: number } }[] };
    expect(out.runs[0]?.jobs.completed).toBe(4);
    // Delays: 0, 0, 3590 (c), 0 -> mean 897.5.
    expect(out.runs[0]?.queueDelaySec.mean).toBeCloseTo(897.5, 6);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('compare runs several profiles side by side', async () => {
    const io = memoryIo();
    const code = await runCli(['sim', 'compare', '--fleet', fleetFile, '--trace', `jsonl:${traceFile}`, '--policies', 'random,best-fit'], io);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/metric\s+random\s+best-fit/);
  });

  it('explain says why a job waited', async () => {
    const io = memoryIo();
    const code = await runCli(['sim', 'explain', 'c', '--fleet', fleetFile, '--trace', `jsonl:${traceFile}`, '--policy', 'best-fit'], io);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/c \(best-fit\): submitted 10 s, started 3600 s on nvidia-h20, finished 5400 s/);
    expect(io.out()).toMatch(/waited 3590 s/);
    expect(io.out()).toMatch(/plugin/);
  });

  it('reports a malformed trace line with file:line, or skips it with --skip-bad', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id":"a","submitTimeSec":0,"cards":1,"durationSec":5}\n{"id":"b","submitTimeSec":"soon","cards":1}\n');
    const io = memoryIo();
    expect(await runCli(['sim', 'run', '--fleet', fleetFile, '--trace', `jsonl:${bad}`], io)).toBe(1);
    expect(io.err()).toMatch(/^error: .*bad\.jsonl:2, field \/submitTimeSec: /);
    const io2 = memoryIo();
    expect(await runCli(['sim', 'run', '--fleet', fleetFile, '--trace', `jsonl:${bad}`, '--skip-bad'], io2)).toBe(0);
    expect(io2.out()).toMatch(/1 malformed trace line\(s\) skipped/);
  });

  it('refuses an unknown trace kind and an unknown profile in one sentence', async () => {
    const io = memoryIo();
    expect(await runCli(['sim', 'run', '--fleet', fleetFile, '--trace', 'csv:x'], io)).toBe(1);
    expect(io.err()).toMatch(/^error: unknown trace kind "csv"/);
    const io2 = memoryIo();
    expect(await runCli(['sim', 'compare', '--fleet', fleetFile, '--trace', `jsonl:${traceFile}`, '--policies', 'nope'], io2)).toBe(1);
    expect(io2.err()).toMatch(/^error: unknown scheduler profile "nope"/);
  });

  it('runs the synthetic mix on a fleet', async () => {
    const io = memoryIo();
    const code = await runCli(['sim', 'run', '--fleet', fleetFile, '--trace', 'synthetic:50,seed=2,load=0.5', '--policy', 'best-fit', '--json'], io);
    expect(code).toBe(0);
    const out = JSON.parse(io.out()) as { runs: { jobs: { seen: number; completed: number; rejected: number } }[] };
    expect(out.runs[0]?.jobs.seen).toBe(50);
    expect((out.runs[0]?.jobs.completed ?? 0) + (out.runs[0]?.jobs.rejected ?? 0)).toBe(50);
  });
});
