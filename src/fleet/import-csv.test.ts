import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError, formatIssue } from '../lib/errors.js';
import { importBuiltinFleet } from './builtin/index.js';
import { alibaba2026Mapping, openbMapping } from './builtin/trace-mappings.js';
import { parseCsv } from './csv.js';
import { expandFleet } from './expand.js';
import { importFleetCsv } from './import-csv.js';
import { summarizeFleet } from './summary.js';
import { builtinCatalog } from '../catalog/index.js';

const catalog = builtinCatalog();
const shared = process.env.TESSERA_SHARED_DIR ?? new URL('../../../shared', import.meta.url).pathname;
const read = (path: string): string => readFileSync(`${shared}/${path}`, 'utf8');

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, CRLF, and records the line of each record', () => {
    const { records, lines } = parseCsv('a,b\r\n"x,1","say ""hi"""\n\n"multi\nline",2\n');
    expect(records).toEqual([['a', 'b'], ['x,1', 'say "hi"'], ['multi\nline', '2']]);
    expect(lines).toEqual([1, 2, 4]);
  });
});

describe('importFleetCsv on real traces', () => {
  it('openb: 1213 nodes and 6212 GPUs, node names kept, grouped by identical machines', () => {
    const imported = importBuiltinFleet('openb', read('data/openb/openb_node_list_gpu_node.csv'), catalog);
    expect([imported.rows, imported.nodes, imported.cards]).toEqual([1213, 1213, 6212]);
    const fleet = expandFleet(imported.doc);
    expect(fleet.nodes).toHaveLength(1213);
    expect(fleet.nodes.reduce((s, n) => s + n.devices.length, 0)).toBe(6212);
    expect(fleet.nodes[0]).toMatchObject({ id: 'openb-node-0000', chip: 'nvidia-p100', cards: 2, cpuMilli: 64000, memoryMiB: 262144 });
    // Far fewer groups than nodes: identical machines share one.
    expect(imported.doc.nodeGroups.length).toBeLessThan(60);
    const s = summarizeFleet(fleet, catalog);
    // G2: 549 nodes x 8 = 4392 GPUs (counted from the CSV's gpu and model columns)
    expect(s.byChip.find((c) => c.chip === 'openb-g2')).toMatchObject({ servers: 549, cards: 4392 });
    expect(s.byChip.map((c) => c.chip).sort()).toEqual(['nvidia-a10', 'nvidia-p100', 'nvidia-t4', 'nvidia-v100-16g', 'nvidia-v100-32g', 'openb-g2', 'openb-g3']);
  });

  it('alibaba-2026: maps named models, skips the anonymised series and says how many', () => {
    const imported = importBuiltinFleet('alibaba-2026', read('data/alibaba-2026/node_info_df.csv'), catalog);
    // 4278 rows: A10 2494 + A100 432 + A800 22 + H800 219 = 3167 kept; series-1 989 + series-2 122 = 1111 skipped
    expect(imported.rows).toBe(4278);
    expect(imported.nodes).toBe(3167);
    expect(imported.skipped).toEqual([
      { reason: 'model GPU-series-1 has no catalog chip', machines: 989 },
      { reason: 'model GPU-series-2 has no catalog chip', machines: 122 },
    ]);
    // A10 x1 + A100 x8 + A800 x8 + H800 x8 = 2494 + 3456 + 176 + 1752
    expect(imported.cards).toBe(2494 + 432 * 8 + 22 * 8 + 219 * 8);
    expect(imported.doc.nodeGroups.find((g) => g.chip === 'nvidia-h800')?.cpuMilli).toBeGreaterThan(0);
  });

  it('pai-2020: a headerless file with the header given in the mapping', () => {
    const imported = importBuiltinFleet('pai-2020', read('data/pai-2020/pai_machine_spec.csv'), catalog);
    // 1897 machines; 83 CPU-only and 280 MISC left out: 1534 GPU machines
    expect(imported.rows).toBe(1897);
    expect(imported.nodes).toBe(1534);
    expect(imported.cards).toBe(798 * 2 + 497 * 2 + 104 * 8 + 135 * 8);
    expect(imported.doc.nodeGroups.every((g) => g.memoryMiB !== undefined && g.memoryMiB % 1024 === 0)).toBe(true);
  });
});

describe('importFleetCsv: bad node lists', () => {
  const issues = (text: string): string[] => {
    try {
      importFleetCsv(text, 'nodes.csv', openbMapping);
    } catch (e) {
      if (e instanceof ValidationError) return e.issues.map(formatIssue);
      throw e;
    }
    throw new Error('expected a rejection');
  };

  it('names a missing column and the header it found', () => {
    expect(issues('sn,cpu,memory_mib,gpu,model\nn1,1,1,1,T4\n')).toEqual(['nodes.csv:1, field /columns/cpu_milli: column "cpu_milli" not found; the header has sn, cpu, memory_mib, gpu, model']);
  });

  it('reports bad rows with their lines: bad count, unknown model, duplicate name', () => {
    const csv = 'sn,cpu_milli,memory_mib,gpu,model\nn1,1000,1024,two,T4\nn2,1000,1024,1,H100\nn3,1000,1024,1,T4\nn3,1000,1024,1,T4\n';
    expect(issues(csv)).toEqual([
      'nodes.csv:2, field /gpu: card count "two" is not a whole number, 0 or more',
      'nodes.csv:3, field /model: model "H100" is not in the mapping (known: G1, G2, G3, T4, P100, V100M16, V100M32, A10)',
      'nodes.csv:5, field /sn: duplicate node name "n3" (first on line 4)',
    ]);
  });

  it('an empty node list', () => {
    expect(issues('sn,cpu_milli,memory_mib,gpu,model\n')).toEqual(['nodes.csv:1, field /: the CSV has no data rows']);
  });

  it('keeps the trace model as a label and the cluster from the mapping', () => {
    const { doc } = importFleetCsv('node_name,gpu_model,gpu_capacity_num,cpu_num\nx1,H800,8,96\n', 'n.csv', alibaba2026Mapping);
    expect(doc.nodeGroups[0]).toMatchObject({ id: 'h800-8x-96c', cluster: 'alibaba-2026', chip: 'nvidia-h800', cpuMilli: 96000, nodeNames: ['x1'], labels: { 'trace.model': 'H800' } });
  });
});
