/**
 * Fleet speed: expanding unicom-2025 (1747 nodes, 22,832 devices), parsing a 100,000-node fleet file
 * (YAML and JSON) and importing the openb node list (1213 machines). Baselines, measured in the same
 * run: allocating the same number of plain device objects; JSON.parse / YAML parse of the same text;
 * parsing the CSV without building the fleet.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml, stringify } from 'yaml';
import { builtinCatalog } from '../src/catalog/index.js';
import { builtinFleetDoc, expandFleet, importBuiltinFleet, parseCsv, parseFleet, type FleetDoc } from '../src/fleet/index.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function medianMs(runs: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}

const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));

function bigFleet(groups: number, serversPerGroup: number): FleetDoc {
  return {
    name: 'big',
    clusters: [{ id: 'a' }],
    nodeGroups: Array.from({ length: groups }, (_, g) => ({
      id: `g${g}`,
      cluster: 'a',
      chip: 'nvidia-h20',
      servers: serversPerGroup,
      cardsPerServer: 8,
      nodeNames: Array.from({ length: serversPerGroup }, (_, n) => `node-${g}-${n}`),
    })),
  };
}

export async function run(): Promise<string[]> {
  const catalog = builtinCatalog();
  const lines: string[] = [];

  const unicom = builtinFleetDoc('unicom-2025', catalog);
  const devices = 22_832;
  const baseline = (): unknown => {
    const out = new Array<{ id: string; index: number; linkDomain: number }>(devices);
    for (let i = 0; i < devices; i++) out[i] = { id: `n/${i}`, index: i, linkDomain: 0 };
    return out;
  };
  // Interleaved rounds, so that garbage collection left by one side does not land on the other's clock.
  const expandTimes: number[] = [];
  const baseTimes: number[] = [];
  for (let round = 0; round < 10; round++) {
    expandTimes.push(medianMs(10, () => expandFleet(unicom)));
    baseTimes.push(medianMs(10, baseline));
  }
  const expandMs = median(expandTimes);
  const baseMs = median(baseTimes);
  lines.push(`expand unicom-2025 (${devices} devices): ${fmt(expandMs)} ms (median of 10 x 10 runs); baseline ${devices} plain objects ${fmt(baseMs)} ms; ratio ${(expandMs / baseMs).toFixed(1)}x`);

  const doc = bigFleet(2000, 50);
  const yamlText = stringify(doc);
  const jsonText = JSON.stringify(doc);
  const yamlMs = medianMs(3, () => parseFleet(yamlText, 'big.yaml', catalog));
  const yamlBase = medianMs(3, () => parseYaml(yamlText));
  lines.push(`parse 100,000-node YAML (${(yamlText.length / 1048576).toFixed(1)} MiB): ${fmt(yamlMs)} ms; baseline yaml.parse ${fmt(yamlBase)} ms; ratio ${(yamlMs / yamlBase).toFixed(2)}x`);
  const jsonMs = medianMs(5, () => parseFleet(jsonText, 'big.json', catalog));
  const jsonBase = medianMs(5, () => JSON.parse(jsonText));
  lines.push(`parse 100,000-node JSON (${(jsonText.length / 1048576).toFixed(1)} MiB): ${fmt(jsonMs)} ms; baseline JSON.parse ${fmt(jsonBase)} ms; ratio ${(jsonMs / jsonBase).toFixed(1)}x`);
  const parsed = parseFleet(jsonText, 'big.json', catalog);
  const bigExpandMs = medianMs(3, () => expandFleet(parsed));
  lines.push(`expand 100,000 nodes / 800,000 devices: ${fmt(bigExpandMs)} ms`);

  const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
  const shared = process.env.TESSERA_SHARED_DIR ?? join(root, '..', 'shared');
  const csv = readFileSync(join(shared, 'data/openb/openb_node_list_gpu_node.csv'), 'utf8');
  const importMs = medianMs(20, () => importBuiltinFleet('openb', csv, catalog));
  const csvMs = medianMs(20, () => parseCsv(csv));
  lines.push(`import openb (1213 machines): ${fmt(importMs)} ms; baseline CSV parse only ${fmt(csvMs)} ms; ratio ${(importMs / csvMs).toFixed(1)}x`);
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void run().then((lines) => {
    for (const line of lines) process.stdout.write(`${line}\n`);
  });
}
