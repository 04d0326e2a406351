import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

describe('tessera gateway check / emulate', () => {
  it('validates the example config and lists its replicas', async () => {
    const io = memoryIo();
    expect(await runCli(['gateway', 'check', 'src/gateway/examples/gateway.yaml'], io)).toBe(0);
    expect(io.out()).toContain('h20-0');
    expect(io.out()).toContain('2 tenants, 2 API keys, routing slo');
    const json = memoryIo();
    expect(await runCli(['gateway', 'check', 'src/gateway/examples/gateway.yaml', '--json'], json)).toBe(0);
    expect((JSON.parse(json.out()) as { replicas: { chip: string }[] }).replicas.map((r) => r.chip)).toEqual(['nvidia-h20', 'nvidia-l20']);
  });

  it('names the file, line and field of a bad config in one sentence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-gw-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'replicas:\n  - id: a\n    model: m\n    url: http://127.0.0.1:1\n    chip: c\n    maxBatch: -2\n');
    const io = memoryIo();
    expect(await runCli(['gateway', 'check', file], io)).toBe(1);
    expect(io.err()).toBe(`error: ${file}:6, field /replicas/0/maxBatch: maxBatch: expected integer to be greater or equal to 1, got -2\n`);
  });

  it('refuses partial explicit timing for the emulator', async () => {
    const io = memoryIo();
    expect(await runCli(['emulate', '--chip', 'nvidia-h20', '--model', 'm', '--ttft-ms', '10'], io)).toBe(1);
    expect(io.err()).toMatch(/needs all of --ttft-ms, --tpot-ms and --max-batch/);
  });

  it('fills missing predictions from the performance model and says where it could not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-gw-'));
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, 'replicas:\n  - { id: a, model: llama-3.1-8b, url: "http://127.0.0.1:1", chip: h20 }\n  - { id: b, model: llama-3.1-8b, url: "http://127.0.0.1:2", chip: mystery-x1 }\n');
    const io = memoryIo();
    expect(await runCli(['gateway', 'check', file, '--json'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { replicas: { maxBatch?: number; kvCapacityTokens?: number; predicted?: { ttftMs: number; tpotMs: number; tpotMsAtMaxBatch: number } }[]; notes: string[] };
    const [a, b] = out.replicas;
    expect(a?.maxBatch).toBeGreaterThan(1);
    // The KV cache holds at least a full batch of typical requests (1,000 in + 256 out).
    expect(a?.kvCapacityTokens).toBeGreaterThanOrEqual((a?.maxBatch ?? Infinity) * 1256);
    expect(b?.kvCapacityTokens).toBeUndefined();
    expect(a?.predicted?.tpotMsAtMaxBatch).toBeGreaterThan(a?.predicted?.tpotMs ?? Infinity);
    expect(b?.predicted).toBeUndefined();
    expect(out.notes[1]).toBe('b: no prediction (chip mystery-x1 is not in the catalog); routing learns its speed from what it delivers');
  });
});
