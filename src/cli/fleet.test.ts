import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-fleet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ ...process.env }, dir);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const GOOD = `name: lab
clusters: [{ id: bj }]
nodeGroups:
  - { id: h20, cluster: bj, chip: h20, servers: 2, cardsPerServer: 8 }
  - { id: ascend, cluster: bj, chip: 910b, servers: 3, cardsPerServer: 8 }
`;

describe('tessera fleet summary', () => {
  it('unicom-2025 --json: 1747 servers, 22832 cards, contracts, 3579 vs 3479 and the warning', async () => {
    const { code, out, err } = await run('fleet', 'summary', 'unicom-2025', '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const s = JSON.parse(out) as {
      servers: number;
      cards: number;
      byChip: { chip: string; servers: number; cards: number; declaredPflops: number }[];
      declaredTotalPflops: number;
      sumOfDeclaredPflops: number;
      warnings: string[];
    };
    expect([s.servers, s.cards]).toEqual([1747, 22832]);
    expect(s.byChip.map((c) => [c.chip, c.servers, c.cards, c.declaredPflops])).toEqual([
      ['thead-ppu', 1024, 16384, 1945],
      ['metax-c500', 512, 4096, 984],
      ['biren-br104', 83, 1328, 450],
      ['zhonghao-chana', 128, 1024, 200],
    ]);
    expect([s.sumOfDeclaredPflops, s.declaredTotalPflops]).toEqual([3579, 3479]);
    expect(s.warnings[0]).toContain('sum to 3579 P');
    expect(s.warnings[0]).toContain('declared total is 3479 P, a difference of 100 P');
  });

  it('unicom-2025 as a table: per-chip rows, the declared figures and the visible warning', async () => {
    const { code, out } = await run('fleet', 'summary', 'unicom-2025');
    expect(code).toBe(0);
    expect(out).toMatch(/^total\s+4\s+1747\s+22832\s/m);
    expect(out).toMatch(/^thead-ppu\s+1\s+1024\s+16384\s+1572864\s+1945 \(declared\)\s+1945\s+118\.7 \(derived\)$/m);
    expect(out).toContain('Sum of declared: 3579 P; declared total: 3479 P');
    expect(out).toMatch(/^ {2}! Declared compute disagrees: .*3579 P.*3479 P, a difference of 100 P/m);
  });

  it('a fleet file, with chip aliases resolved', async () => {
    const { code, out } = await run('fleet', 'summary', file('lab.yaml', GOOD), '--json');
    expect(code).toBe(0);
    const s = JSON.parse(out) as { servers: number; cards: number; byChip: { chip: string }[] };
    expect([s.servers, s.cards]).toEqual([5, 40]);
    expect(s.byChip.map((c) => c.chip)).toEqual(['nvidia-h20', 'ascend-910b']);
  });

  it('openb, imported from the shared trace: 1213 nodes, 6212 GPUs', async () => {
    const { code, out } = await run('fleet', 'summary', 'openb', '--json');
    expect(code).toBe(0);
    const s = JSON.parse(out) as { servers: number; cards: number; import: { rows: number } };
    expect([s.servers, s.cards, s.import.rows]).toEqual([1213, 6212, 1213]);
  });

  it('an unknown name: one sentence naming the built-ins, exit 1', async () => {
    const { code, err } = await run('fleet', 'summary', 'unicom-2024');
    expect(code).toBe(1);
    expect(err).toBe('error: No built-in fleet or file named "unicom-2024". Built-in fleets: unicom-2025, demo, openb, alibaba-2026, pai-2020.\n');
  });

  it('a missing file path', async () => {
    const { code, err } = await run('fleet', 'summary', 'nowhere/fleet.yaml');
    expect(code).toBe(1);
    expect(err).toBe(`error: No such fleet file: ${join(dir, 'nowhere/fleet.yaml')}\n`);
  });
});

describe('tessera fleet summary --h20eq', () => {
  it('adds capacity per workload class, counting only cards the model can estimate, never one number', async () => {
    const { code, out } = await run('fleet', 'summary', 'unicom-2025', '--h20eq', '--json');
    expect(code).toBe(0);
    const s = JSON.parse(out) as { cards: number; h20eq: { workloadClass: string; h20eq: number; cards: number; cardsWithoutEstimate: number; confidence: string }[] };
    const classes = s.h20eq.map((r) => r.workloadClass);
    for (const c of ['llm-pretrain-70b', 'llm-finetune-7b-lora', 'llm-decode-70b', 'llm-prefill-heavy', 'llm-serve-8b']) expect(classes).toContain(c);
    for (const r of s.h20eq) {
      expect(r.cards).toBe(22832);
      expect(Number.isFinite(r.h20eq)).toBe(true);
      // Chips without the figures a class needs are left out and counted, so the confidence is low.
      if (r.cardsWithoutEstimate > 0) expect(r.confidence).toBe('low');
    }
    // Pre-training leans on compute (declared per contract for PPU and MetaX); decoding on memory
    // bandwidth, which the catalog lacks for PPU and MetaX: far fewer cards count there.
    const pre = s.h20eq.find((r) => r.workloadClass === 'llm-pretrain-70b');
    const dec = s.h20eq.find((r) => r.workloadClass === 'llm-decode-70b');
    expect(pre && dec && pre.cardsWithoutEstimate < dec.cardsWithoutEstimate).toBe(true);
  });

  it('prints the per-class table in text mode', async () => {
    const { code, out } = await run('fleet', 'summary', 'demo', '--h20eq');
    expect(code).toBe(0);
    expect(out).toMatch(/Capacity in H20-equivalents, per workload class/);
    expect(out).toMatch(/llm-serve-8b\s+[\d,]+/);
  });
});

describe('tessera fleet validate', () => {
  it('a good file: exit 0 and one OK line', async () => {
    const { code, out } = await run('fleet', 'validate', file('ok.yaml', GOOD));
    expect(code).toBe(0);
    expect(out).toBe(`${join(dir, 'ok.yaml')}: OK (fleet "lab": 1 cluster, 2 node groups, 5 servers, 40 cards)\n`);
  });

  it('a bad file: every problem as file:line: path: reason, exit 1, no stack trace', async () => {
    const bad = GOOD.replace('servers: 2', 'servers: 0').replace('chip: 910b', 'chip: 910x').replace('cluster: bj, chip: h20', 'cluster: sh, chip: h20');
    const path = file('bad.yaml', bad);
    const { code, out, err } = await run('fleet', 'validate', path);
    expect(code).toBe(1);
    expect(out).toBe('');
    const lines = err.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `${path}:4: /nodeGroups/0/servers: servers must be a positive whole number of servers (1 to 1000000), got 0`,
      `${path}:4: /nodeGroups/0/cluster: unknown cluster "sh". Declared clusters: bj.`,
      expect.stringMatching(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: /nodeGroups/1/chip: unknown chip "910x"\\. Did you mean [^?]*ascend-910b`)),
    ]);
    expect(lines[3]).toBe(`error: ${path} is not a valid fleet: 3 problems`);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('--json reports the issues as data', async () => {
    const path = file('bad.json', '{"name": "x", "clusters": [{"id": "a"}], "nodeGroups": [{"id": "g", "cluster": "a", "chip": "h20", "servers": 1, "cardsPerServer": -8}]}');
    const { code, out } = await run('fleet', 'validate', path, '--json');
    expect(code).toBe(1);
    const result = JSON.parse(out) as { ok: boolean; issues: { line: number; path: string }[] };
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([expect.objectContaining({ line: 1, path: '/nodeGroups/0/cardsPerServer' })]);
  });

  it('an empty file', async () => {
    const path = file('empty.yaml', '');
    const { code, err } = await run('fleet', 'validate', path);
    expect(code).toBe(1);
    expect(err).toBe(`${path}:1: /: the file is empty; a fleet needs name, clusters and nodeGroups\nerror: ${path} is not a valid fleet: 1 problem\n`);
  });
});

describe('tessera fleet export', () => {
  it('exports a built-in fleet as YAML that validates and summarises the same', async () => {
    const exported = await run('fleet', 'export', 'unicom-2025');
    expect(exported.code).toBe(0);
    const path = file('unicom-copy.yaml', exported.out);
    expect((await run('fleet', 'validate', path)).out).toBe(`${path}: OK (fleet "unicom-2025": 4 clusters, 4 node groups, 1747 servers, 22832 cards)\n`);
    const again = JSON.parse((await run('fleet', 'summary', path, '--json')).out) as { sumOfDeclaredPflops: number; declaredTotalPflops: number };
    expect([again.sumOfDeclaredPflops, again.declaredTotalPflops]).toEqual([3579, 3479]);
  });

  it('exports JSON, and refuses an unknown format', async () => {
    const json = await run('fleet', 'export', 'demo', '--format', 'json');
    expect((JSON.parse(json.out) as { nodeGroups: unknown[] }).nodeGroups).toHaveLength(6);
    const bad = await run('fleet', 'export', 'demo', '--format', 'toml');
    expect([bad.code, bad.err]).toEqual([1, 'error: --format must be yaml or json, not "toml"\n']);
  });
});

describe('tessera fleet import', () => {
  const shared = process.env.TESSERA_SHARED_DIR ?? new URL('../../../shared', import.meta.url).pathname;

  it('imports the PAI 2020 machine list with its built-in mapping into a fleet file that validates', async () => {
    const imported = await run('fleet', 'import', join(shared, 'data/pai-2020/pai_machine_spec.csv'), '--mapping', 'pai-2020');
    expect(imported.code).toBe(0);
    // 1897 machines; 83 CPU-only and 280 MISC left out
    expect(imported.out.split('\n')[0]).toMatch(/: 1534 of 1897 machines; left out: 83 \(no accelerator cards\), 280 \(model MISC has no catalog chip\)\.$/);
    const path = file('pai.yaml', imported.out);
    // cards: P100 798 x 2 + T4 497 x 2 + V100 104 x 8 + V100M32 135 x 8 = 1596 + 994 + 832 + 1080 = 4502
    expect((await run('fleet', 'validate', path)).out).toMatch(/OK \(fleet "pai-2020": 1 cluster, \d+ node groups, 1534 servers, 4502 cards\)/);
  });

  it('with a mapping file of one\'s own, and --summary', async () => {
    const csv = file('racks.csv', 'host,accel,count,cores,mem_gb\nbj-01,Ascend910B,8,192,1536\nbj-02,Ascend910B,8,192,1536\nbj-03,H20,8,128,2048\nbj-04,none,0,64,256\n');
    const mapping = file(
      'racks-mapping.yaml',
      'name: racks\ncluster: bj\ncolumns: { node: host, cards: count, model: accel, cpu: cores, memory: mem_gb }\ncpuUnit: cores\nmemoryUnit: GiB\nmodels: { Ascend910B: 910b, H20: nvidia-h20 }\n',
    );
    const { code, out } = await run('fleet', 'import', csv, '--mapping', mapping, '--summary', '--json');
    expect(code).toBe(0);
    const s = JSON.parse(out) as { servers: number; cards: number; byChip: { chip: string; servers: number }[]; import: { skipped: unknown[] } };
    expect([s.servers, s.cards]).toEqual([3, 24]);
    expect(s.byChip.map((c) => [c.chip, c.servers])).toEqual([
      ['ascend-910b', 2],
      ['nvidia-h20', 1],
    ]);
    expect(s.import.skipped).toEqual([{ reason: 'no accelerator cards', machines: 1 }]);
  });

  it('a bad mapping file: every problem with file:line', async () => {
    const csv = file('one.csv', 'host,accel,count\nx,H20,8\n');
    const mapping = file('bad-mapping.yaml', 'name: m\ncolumns: { node: host, cards: count }\ncpuUnit: cpus\nmodels:\n  H20: nvidia-h2x\n');
    const { code, err } = await run('fleet', 'import', csv, '--mapping', mapping);
    expect(code).toBe(1);
    const lines = err.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `error: 3 problems found:`,
      `  ${mapping}:2, field /columns/model: model is required`,
      `  ${mapping}:3, field /cpuUnit: cpuUnit must be milli or cores, got "cpus"`,
    ]);
    expect(lines[3]).toMatch(/:5, field \/models\/H20: unknown chip "nvidia-h2x"\. Did you mean nvidia-h20\b/);
  });
});

describe('tessera fleet nodes', () => {
  it('lists expanded nodes with racks and link domains, filtered by chip alias', async () => {
    const { code, out } = await run('fleet', 'nodes', 'unicom-2025', '--chip', 'c500', '--limit', '2');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[2]).toMatch(/^metax-0\s+unicom-metax\s+metax\s+metax-c500\s+8\s+metax-rack-0\s+2 x 4\s+-\s+-$/);
    expect(lines.at(-1)).toBe('(2 of 512 nodes; --limit 0 shows all)');
  });

  it('--json --devices gives device ids and link domains', async () => {
    const { out } = await run('fleet', 'nodes', 'demo', '--group', 'metax', '--json', '--devices');
    const nodes = JSON.parse(out) as { id: string; devices: { id: string; linkDomain: number }[] }[];
    expect(nodes.map((n) => n.id)).toEqual(['metax-0', 'metax-1', 'metax-2', 'metax-3']);
    expect(nodes[0]?.devices.map((d) => `${d.id}:${d.linkDomain}`)).toEqual(['metax-0/0:0', 'metax-0/1:0', 'metax-0/2:0', 'metax-0/3:0', 'metax-0/4:1', 'metax-0/5:1', 'metax-0/6:1', 'metax-0/7:1']);
  });

  it('a bad --limit or an unknown chip is one sentence', async () => {
    expect((await run('fleet', 'nodes', 'demo', '--limit', '-1')).err).toBe('error: --limit must be a whole number, 0 or more, not "-1"\n');
    const unknown = await run('fleet', 'nodes', 'demo', '--chip', 'zz-top');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^error: Unknown chip "zz-top"\./);
  });
});

describe('tessera fleet list', () => {
  it('lists the built-in fleets', async () => {
    const { code, out } = await run('fleet', 'list', '--json');
    expect(code).toBe(0);
    expect((JSON.parse(out) as { name: string }[]).map((f) => f.name)).toEqual(['unicom-2025', 'demo', 'openb', 'alibaba-2026', 'pai-2020']);
  });
});

describe('the real binary', () => {
  it('node bin/tessera.js fleet summary unicom-2025 --json (needs npm run build)', () => {
    const root = new URL('../../', import.meta.url).pathname;
    expect(existsSync(join(root, 'dist/src/cli/main.js')), 'dist/ is missing: run `npm run build` first (npm test does)').toBe(true);
    const result = spawnSync(process.execPath, [join(root, 'bin/tessera.js'), 'fleet', 'summary', 'unicom-2025', '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const s = JSON.parse(result.stdout) as { servers: number; cards: number; sumOfDeclaredPflops: number; declaredTotalPflops: number; warnings: string[] };
    expect([s.servers, s.cards, s.sumOfDeclaredPflops, s.declaredTotalPflops]).toEqual([1747, 22832, 3579, 3479]);
    expect(s.warnings[0]).toContain('a difference of 100 P');
  });

  it('a bad fleet file through the real binary: exit 1, no stack trace', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const path = file('bad-real.yaml', 'name: x\nclusters: [{id: a}]\nnodeGroups:\n  - {id: g, cluster: a, chip: h20, servers: 1, cardsPerServer: 8, linkDomainSize: 3}\n');
    const result = spawnSync(process.execPath, [join(root, 'bin/tessera.js'), 'fleet', 'validate', path], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${path}:4: /nodeGroups/0/linkDomainSize: link domain size 3 does not divide 8 cards per server\nerror: ${path} is not a valid fleet: 1 problem\n`);
  });
});
