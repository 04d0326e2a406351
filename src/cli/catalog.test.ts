import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-catalog-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({}, dir);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const goodYaml = `sources:
  - key: U1
    description: https://example.com/x100
chips:
  - id: acme-x100
    vendor: metax
    names: { en: Acme X100, zh: 测试 X100 }
    aliases: [x100]
    memoryGiB: { value: 64, source: U1, confidence: declared }
    tdpW: { value: 350, source: U1, confidence: declared }
`;

/** A failed command: exit 1, one clear `error:` sentence (or a list of problems), no stack trace. */
function expectCleanFailure(r: { code: number; out: string; err: string }, ...fragments: string[]): void {
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^error: /);
  expect(r.err).not.toMatch(/\n\s+at |internal error|TypeError|undefined/);
  for (const f of fragments) expect(r.err).toContain(f);
}

describe('tessera catalog list', () => {
  it('lists every chip with names in both languages', async () => {
    const r = await run('catalog', 'list');
    expect(r.code).toBe(0);
    expect(r.out).toContain('thead-ppu');
    expect(r.out).toContain('平头哥 真武 PPU');
    expect(r.out).toContain('50 chips.');
  });

  it('filters by vendor and prints JSON', async () => {
    const r = await run('catalog', 'list', '--vendor', 'huawei', '--json');
    expect(r.code).toBe(0);
    const chips = JSON.parse(r.out) as { id: string; vendor: string }[];
    expect(chips.map((c) => c.id)).toEqual(['ascend-910b', 'ascend-910a', 'ascend-910c', 'ascend-310']);
  });

  it('an unknown vendor suggests the close one', async () => {
    expectCleanFailure(await run('catalog', 'list', '--vendor', 'nvdia'), 'Unknown vendor "nvdia". Did you mean nvidia?');
  });

  it('merges --catalog <file>', async () => {
    const r = await run('catalog', 'list', '--vendor', 'metax', '--catalog', file('good.yaml', goodYaml));
    expect(r.code).toBe(0);
    expect(r.out).toContain('acme-x100');
    expect(r.out).toContain('4 chips.');
  });
});

describe('tessera catalog show', () => {
  it('shows every figure with source and confidence, and the conflict', async () => {
    const r = await run('catalog', 'show', 'h20');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/TDP\s+400 W\s+datasheet\s+N1,N2/);
    expect(r.out).toMatch(/alternative\s+550 W\s+press\s+A2,A3/);
    expect(r.out).toContain('[A2] https://udn.com/news/story/7333/9013137');
  });

  it('--json gives the record and the cited sources', async () => {
    const r = await run('catalog', 'show', 'PPU', '--json');
    const body = JSON.parse(r.out) as { chip: { id: string; memBandwidthGBps: { value: null } }; sources: { key: string }[] };
    expect(body.chip.id).toBe('thead-ppu');
    expect(body.chip.memBandwidthGBps.value).toBeNull();
    expect(body.sources.map((s) => s.key)).toContain('A1');
  });

  it('an unknown chip suggests close ids', async () => {
    expectCleanFailure(await run('catalog', 'show', '910x'), 'Unknown chip "910x". Did you mean', 'ascend-910');
  });
});

describe('tessera catalog compare', () => {
  it('prints the CCTV table with ratios to the H20', async () => {
    const r = await run('catalog', 'compare', 'ppu', 'a800', 'h20', '910b', 'br104');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Comparison against nvidia-h20');
    // PPU memory is a press figure (~), A800 memory a datasheet one (unmarked).
    expect(r.out).toMatch(/Memory\s+96 GiB HBM2e ~\s+80 GiB HBM2e\s+96 GiB HBM3 \(alt. 80 GiB\) ~/);
    expect(r.out).toMatch(/vs nvidia-h20\s+1\.00x\s+0\.83x\s+1\.00x\s+0\.67x\s+0\.33x/);
    expect(r.out).toContain('400 W (alt. 550 W)');
    expect(r.out).toContain('Confidence: unmarked = datasheet');
    expect(r.out).toContain('Conflicting published figures');
    expect(r.out).not.toMatch(/NaN|Infinity/);
  });

  it('--baseline and --json', async () => {
    const r = await run('catalog', 'compare', 'h20', 'a800', '--baseline', 'a800', '--json');
    const body = JSON.parse(r.out) as { baselineId: string; rows: { key: string; cells: { ratio: number | null }[] }[] };
    expect(body.baselineId).toBe('nvidia-a800');
    // Memory: H20 96 / A800 80 = 1.2.
    expect(body.rows.find((x) => x.key === 'memory')?.cells.map((c) => c.ratio)).toEqual([1.2, 1]);
  });

  it('compares a chip from --catalog', async () => {
    const r = await run('catalog', 'compare', 'x100', 'h20', '--catalog', file('good2.yaml', goodYaml));
    // Power: 350 / 400 = 0.88x.
    expect(r.out).toMatch(/Power \(TDP\)\s+350 W r\s+400 W \(alt\. 550 W\)/);
    expect(r.out).toMatch(/0\.88x/);
  });

  it('an unknown chip or baseline fails cleanly', async () => {
    expectCleanFailure(await run('catalog', 'compare', 'ppu', 'h2'), 'Unknown chip "h2". Did you mean');
    expectCleanFailure(await run('catalog', 'compare', 'ppu', '--baseline', 'nope'), 'Unknown chip "nope"');
  });
});

describe('tessera catalog validate and sources', () => {
  it('validate: exit 0 and the chips of a good file', async () => {
    const r = await run('catalog', 'validate', file('v.yaml', goodYaml));
    expect(r.code).toBe(0);
    expect(r.out).toBe('v.yaml: ok, 1 chip (acme-x100); 51 with the built-in catalog\n');
  });

  it('validate: exit 1 and every problem of a bad file', async () => {
    const r = await run('catalog', 'validate', file('v-bad.yaml', goodYaml.replace('value: 64', 'value: 0').replace('value: 350', 'value: -1')));
    expectCleanFailure(r, '2 problems found:', 'v-bad.yaml:9, record acme-x100, field /memoryGiB/value', 'v-bad.yaml:10, record acme-x100, field /tdpW/value');
  });

  it('the example file in src/catalog/examples validates and compares', async () => {
    const example = fileURLToPath(new URL('../catalog/examples/extra-chips.yaml', import.meta.url));
    const v = await run('catalog', 'validate', example);
    expect(v.code).toBe(0);
    expect(v.out).toContain('ok, 1 chip (lab-c500-measured)');
    const c = await run('catalog', 'compare', 'c500-lab', 'h20', '--catalog', example);
    // Memory 64 / 96 = 0.67x; reported by a tool (r).
    expect(c.out).toMatch(/Memory\s+64 GiB r\s+96 GiB HBM3/);
    expect(c.out).toMatch(/vs nvidia-h20\s+0\.67x\s+1\.00x/);
  });

  it('sources lists every key with its description', async () => {
    const r = await run('catalog', 'sources', '--json');
    const keys = (JSON.parse(r.out) as { key: string }[]).map((s) => s.key);
    expect(keys).toContain('N1');
    expect(keys).toContain('OB1');
  });
});

describe('tessera catalog --catalog <file>: bad input files', () => {
  const cases: [string, string, string, string[]][] = [
    ['wrong type', 'wrong-type.yaml', goodYaml.replace('value: 350', 'value: "350W"'), ['wrong-type.yaml:10, record acme-x100, field /tdpW/value: must be a number or null']],
    ['negative figure', 'negative.yaml', goodYaml.replace('value: 64', 'value: -64'), ['negative.yaml:9, record acme-x100, field /memoryGiB/value: must be a finite number greater than 0, got -64']],
    ['zero figure', 'zero.yaml', goodYaml.replace('value: 350', 'value: 0'), ['zero.yaml:10, record acme-x100, field /tdpW/value', 'got 0']],
    ['NaN figure', 'nan.yaml', goodYaml.replace('value: 350', 'value: .NaN'), ['nan.yaml:10, record acme-x100, field /tdpW/value', 'got NaN']],
    ['unknown confidence', 'confidence.yaml', goodYaml.replace('confidence: declared }\n    tdpW', 'confidence: vibes }\n    tdpW'), ['field /memoryGiB/confidence: confidence "vibes" is not one of']],
    ['known figure without source', 'nosource.yaml', goodYaml.replace('{ value: 350, source: U1,', '{ value: 350,'), ['record acme-x100, field /tdpW/source: a known figure needs a source']],
    ['unknown source key', 'badkey.yaml', goodYaml.replace('{ value: 350, source: U1,', '{ value: 350, source: Q7,'), ['field /tdpW/source: source key "Q7" is not in the source list']],
    ['duplicate id', 'dupid.yaml', goodYaml.replace('id: acme-x100', 'id: thead-ppu'), ['record thead-ppu, field /id: duplicate id "thead-ppu": already used as the id of thead-ppu in src/catalog/data/thead.ts']],
    ['duplicate alias', 'dupalias.yaml', goodYaml.replace('aliases: [x100]', 'aliases: [h20]'), ['field /aliases/0: duplicate alias "h20": already used as the alias of nvidia-h20']],
    ['bad id format', 'badid.yaml', goodYaml.replace('id: acme-x100', 'id: acme--x100'), ['record acme--x100, field /id: id "acme--x100" must be kebab-case']],
    ['YAML syntax error', 'syntax.yaml', goodYaml.replace('aliases: [x100]', 'aliases: [x100'), ['syntax.yaml:', 'YAML syntax error']],
    ['JSON syntax error', 'syntax.json', '{"chips": [}', ['syntax.json:1: JSON syntax error']],
    ['empty file', 'empty.yaml', '', ['empty.yaml: the file is empty']],
    ['wrong top level', 'scalar.yaml', 'hello', ['expected a list of chip records']],
  ];

  it.each(cases)('%s', async (_name, fileName, text, fragments) => {
    const r = await run('catalog', 'list', '--catalog', file(fileName, text));
    expectCleanFailure(r, ...fragments);
    expect(r.out).toBe('');
  });

  it('several problems are all listed, one per line', async () => {
    const text = goodYaml.replace('vendor: metax', 'vendor: acme').replace('value: 350', 'value: -1');
    const r = await run('catalog', 'show', 'x100', '--catalog', file('many.yaml', text));
    expectCleanFailure(r, '2 problems found:', 'many.yaml:6, record acme-x100, field /vendor: vendor "acme" is not one of', 'many.yaml:10, record acme-x100, field /tdpW/value');
  });

  it('a huge file is refused without being read', async () => {
    // A sparse 11 MB file: the size check runs before any read.
    const name = 'huge.yaml';
    const fd = openSync(join(dir, name), 'w');
    ftruncateSync(fd, 11 * 1024 * 1024);
    closeSync(fd);
    expectCleanFailure(await run('catalog', 'list', '--catalog', name), 'huge.yaml is 11.0 MB; catalog files are limited to 10 MB');
  });

  it('a missing file is one sentence', async () => {
    expectCleanFailure(await run('catalog', 'list', '--catalog', 'nope.yaml'), 'Catalog file nope.yaml does not exist.');
  });
});
