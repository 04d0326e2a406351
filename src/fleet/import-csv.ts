/**
 * A generic importer from a node-list CSV (one row per machine, as published with cluster traces)
 * to a `FleetDoc`. A mapping names the columns and maps the trace's model names to catalog chip
 * ids. Identical machines (same model, cards, CPU and memory) become one node group that keeps the
 * trace's node names, so a 1213-node trace becomes a handful of groups and ids stay the trace's own.
 * The result still goes through `validateFleetValue` like any fleet file.
 */
import { ErrorCode, TesseraError, ValidationError, type ValidationIssue } from '../lib/errors.js';
import { parseCsv } from './csv.js';
import { MAX_REPORTED_ISSUES } from './validate.js';
import type { FleetDoc, NodeGroupDoc } from './types.js';

export interface CsvFleetMapping {
  name: string;
  description?: string;
  source?: string;
  /** Cluster id for every node; default `default`. */
  cluster?: string;
  /** Column names when the file has no header row (PAI 2020 ships them in a separate file). */
  header?: string[];
  columns: { node: string; cards: string; model: string; cpu?: string; memory?: string };
  /** Unit of the CPU column: milli-CPUs (openb) or cores. Default `milli`. */
  cpuUnit?: 'milli' | 'cores';
  /** Unit of the memory column. Default `MiB`. */
  memoryUnit?: 'MiB' | 'GiB';
  /** Trace model name -> catalog chip id; `null` skips those machines (model not in the catalog). */
  models: Record<string, string | null>;
  /** What to do with a model missing from `models`: fail (default) or skip the machine. */
  unknownModels?: 'error' | 'skip';
  serversPerRack?: number;
}

export interface CsvFleetImport {
  doc: FleetDoc;
  /** Data rows read (header excluded). */
  rows: number;
  /** Machines imported as nodes. */
  nodes: number;
  cards: number;
  /** Machines left out, by reason. */
  skipped: { reason: string; machines: number }[];
}

export const MAX_CSV_BYTES = 64 * 1024 * 1024;

interface Machine {
  name: string;
  chip: string;
  model: string;
  cards: number;
  cpuMilli: number | undefined;
  memoryMiB: number | undefined;
}

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function importFleetCsv(text: string, fileName: string, mapping: CsvFleetMapping): CsvFleetImport {
  if (text.length > MAX_CSV_BYTES) {
    throw new TesseraError(ErrorCode.tooLarge, `${fileName}: the CSV is larger than ${MAX_CSV_BYTES / 1024 / 1024} MiB`, { context: { file: fileName } });
  }
  const issues: ValidationIssue[] = [];
  const fail = (line: number | undefined, path: string, message: string): void => {
    if (issues.length <= MAX_REPORTED_ISSUES) issues.push({ file: fileName, ...(line === undefined ? {} : { line }), path, message });
  };
  const csv = parseCsv(text);
  if (csv.unterminatedQuoteLine !== undefined) fail(csv.unterminatedQuoteLine, '/', 'a quoted field is never closed');
  const header = mapping.header ?? csv.records[0];
  const firstData = mapping.header ? 0 : 1;
  if (!header || csv.records.length <= firstData) {
    throw new ValidationError(`invalid node list ${fileName}`, [{ file: fileName, line: 1, path: '/', message: 'the CSV has no data rows' }]);
  }
  const column = (name: string | undefined): number | undefined => {
    if (name === undefined) return undefined;
    const index = header.findIndex((h) => h.trim() === name);
    if (index < 0) fail(mapping.header ? undefined : 1, `/columns/${name}`, `column "${name}" not found; the header has ${header.join(', ')}`);
    return index < 0 ? undefined : index;
  };
  const col = {
    node: column(mapping.columns.node),
    cards: column(mapping.columns.cards),
    model: column(mapping.columns.model),
    cpu: column(mapping.columns.cpu),
    memory: column(mapping.columns.memory),
  };
  if (issues.length > 0) throw new ValidationError(`invalid node list ${fileName}`, issues);

  const machines: Machine[] = [];
  const skipped = new Map<string, number>();
  const seenNames = new Map<string, number>();
  const skip = (reason: string): void => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  };
  for (let r = firstData; r < csv.records.length; r++) {
    const record = csv.records[r] ?? [];
    const line = csv.lines[r] ?? r + 1;
    const cell = (index: number | undefined): string | undefined => (index === undefined ? undefined : record[index]?.trim());
    const name = cell(col.node) ?? '';
    const model = cell(col.model) ?? '';
    const cards = wholeNumber(cell(col.cards));
    if (!NODE_NAME.test(name)) {
      fail(line, `/${mapping.columns.node}`, `node name ${JSON.stringify(name)} must be letters, digits, ".", "_" or "-"`);
      continue;
    }
    const previous = seenNames.get(name);
    if (previous !== undefined) {
      fail(line, `/${mapping.columns.node}`, `duplicate node name "${name}" (first on line ${previous})`);
      continue;
    }
    seenNames.set(name, line);
    if (cards === undefined) {
      fail(line, `/${mapping.columns.cards}`, `card count ${JSON.stringify(cell(col.cards) ?? '')} is not a whole number, 0 or more`);
      continue;
    }
    if (cards === 0) {
      skip('no accelerator cards');
      continue;
    }
    const chip = mapping.models[model];
    if (chip === null) {
      skip(`model ${model} has no catalog chip`);
      continue;
    }
    if (chip === undefined) {
      if (mapping.unknownModels === 'skip') skip(`model ${model} not in the mapping`);
      else fail(line, `/${mapping.columns.model}`, `model "${model}" is not in the mapping (known: ${Object.keys(mapping.models).join(', ')})`);
      continue;
    }
    const cpu = optionalNumber(cell(col.cpu));
    const memory = optionalNumber(cell(col.memory));
    if (cpu === null) fail(line, `/${mapping.columns.cpu}`, `CPU ${JSON.stringify(cell(col.cpu))} is not a positive number`);
    if (memory === null) fail(line, `/${mapping.columns.memory}`, `memory ${JSON.stringify(cell(col.memory))} is not a positive number`);
    if (cpu === null || memory === null) continue;
    machines.push({
      name,
      chip,
      model,
      cards,
      cpuMilli: cpu === undefined ? undefined : Math.round(mapping.cpuUnit === 'cores' ? cpu * 1000 : cpu),
      memoryMiB: memory === undefined ? undefined : Math.round(mapping.memoryUnit === 'GiB' ? memory * 1024 : memory),
    });
  }
  if (issues.length > 0) throw new ValidationError(`invalid node list ${fileName}`, issues);
  if (machines.length === 0) {
    throw new ValidationError(`invalid node list ${fileName}`, [{ file: fileName, path: '/', message: 'no machine with accelerator cards and a mapped model' }]);
  }

  const groups = groupMachines(machines, mapping);
  const cluster = mapping.cluster ?? 'default';
  const doc: FleetDoc = {
    name: mapping.name,
    ...(mapping.description === undefined ? {} : { description: mapping.description }),
    source: mapping.source ?? fileName,
    clusters: [{ id: cluster }],
    nodeGroups: groups.map((g) => ({ ...g, cluster })),
  };
  return {
    doc,
    rows: csv.records.length - firstData,
    nodes: machines.length,
    cards: machines.reduce((s, m) => s + m.cards, 0),
    skipped: [...skipped].map(([reason, count]) => ({ reason, machines: count })),
  };
}

/** Groups identical machines, in order of first appearance; group ids read like `p100-2x-64c-256gi`. */
function groupMachines(machines: Machine[], mapping: CsvFleetMapping): Omit<NodeGroupDoc, 'cluster'>[] {
  const byKey = new Map<string, Machine[]>();
  for (const m of machines) {
    const key = `${m.model}|${m.chip}|${m.cards}|${m.cpuMilli ?? ''}|${m.memoryMiB ?? ''}`;
    const list = byKey.get(key);
    if (list) list.push(m);
    else byKey.set(key, [m]);
  }
  const usedIds = new Set<string>();
  const groups: Omit<NodeGroupDoc, 'cluster'>[] = [];
  for (const list of byKey.values()) {
    const first = list[0];
    if (!first) continue;
    const parts = [slug(first.model), `${first.cards}x`];
    if (first.cpuMilli !== undefined) parts.push(`${trim(first.cpuMilli / 1000)}c`);
    if (first.memoryMiB !== undefined) parts.push(`${trim(first.memoryMiB / 1024)}gi`);
    let id = parts.join('-');
    for (let n = 2; usedIds.has(id); n++) id = `${parts.join('-')}-${n}`;
    usedIds.add(id);
    groups.push({
      id,
      chip: first.chip,
      servers: list.length,
      cardsPerServer: first.cards,
      ...(first.cpuMilli === undefined ? {} : { cpuMilli: first.cpuMilli }),
      ...(first.memoryMiB === undefined ? {} : { memoryMiB: first.memoryMiB }),
      ...(mapping.serversPerRack === undefined ? {} : { serversPerRack: mapping.serversPerRack }),
      nodeNames: list.map((m) => m.name),
      labels: { 'trace.model': first.model },
    });
  }
  return groups;
}

function wholeNumber(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** undefined: no such column or empty cell; null: present but not a positive number. */
function optionalNumber(s: string | undefined): number | null | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function slug(s: string): string {
  const out = s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return out === '' ? 'model' : out;
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}
