import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ValidationError, formatIssue, isTesseraError } from '../lib/errors.js';
import { parseFleet } from './parse.js';
import { builtinCatalog } from '../catalog/index.js';

const catalog = builtinCatalog();

const GOOD = `# a small fleet
name: lab
clusters:
  - id: bj
serverModels:
  - id: hgx-8
    chip: nvidia-h20
    maxCards: 8
    linkDomainSize: 8
nodeGroups:
  - id: h20
    cluster: bj
    chip: nvidia-h20
    serverModel: hgx-8
    servers: 2
    cardsPerServer: 8
  - id: c500
    cluster: bj
    chip: c500
    servers: 1
    cardsPerServer: 8
    linkDomainSize: 4
`;

/** Parses and returns the formatted issues (`file:line, ..., field /x: reason`), failing if it parses. */
function problems(text: string, file = 'fleet.yaml'): string[] {
  try {
    parseFleet(text, file, catalog);
  } catch (e) {
    if (e instanceof ValidationError) return e.issues.map(formatIssue);
    throw e;
  }
  throw new Error('expected the fleet to be rejected');
}

/** Replaces one line of GOOD (1-based) with `replacement`. */
function edit(line: number, replacement: string): string {
  const lines = GOOD.split('\n');
  lines[line - 1] = replacement;
  return lines.join('\n');
}

describe('parseFleet: valid files', () => {
  it('reads YAML, resolves chip aliases to catalog ids', () => {
    const doc = parseFleet(GOOD, 'lab.yaml', catalog);
    expect(doc.name).toBe('lab');
    expect(doc.nodeGroups.map((g) => g.chip)).toEqual(['nvidia-h20', 'metax-c500']);
  });

  it('reads the same fleet as JSON', () => {
    const doc = parseFleet(GOOD, 'lab.yaml', catalog);
    const again = parseFleet(JSON.stringify(doc, null, 2), 'lab.json', catalog);
    expect(again).toEqual(doc);
  });
});

describe('parseFleet: big fleets', () => {
  it('a legitimately big fleet (200 groups, 10,000 named nodes) parses, as YAML and JSON alike', () => {
    const groups = Array.from({ length: 200 }, (_, g) => ({
      id: `g${g}`,
      cluster: 'bj',
      chip: 'nvidia-h20',
      servers: 50,
      cardsPerServer: 8,
      nodeNames: Array.from({ length: 50 }, (_, n) => `node-${g}-${n}`),
    }));
    const doc = { name: 'big', clusters: [{ id: 'bj' }], nodeGroups: groups };
    const fromJson = parseFleet(JSON.stringify(doc), 'big.json', catalog);
    const fromYaml = parseFleet(stringify(doc), 'big.yaml', catalog);
    expect(fromYaml).toEqual(fromJson);
    // 200 x 50 = 10,000 nodes
    expect(fromJson.nodeGroups.reduce((n, g) => n + g.servers, 0)).toBe(10_000);
  });

  it('one duplicate among 20,000 node names is found and located', () => {
    const names = Array.from({ length: 20_000 }, (_, n) => `node-${n}`);
    names[19_999] = 'node-7';
    const json = JSON.stringify({ name: 'big', clusters: [{ id: 'bj' }], nodeGroups: [{ id: 'g', cluster: 'bj', chip: 'h20', servers: 20_000, cardsPerServer: 8, nodeNames: names }] }, null, 1);
    const line = json.split('\n').findLastIndex((l) => l.trim().replace(/,$/, '') === '"node-7"') + 1;
    expect(line).toBeGreaterThan(20_000);
    expect(problems(json, 'big.json')).toEqual([`big.json:${line}, record g, field /nodeGroups/0/nodeNames/19999: duplicate node name "node-7" (also in node group "g")`]);
  });
});

describe('parseFleet: bad input names file:line, field and reason', () => {
  it('wrong type: a string where a number belongs', () => {
    expect(problems(edit(16, '    cardsPerServer: "eight"'))).toEqual([
      'fleet.yaml:16, field /nodeGroups/0/cardsPerServer: cardsPerServer must be a positive whole number of cards (1 to 1000000), got "eight"',
    ]);
  });

  it('negative server count', () => {
    expect(problems(edit(15, '    servers: -2'))).toEqual([
      'fleet.yaml:15, field /nodeGroups/0/servers: servers must be a positive whole number of servers (1 to 1000000), got -2',
    ]);
  });

  it('zero cards per server and a fractional server count, both reported', () => {
    const text = edit(21, '    cardsPerServer: 0').replace('    servers: 1\n', '    servers: 1.5\n');
    expect(problems(text)).toEqual([
      'fleet.yaml:20, field /nodeGroups/1/servers: servers must be a positive whole number of servers (1 to 1000000), got 1.5',
      'fleet.yaml:21, field /nodeGroups/1/cardsPerServer: cardsPerServer must be a positive whole number of cards (1 to 1000000), got 0',
    ]);
  });

  it('unknown chip, with close ids suggested', () => {
    const found = problems(edit(13, '    chip: nvidia-h2O'));
    expect(found).toHaveLength(1);
    // The nearest id first; neighbours one more edit away may follow (nvidia-h200, nvidia-l20).
    expect(found[0]).toMatch(/^fleet\.yaml:13, record h20, field \/nodeGroups\/0\/chip: unknown chip "nvidia-h2O"\. Did you mean nvidia-h20(, [a-z0-9-]+){0,2}\?$/);
  });

  it('a chip that differs from the server model\'s chip', () => {
    expect(problems(edit(13, '    chip: ascend-910b'))).toEqual([
      'fleet.yaml:13, record h20, field /nodeGroups/0/chip: chip ascend-910b differs from server model "hgx-8", which holds nvidia-h20',
    ]);
  });

  it('unknown cluster, naming the declared ones', () => {
    expect(problems(edit(12, '    cluster: sh'))).toEqual(['fleet.yaml:12, record h20, field /nodeGroups/0/cluster: unknown cluster "sh". Declared clusters: bj.']);
  });

  it('unknown server model', () => {
    expect(problems(edit(14, '    serverModel: hgx-16'))).toEqual([
      'fleet.yaml:14, record h20, field /nodeGroups/0/serverModel: unknown server model "hgx-16"; declare it under serverModels',
    ]);
  });

  it('duplicate node group ids', () => {
    expect(problems(edit(17, '  - id: h20'))).toEqual([
      'fleet.yaml:17, record h20, field /nodeGroups/1/id: duplicate node group id "h20"',
      'fleet.yaml:17, record h20, field /nodeGroups/1/id: duplicate node name "h20-0" (also in node group "h20")',
    ]);
  });

  it('duplicate explicit node names across groups', () => {
    const text = GOOD.replace('    cardsPerServer: 8\n  - id: c500', '    cardsPerServer: 8\n    nodeNames: [n1, n2]\n  - id: c500').concat('    nodeNames: [n2]\n');
    expect(problems(text)).toEqual(['fleet.yaml:24, record c500, field /nodeGroups/1/nodeNames/0: duplicate node name "n2" (also in node group "h20")']);
  });

  it('YAML syntax error', () => {
    const text = edit(3, 'clusters: [ {id: bj }');
    const found = problems(text);
    expect(found[0]).toMatch(/^fleet\.yaml:\d+, field \/: YAML syntax error: /);
  });

  it('YAML syntax error: bad indentation, on its line', () => {
    expect(problems(edit(9, '   linkDomainSize: 8'))[0]).toMatch(/^fleet\.yaml:9, field \/: YAML syntax error: \S/);
  });

  it('duplicate YAML keys', () => {
    expect(problems(edit(16, '    servers: 3'))[0]).toMatch(/^fleet\.yaml:16, field \/: YAML syntax error: Map keys must be unique/);
  });

  it('empty file', () => {
    expect(problems('')).toEqual(['fleet.yaml:1, field /: the file is empty; a fleet needs name, clusters and nodeGroups']);
    expect(problems('# nothing yet\n')).toEqual(['fleet.yaml:1, field /: the file has no content (only comments); a fleet needs name, clusters and nodeGroups']);
  });

  it('a top level that is not a mapping', () => {
    expect(problems('- a\n- b\n')).toEqual(['fleet.yaml:1, field /: the top level must be a mapping with name, clusters and nodeGroups, not a list of 2']);
  });

  it('huge file: refused before parsing, one sentence', () => {
    const text = `name: big\n# ${'x'.repeat(2000)}\n`;
    let caught: unknown;
    try {
      parseFleet(text, 'big.yaml', catalog, { maxBytes: 1024 });
    } catch (e) {
      caught = e;
    }
    expect(isTesseraError(caught) && caught.code).toBe('too_large');
    expect((caught as Error).message).toBe('big.yaml: the fleet file is 2.0 KiB, above the 1.0 KiB limit; split it or group identical nodes into node groups');
  });

  it('cards per server above what the server model holds', () => {
    expect(problems(edit(16, '    cardsPerServer: 16'))).toEqual([
      'fleet.yaml:16, record h20, field /nodeGroups/0/cardsPerServer: 16 cards per server is more than server model "hgx-8" holds (maxCards 8)',
    ]);
  });

  it('nodeNames length differs from servers', () => {
    const text = GOOD.concat('    nodeNames: [a, b]\n');
    expect(problems(text)).toEqual(['fleet.yaml:23, record c500, field /nodeGroups/1/nodeNames: lists 2 node names but the group has 1 servers']);
  });

  it('link domain size that does not divide the cards', () => {
    expect(problems(edit(22, '    linkDomainSize: 3'))).toEqual([
      'fleet.yaml:22, record c500, field /nodeGroups/1/linkDomainSize: link domain size 3 does not divide 8 cards per server',
    ]);
  });

  it('inherited link domain from the server model that does not divide the group\'s cards', () => {
    expect(problems(edit(16, '    cardsPerServer: 4').replace('linkDomainSize: 8', 'linkDomainSize: 8'))).toEqual([
      'fleet.yaml:16, record h20, field /nodeGroups/0/cardsPerServer: server model "hgx-8" has link domains of 8 cards, which do not divide 4 cards per server; set linkDomainSize on the group',
    ]);
  });

  it('JSON syntax error (a trailing comma YAML would accept)', () => {
    const json = '{\n  "name": "lab",\n  "clusters": [],\n}\n';
    expect(problems(json, 'lab.json')).toEqual(['lab.json:4, field /: JSON syntax error: Expected double-quoted property name (column 1)']);
  });

  it('JSON files get lines too (located only when something is wrong)', () => {
    const doc = parseFleet(GOOD, 'lab.yaml', catalog);
    const json = JSON.stringify({ ...doc, nodeGroups: [doc.nodeGroups[0], { ...doc.nodeGroups[1], servers: 0 }] }, null, 2);
    const line = json.split('\n').findIndex((l) => l.includes('"servers": 0')) + 1;
    expect(line).toBeGreaterThan(1);
    expect(problems(json, 'lab.json')).toEqual([`lab.json:${line}, field /nodeGroups/1/servers: servers must be a positive whole number of servers (1 to 1000000), got 0`]);
  });

  it('unknown field, pointing at its key', () => {
    expect(problems(edit(16, '    cardPerServer: 8'))).toEqual([
      'fleet.yaml:11, field /nodeGroups/0/cardsPerServer: cardsPerServer is required',
      'fleet.yaml:16, field /nodeGroups/0/cardPerServer: "cardPerServer" is not a known field here (known: id, name, cluster, chip, servers, cardsPerServer, serverModel, linkDomainSize, serversPerRack, cpuMilli, memoryMiB, nodeNames, contract, declared, labels)',
    ]);
  });

  it('a list item that is not a mapping, and a list that is a mapping', () => {
    const text = GOOD.replace('clusters:\n  - id: bj\n', 'clusters:\n  - id: bj\n  - bj2\n').replace('serverModels:\n', 'serverModels: {}\nx:\n');
    expect(problems(text.replace('x:\n  - id: hgx-8\n    chip: nvidia-h20\n    maxCards: 8\n    linkDomainSize: 8\n', ''))).toEqual([
      'fleet.yaml:5, field /clusters/1: item 1 must be a mapping, got "bj2"',
      'fleet.yaml:6, field /serverModels: serverModels must be a list of server models, got a mapping',
      // line 11 of the edited text: the serverModel line of the first group
      'fleet.yaml:11, record h20, field /nodeGroups/0/serverModel: unknown server model "hgx-8"; declare it under serverModels',
    ]);
  });

  it('a missing required top-level field', () => {
    expect(problems(GOOD.replace('name: lab\n', ''))).toEqual(['fleet.yaml:2, field /name: name is required']);
  });

  it('collects every problem in one run, not only the first', () => {
    const text = edit(12, '    cluster: nowhere').replace('    chip: c500', '    chip: no-such-chip').replace('servers: 1\n', 'servers: 0\n');
    const found = problems(text);
    expect(found).toHaveLength(3);
    expect(found.join('\n')).toContain('/nodeGroups/0/cluster: unknown cluster "nowhere"');
    expect(found.join('\n')).toContain('/nodeGroups/1/servers: servers must be a positive whole number');
    expect(found.join('\n')).toContain('/nodeGroups/1/chip: unknown chip "no-such-chip"');
  });

  it('a fleet too big to expand is refused with the limit named', () => {
    expect(problems(edit(15, '    servers: 1000000').replace('    cardsPerServer: 8\n    nodeNames', 'x'))).toEqual([
      'fleet.yaml:10, field /nodeGroups: the fleet declares 1000001 servers and 8000008 cards; the limit is 500000 servers and 4000000 cards per fleet file',
    ]);
  });

  it('alias bombs are refused, not expanded', () => {
    const bomb = ['name: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `l${i}: &${'b'.repeat(i + 1)} [${Array(10).fill(`*${i === 0 ? 'a' : 'b'.repeat(i)}`).join(', ')}]`)].join('\n');
    expect(problems(bomb)[0]).toMatch(/^fleet\.yaml:1, field \/: YAML could not be read: /);
  });
});
