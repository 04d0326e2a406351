import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

const shared = process.env.TESSERA_SHARED_DIR ?? new URL('../../../shared', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tessera-fgd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nodeLines = readFileSync(join(shared, 'data/openb/openb_node_list_gpu_node.csv'), 'utf8').split('\n');
const podLines = readFileSync(join(shared, 'data/openb/openb_pod_list_default.csv'), 'utf8').split('\n');
const nodesCsv = join(dir, 'nodes.csv');
const podsCsv = join(dir, 'pods.csv');
writeFileSync(nodesCsv, [nodeLines[0], ...nodeLines.slice(1).filter((l, i) => l && i % 20 === 0)].join('\n'));
writeFileSync(podsCsv, podLines.slice(0, 401).join('\n'));

describe('tessera sim fgd', () => {
  it('prints per policy the mean allocation per arrived-load column, with progress on stderr', async () => {
    const io = memoryIo({ TESSERA_SHARED_DIR: shared });
    const code = await runCli(['sim', 'fgd', '--workload', podsCsv, '--nodes', nodesCsv, '--policy', 'fgd,best-fit', '--seeds', '2', '--json'], io);
    expect(io.err()).toContain('[4/4] best-fit seed 43');
    expect(code).toBe(0);
    const out = JSON.parse(io.out()) as { policy: string; alloc: Record<string, number>; seeds: number[] }[];
    expect(out.map((o) => o.policy)).toEqual(['fgd', 'best-fit']);
    for (const o of out) {
      expect(o.seeds).toEqual([42, 43]);
      expect(Object.keys(o.alloc)).toContain('130');
      expect(o.alloc['0']).toBeLessThan(1);
      expect(o.alloc['130']).toBeGreaterThan(50);
      expect(o.alloc['130']).toBeLessThanOrEqual(100);
    }
  });

  it('prints a table without --json', async () => {
    const io = memoryIo({ TESSERA_SHARED_DIR: shared });
    expect(await runCli(['sim', 'fgd', '--workload', podsCsv, '--nodes', nodesCsv, '--policy', 'random', '--seeds', '1'], io)).toBe(0);
    expect(io.out()).toMatch(/policy\s+seeds\s+alloc@50%\s+alloc@100%\s+alloc@130%/);
  });

  it('explains bad input in one sentence', async () => {
    const io = memoryIo({ TESSERA_SHARED_DIR: shared });
    expect(await runCli(['sim', 'fgd', '--workload', podsCsv, '--nodes', nodesCsv, '--policy', 'tetris'], io)).toBe(1);
    expect(io.err()).toContain('unknown policy "tetris"');
    const io2 = memoryIo({ TESSERA_SHARED_DIR: shared });
    expect(await runCli(['sim', 'fgd', '--workload', join(dir, 'missing.csv'), '--nodes', nodesCsv], io2)).toBe(1);
    expect(io2.err()).toMatch(/^error: No such pod list/);
    const io3 = memoryIo({ TESSERA_SHARED_DIR: shared });
    expect(await runCli(['sim', 'fgd', '--workload', podsCsv, '--nodes', nodesCsv, '--seeds', 'ten'], io3)).toBe(1);
    expect(io3.err()).toContain('--seeds must be an integer');
  });
});
