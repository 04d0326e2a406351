/**
 * `tessera fleet list | summary | validate | nodes | export | import`: the fleets Tessera knows and what they hold.
 * A fleet argument is a built-in name, a trace fleet (`openb`) or a YAML/JSON file (see fleet-source.ts).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { builtinCatalog } from '../catalog/index.js';
import {
  builtinFleets,
  expandFleet,
  findBuiltinFleet,
  importFleetCsv,
  MAX_CSV_BYTES,
  MAX_MAPPING_FILE_BYTES,
  parseCsvMapping,
  summarizeFleet,
  validateFleetValue,
  type CsvFleetMapping,
  type FleetSummary,
} from '../fleet/index.js';
import { formatIssue, invalid, ValidationError } from '../lib/errors.js';
import { fleetH20eq, type FleetH20Eq } from '../perf/index.js';
import { readTextFile, resolveFleet, type ResolvedFleet } from './fleet-source.js';
import { printJson, type CliIo } from './io.js';
import { renderTable } from './table.js';

export function register(program: Command, io: CliIo): void {
  const fleet = program.command('fleet').description('Fleets: clusters, servers and cards (built-in, trace-imported or from a YAML/JSON file)');

  fleet
    .command('list')
    .description('List the built-in fleets')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const rows = builtinFleets.map((f) => ({
        name: f.name,
        kind: f.kind === 'data' ? 'built-in' : 'trace import',
        from: f.kind === 'data' ? null : `../shared/${f.dataPath}`,
        description: f.description,
      }));
      if (opts.json) return printJson(io, rows);
      io.stdout(renderTable(['name', 'kind', 'description'], rows.map((r) => [r.name, r.kind, r.from ? `${r.description} (from ${r.from})` : r.description])));
    });

  fleet
    .command('summary')
    .description('Servers, cards, memory and peak compute per chip and in total, with declared figures and warnings')
    .argument('<fleet>', 'built-in name (tessera fleet list) or a YAML/JSON fleet file')
    .option('--h20eq', 'add the capacity in H20-equivalents per workload class (performance model)')
    .option('--json', 'print JSON')
    .action((arg: string, opts: { json?: boolean; h20eq?: boolean }) => {
      const catalog = builtinCatalog();
      const resolved = resolveFleet(arg, io, catalog);
      const summary = summarizeFleet(resolved.fleet, catalog);
      // H20-equivalents only make sense per kind of work (an H20 is weak at dense compute and strong at
      // memory bandwidth), so the fleet's capacity is given per workload class, never as one number.
      const h20eq = opts.h20eq ? fleetH20eq(resolved.fleet, catalog) : undefined;
      if (opts.json) return printJson(io, { ...summary, origin: resolved.origin, ...importFigures(resolved), ...(h20eq ? { h20eq } : {}) });
      io.stdout(renderSummary(summary, resolved));
      if (h20eq) io.stdout(renderH20eq(h20eq));
    });

  registerExport(fleet, io);
  registerImport(fleet, io);
  registerNodes(fleet, io);

  fleet
    .command('validate')
    .description('Check a fleet file; prints OK or every problem as file:line: field: reason')
    .argument('<file>', 'YAML or JSON fleet file (or a built-in name)')
    .option('--json', 'print JSON')
    .action((arg: string, opts: { json?: boolean }) => {
      const catalog = builtinCatalog();
      let resolved: ResolvedFleet;
      try {
        resolved = resolveFleet(arg, io, catalog);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        if (opts.json) printJson(io, { ok: false, file: arg, issues: e.issues });
        else for (const issue of e.issues) io.stderr(`${issueLine(issue)}\n`);
        throw invalid(`${arg} is not a valid fleet: ${e.issues.length} ${e.issues.length === 1 ? 'problem' : 'problems'}`);
      }
      const f = resolved.fleet;
      const groups = f.doc.nodeGroups.length;
      if (opts.json) return printJson(io, { ok: true, file: arg, fleet: f.name, clusters: f.clusters.length, nodeGroups: groups, servers: f.nodes.length, cards: f.cards });
      io.stdout(
        `${arg}: OK (fleet "${f.name}": ${plural(f.clusters.length, 'cluster')}, ${plural(groups, 'node group')}, ${plural(f.nodes.length, 'server')}, ${plural(f.cards, 'card')})\n`,
      );
    });
}

/** Prints a fleet as a YAML or JSON fleet file: a starting point for one's own fleet. */
function registerExport(fleet: Command, io: CliIo): void {
  fleet
    .command('export')
    .description('Print a fleet (built-in, trace or file) as a fleet file to edit and validate')
    .argument('<fleet>', 'built-in name or fleet file')
    .option('--format <format>', 'yaml or json', 'yaml')
    .action((arg: string, opts: { format: string }) => {
      if (opts.format !== 'yaml' && opts.format !== 'json') throw invalid(`--format must be yaml or json, not "${opts.format}"`);
      const doc = resolveFleet(arg, io, builtinCatalog()).fleet.doc;
      if (opts.format === 'json') return printJson(io, doc);
      io.stdout(`# Fleet "${doc.name}", exported by \`tessera fleet export ${arg}\`. Check edits with \`tessera fleet validate <file>\`.\n`);
      io.stdout(stringify(doc, { lineWidth: 0 }));
    });
}

/**
 * `fleet import <csv> --mapping <m>`: any node-list CSV to a fleet file, with a built-in trace
 * mapping (openb, alibaba-2026, pai-2020) or a mapping file of one's own.
 */
function registerImport(fleet: Command, io: CliIo): void {
  fleet
    .command('import')
    .description('Turn a node-list CSV (one row per machine) into a fleet file, or summarise it')
    .argument('<csv>', 'the CSV file')
    .requiredOption('--mapping <mapping>', `a trace mapping (${builtinFleets.filter((f) => f.kind === 'csv').map((f) => f.name).join(', ')}) or a YAML/JSON mapping file`)
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('--summary', 'print the fleet summary instead of the fleet file')
    .option('--json', 'with --summary: print JSON')
    .action((csvPath: string, opts: { mapping: string; format: string; summary?: boolean; json?: boolean }) => {
      if (opts.format !== 'yaml' && opts.format !== 'json') throw invalid(`--format must be yaml or json, not "${opts.format}"`);
      const catalog = builtinCatalog();
      const builtin = findBuiltinFleet(opts.mapping);
      let mapping: CsvFleetMapping;
      if (builtin?.kind === 'csv') mapping = builtin.mapping;
      else if (builtin) throw invalid(`"${opts.mapping}" is a built-in fleet, not a trace mapping; trace mappings: ${builtinFleets.filter((f) => f.kind === 'csv').map((f) => f.name).join(', ')}`);
      else mapping = parseCsvMapping(readTextFile(resolve(io.cwd, opts.mapping), MAX_MAPPING_FILE_BYTES, 'mapping file'), opts.mapping, catalog);
      const imported = importFleetCsv(readTextFile(resolve(io.cwd, csvPath), MAX_CSV_BYTES, 'node list'), csvPath, mapping);
      const doc = validateFleetValue(imported.doc, { file: csvPath }, catalog);
      const left = imported.skipped.map((k) => `${k.machines} (${k.reason})`).join(', ');
      if (opts.summary) {
        const resolved: ResolvedFleet = { fleet: expandFleet(doc), origin: csvPath, kind: 'trace', import: { ...imported, doc } };
        const summary = summarizeFleet(resolved.fleet, catalog);
        if (opts.json) return printJson(io, { ...summary, origin: csvPath, ...importFigures(resolved) });
        return io.stdout(renderSummary(summary, resolved));
      }
      if (opts.format === 'json') return printJson(io, doc);
      io.stdout(`# Fleet "${doc.name}" imported from ${csvPath}: ${imported.nodes} of ${imported.rows} machines${left ? `; left out: ${left}` : ''}.\n`);
      io.stdout(stringify(doc, { lineWidth: 0 }));
    });
}

/** `fleet nodes <fleet>`: the expanded nodes with their ids, racks and link domains. */
function registerNodes(fleet: Command, io: CliIo): void {
  fleet
    .command('nodes')
    .description('List the nodes a fleet expands to (ids, racks, link domains)')
    .argument('<fleet>', 'built-in name or fleet file')
    .option('--chip <chip>', 'only nodes with this chip (id or alias)')
    .option('--group <group>', 'only nodes of this node group')
    .option('--cluster <cluster>', 'only nodes of this cluster')
    .option('--limit <n>', 'at most this many rows in the table (0: all)', '50')
    .option('--devices', 'with --json: include each node\'s devices')
    .option('--json', 'print JSON (every matching node)')
    .action((arg: string, opts: { chip?: string; group?: string; cluster?: string; limit: string; devices?: boolean; json?: boolean }) => {
      const catalog = builtinCatalog();
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 0) throw invalid(`--limit must be a whole number, 0 or more, not "${opts.limit}"`);
      const chip = opts.chip === undefined ? undefined : catalog.resolve(opts.chip).id;
      const nodes = resolveFleet(arg, io, catalog).fleet.nodes.filter(
        (n) => (chip === undefined || n.chip === chip) && (opts.group === undefined || n.group === opts.group) && (opts.cluster === undefined || n.cluster === opts.cluster),
      );
      if (opts.json) return printJson(io, opts.devices ? nodes : nodes.map(({ devices: _devices, ...rest }) => rest));
      const shown = limit === 0 ? nodes : nodes.slice(0, limit);
      const rows = shown.map((n) => [
        n.id,
        n.cluster,
        n.group,
        n.chip,
        String(n.cards),
        n.rack,
        `${n.cards / n.linkDomainSize} x ${n.linkDomainSize}`,
        n.cpuMilli === null ? '-' : String(n.cpuMilli / 1000),
        n.memoryMiB === null ? '-' : String(Math.round(n.memoryMiB / 1024)),
      ]);
      io.stdout(renderTable(['node', 'cluster', 'group', 'chip', 'cards', 'rack', 'link domains', 'CPUs', 'memory GiB'], rows, ['left', 'left', 'left', 'left', 'right', 'left', 'right', 'right', 'right']));
      if (shown.length < nodes.length) io.stdout(`(${shown.length} of ${nodes.length} nodes; --limit 0 shows all)\n`);
    });
}

/** `file:line: path: reason`, the form editors and CI logs link to. */
function issueLine(issue: ValidationError['issues'][number]): string {
  if (!issue.file) return formatIssue(issue);
  const where = `${issue.file}${issue.line === undefined ? '' : `:${issue.line}`}`;
  return `${where}: ${issue.path}: ${issue.message}`;
}

function importFigures(resolved: ResolvedFleet): Record<string, unknown> {
  if (!resolved.import) return {};
  return { import: { rows: resolved.import.rows, nodes: resolved.import.nodes, cards: resolved.import.cards, skipped: resolved.import.skipped } };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const num = (n: number | null, digits = 1): string => (n === null ? 'unknown' : Number.isInteger(n) ? String(n) : n.toFixed(digits));

/** The readable summary: totals, a per-chip table, the declared figures per group, and warnings. */
export function renderSummary(s: FleetSummary, resolved?: ResolvedFleet): string {
  const out: string[] = [];
  out.push(`Fleet ${s.fleet}${s.description ? `: ${s.description}` : ''}`);
  if (s.source) out.push(`Source: ${s.source}`);
  if (resolved?.import) {
    const skipped = resolved.import.skipped.map((k) => `${k.machines} (${k.reason})`).join(', ');
    out.push(`Imported ${resolved.import.nodes} of ${resolved.import.rows} machines from ${resolved.origin}${skipped ? `; left out: ${skipped}` : ''}`);
  }
  const peakNote = s.peakUnknownCards > 0 ? `, ${s.peakUnknownCards} cards without a peak figure` : '';
  out.push(
    `${plural(s.clusters, 'cluster')}, ${plural(s.servers, 'server')}, ${plural(s.cards, 'card')}; peak ${num(s.peakPflops)} PFLOPS (${num(s.peakFromCatalogPflops)} from the catalog, ${num(s.peakFromDeclaredPflops)} declared${peakNote})`,
  );
  out.push('');
  // Declared columns only when something is declared; a plain inventory stays narrow.
  const anyDeclared = s.sumOfDeclaredPflops !== null;
  const rows = s.byChip.map((c) => [
    c.chip,
    String(c.clusters),
    String(c.servers),
    String(c.cards),
    c.memoryGiB === null ? 'unknown' : num(c.memoryGiB, 0),
    c.peakPflops === null ? 'unknown' : `${num(c.peakPflops)}${c.peakBasis === 'catalog' ? ` (${c.catalogPrecision})` : ` (${c.peakBasis})`}`,
    ...(anyDeclared ? [num(c.declaredPflops), c.impliedTflopsPerCard === null ? '-' : `${num(c.impliedTflopsPerCard)} (derived)`] : []),
  ]);
  rows.push([
    'total',
    String(s.clusters),
    String(s.servers),
    String(s.cards),
    `${num(s.memoryGiB, 0)}${s.memoryUnknownCards > 0 ? '+' : ''}`,
    num(s.peakPflops),
    ...(anyDeclared ? [num(s.sumOfDeclaredPflops), ''] : []),
  ]);
  const header = ['chip', 'clusters', 'servers', 'cards', 'memory GiB', 'peak PFLOPS', ...(anyDeclared ? ['declared P', 'implied TFLOPS/card'] : [])];
  out.push(renderTable(header, rows, ['left', ...header.slice(1).map(() => 'right' as const)]).trimEnd());
  if (s.byGroup.some((g) => g.declaredPflops !== null)) {
    out.push('', 'Declared per node group (contract):');
    out.push(
      renderTable(
        ['group', 'contract', 'chip', 'servers', 'cards', 'declared P'],
        s.byGroup.map((g) => [g.group, g.contract ?? g.name ?? '-', g.chip, String(g.servers), g.cardsDerived ? `${g.cards} (derived)` : String(g.cards), num(g.declaredPflops)]),
        ['left', 'left', 'left', 'right', 'right', 'right'],
      ).trimEnd(),
    );
    out.push(`Sum of declared: ${num(s.sumOfDeclaredPflops)} P; declared total: ${num(s.declaredTotalPflops)} P`);
  }
  if (s.warnings.length > 0) {
    out.push('', `Warnings (${s.warnings.length}):`);
    for (const w of s.warnings) out.push(`  ! ${w}`);
  }
  return `${out.join('\n')}\n`;
}

function renderH20eq(rows: FleetH20Eq[]): string {
  const table = renderTable(
    ['workload class', 'H20-equivalents', 'cards counted', 'cards without estimate', 'confidence'],
    rows.map((r) => [r.workloadClass, r.h20eq.toLocaleString('en-US', { maximumFractionDigits: 0 }), String(r.cards - r.cardsWithoutEstimate), String(r.cardsWithoutEstimate), r.confidence]),
    ['left', 'right', 'right', 'right', 'left'],
  );
  const reasons = new Map<string, string>();
  for (const r of rows) for (const b of r.byChip) if (b.h20eqPerCard === null && b.reason && !reasons.has(b.chip)) reasons.set(b.chip, b.reason);
  const notes = [...reasons].map(([chip, reason]) => `  ${chip}: not counted for some classes (${reason})\n`).join('');
  return `\nCapacity in H20-equivalents, per workload class (tessera perf classes defines each):\n${table}${notes}`;
}
