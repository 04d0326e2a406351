/**
 * `tessera catalog list|show|compare`: the chip catalog from the terminal. `--catalog <file>`
 * merges an extra YAML/JSON catalog file; this file reads it, the catalog core parses it.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  catalogWith,
  closest,
  compareChips,
  formatNumber,
  halfPrecisionPeak,
  MAX_CATALOG_FILE_BYTES,
  parseCatalogFile,
  tooLarge,
  type Catalog,
  type ChipSpec,
  type Comparison,
  type Figure,
} from '../catalog/index.js';
import { invalid, notFound } from '../lib/errors.js';
import { printJson, type CliIo } from './io.js';
import { renderTable } from './table.js';

interface CatalogOpts {
  catalog?: string;
  json?: boolean;
}

/** Reads and parses `--catalog <file>`; size is checked before reading so a huge file is never loaded. */
export function readCatalogFile(path: string, io: CliIo): ReturnType<typeof parseCatalogFile> {
  const full = resolve(io.cwd, path);
  let size: number;
  try {
    const st = statSync(full);
    if (!st.isFile()) throw invalid(`Catalog file ${path} is not a regular file.`);
    size = st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`Catalog file ${path} does not exist.`, { file: path });
    throw e;
  }
  if (size > MAX_CATALOG_FILE_BYTES) throw tooLarge(path, size);
  return parseCatalogFile(readFileSync(full, 'utf8'), path);
}

function catalogFor(opts: CatalogOpts, io: CliIo): Catalog {
  return catalogWith(opts.catalog ? [readCatalogFile(opts.catalog, io)] : []);
}

function withCatalogOption(cmd: Command): Command {
  return cmd.option('--catalog <file>', 'merge an extra YAML or JSON catalog file').option('--json', 'print JSON');
}

const units: Record<string, string> = {
  memoryGiB: 'GiB',
  memBandwidthGBps: 'GB/s',
  fp32Tflops: 'TFLOPS',
  tf32Tflops: 'TFLOPS',
  bf16Tflops: 'TFLOPS',
  fp16Tflops: 'TFLOPS',
  fp8Tflops: 'TFLOPS',
  int8Tops: 'TOPS',
  bandwidthGBps: 'GB/s',
  tdpW: 'W',
  cardsPerServer: 'cards',
};

function valueText(f: Figure, unit: string): string {
  return f.value === null ? 'unknown' : `${formatNumber(f.value)} ${unit}`;
}

/** Half precision for the list view: bf16 where published, else fp16 (marked). */
function halfText(chip: ChipSpec): string {
  const { figure, precision } = halfPrecisionPeak(chip);
  if (figure.value === null) return 'unknown';
  return `${formatNumber(figure.value)}${precision === 'fp16' ? ' (fp16)' : ''}`;
}

function list(catalog: Catalog, vendor: string | undefined, io: CliIo, json: boolean): void {
  if (vendor !== undefined && !catalog.vendors().includes(vendor.toLowerCase())) {
    const close = closest(vendor, catalog.vendors());
    const hint = close.length > 0 ? `Did you mean ${close.join(', ')}?` : `Vendors: ${catalog.vendors().join(', ')}.`;
    throw notFound(`Unknown vendor "${vendor}". ${hint}`, { vendor });
  }
  const chips = catalog.list(vendor === undefined ? {} : { vendor: vendor.toLowerCase() });
  if (json) {
    printJson(io, chips);
    return;
  }
  const rows = chips.map((c) => [
    c.id,
    c.names.en,
    c.names.zh,
    c.memoryGiB.value === null ? 'unknown' : `${formatNumber(c.memoryGiB.value)}${c.memoryType ? ` ${c.memoryType}` : ''}`,
    valueText(c.memBandwidthGBps, ''),
    halfText(c),
    valueText(c.tdpW, ''),
    c.aliases.join(', '),
  ]);
  io.stdout(renderTable(['id', 'name', '名称', 'memory GiB', 'mem GB/s', 'bf16 TFLOPS', 'TDP W', 'aliases'], rows.map((r) => r.map((s) => s.trim()))));
  io.stdout(`${chips.length} chips. Figures are dense peaks; \`tessera catalog show <id>\` gives each one's source and confidence.\n`);
}

function figureRows(label: string, f: Figure, unit: string): string[][] {
  if (f.value === null) return [[label, 'unknown', 'unknown', '', f.note ?? '']];
  const rows = [[label, `${formatNumber(f.value)} ${unit}`, f.confidence, f.source, f.note ?? '']];
  for (const alt of f.alternatives ?? []) {
    rows.push([`  alternative`, `${formatNumber(alt.value)} ${unit}`, alt.confidence, alt.source, alt.note ?? '']);
  }
  if (f.primaryReason) rows.push(['  primary because', '', '', '', f.primaryReason]);
  return rows;
}

function citedKeys(chip: ChipSpec): string[] {
  const keys = new Set<string>();
  const add = (f: Figure): void => {
    if (f.value === null) return;
    for (const k of f.source.split(',')) keys.add(k.trim());
    for (const a of f.alternatives ?? []) for (const k of a.source.split(',')) keys.add(k.trim());
  };
  [chip.memoryGiB, chip.memBandwidthGBps, ...Object.values(chip.densePeak), chip.cardLink.bandwidthGBps, chip.hostLink.bandwidthGBps, chip.tdpW, chip.cardsPerServer].forEach(add);
  for (const p of chip.prices) for (const k of p.source.split(',')) keys.add(k.trim());
  return [...keys];
}

function show(catalog: Catalog, name: string, io: CliIo, json: boolean): void {
  const chip = catalog.resolve(name);
  const sources = citedKeys(chip).map((key) => catalog.source(key) ?? { key, description: '(not in the source list)' });
  if (json) {
    printJson(io, { chip, sources });
    return;
  }
  const lines = [
    `${chip.names.en} / ${chip.names.zh}`,
    `id: ${chip.id}   vendor: ${chip.vendor}${chip.undisclosed ? '   (undisclosed model)' : ''}`,
    `aliases: ${chip.aliases.join(', ') || 'none'}`,
    `memory type: ${chip.memoryType ?? 'unknown'}   form factor: ${chip.formFactor ?? 'unknown'}${chip.devicesPerCard && chip.devicesPerCard > 1 ? `   devices per card: ${chip.devicesPerCard}` : ''}`,
    `card link: ${chip.cardLink.name ?? 'unknown'}   host link: ${chip.hostLink.name ?? 'unknown'}`,
    '',
  ];
  io.stdout(lines.join('\n') + '\n');
  const rows = [
    ...figureRows('memory', chip.memoryGiB, units.memoryGiB ?? ''),
    ...figureRows('memory bandwidth', chip.memBandwidthGBps, 'GB/s'),
    ...(['fp32Tflops', 'tf32Tflops', 'bf16Tflops', 'fp16Tflops', 'fp8Tflops', 'int8Tops'] as const).flatMap((p) =>
      figureRows(p.replace(/T(flops|ops)$/, ''), chip.densePeak[p], units[p] ?? ''),
    ),
    ...figureRows('card-to-card', chip.cardLink.bandwidthGBps, 'GB/s'),
    ...figureRows('host link', chip.hostLink.bandwidthGBps, 'GB/s'),
    ...figureRows('TDP', chip.tdpW, 'W'),
    ...figureRows('cards per server', chip.cardsPerServer, 'cards'),
  ];
  io.stdout(renderTable(['figure', 'value', 'confidence', 'source', 'note'], rows));
  const sw = chip.software;
  io.stdout(
    [
      '',
      `software stack: ${sw.stack}   management tool: ${sw.smiTool ?? 'unknown'}`,
      `kubernetes resources: ${sw.k8sResources.join(', ') || 'unknown'}`,
      `visibility variables: ${sw.visibilityEnv.join(', ') || 'unknown'}   runtime: ${sw.runtimeEnv.join(', ') || 'unknown'}`,
      `device paths: ${sw.devicePaths.join(', ') || 'unknown'}`,
      `prices: ${chip.prices.length === 0 ? 'none with a source' : chip.prices.map((p) => (p.kind === 'rent' ? `${p.cnyPerHour} CNY/h` : `${p.cny} CNY`) + ` (${p.source}, ${p.confidence})`).join('; ')}`,
      ...(chip.notes.length > 0 ? ['', 'notes:', ...chip.notes.map((n) => `  - ${n}`)] : []),
      ...(sources.length > 0 ? ['', 'sources:', ...sources.map((s) => `  [${s.key}] ${s.description}`)] : []),
    ].join('\n') + '\n',
  );
}

/** Marks how firm a printed figure is; datasheet figures stay unmarked. */
const confidenceMark: Record<string, string> = { press: ' ~', derived: ' *', declared: ' r', datasheet: '', unknown: '' };

export function renderComparison(c: Comparison): string {
  const header = ['', ...c.chips.map((chip) => chip.id)];
  const rows: string[][] = [];
  for (const row of c.rows) {
    rows.push([
      `${row.label}`,
      ...row.cells.map((cell) => `${cell.text}${cell.detail === 'fp16' && row.key === 'halfPrecision' ? ' (fp16)' : ''}${confidenceMark[cell.confidence] ?? ''}`),
    ]);
    rows.push([`  vs ${c.baselineId}`, ...row.cells.map((cell) => cell.ratioText)]);
  }
  const out = [
    `Comparison against ${c.baselineId} (dense peaks; ratio = card / baseline)`,
    renderTable(header, rows, ['left', ...c.chips.map(() => 'right' as const)]).trimEnd(),
    'Confidence: unmarked = datasheet, ~ press, * derived, r reported by a tool or operator.',
    `names: ${c.chips.map((chip) => `${chip.id} = ${chip.en} / ${chip.zh}`).join('; ')}`,
  ];
  if (c.conflicts.length > 0) out.push('', 'Conflicting published figures (both kept):', ...c.conflicts.map((s) => `  - ${s}`));
  const linkNames = c.rows.find((r) => r.key === 'cardLink')?.cells.filter((cell) => cell.detail).map((cell) => `${cell.chipId}: ${cell.detail}`) ?? [];
  if (linkNames.length > 0) out.push('', `Card-to-card links: ${linkNames.join('; ')}`);
  out.push(`Host links: ${c.chips.map((chip) => `${chip.id}: ${chip.hostLink ?? 'unknown'}`).join('; ')}`);
  out.push('', 'Unknown means no source we could reach publishes the figure. `tessera catalog show <id>` lists every source and confidence.');
  return out.join('\n') + '\n';
}

export function register(program: Command, io: CliIo): void {
  const catalog = program.command('catalog').description('The chip catalog: every accelerator, each figure with its source and confidence');

  withCatalogOption(catalog.command('list').description('List chips').option('--vendor <vendor>', 'only this vendor (nvidia, huawei, thead, ...)')).action(
    (opts: CatalogOpts & { vendor?: string }) => list(catalogFor(opts, io), opts.vendor, io, opts.json === true),
  );

  withCatalogOption(catalog.command('show').description('Show one chip with every figure, its source and confidence').argument('<chip>', 'id or alias (h20, ppu, 910b, ...)')).action(
    (name: string, opts: CatalogOpts) => show(catalogFor(opts, io), name, io, opts.json === true),
  );

  catalog
    .command('validate')
    .description('Check a YAML or JSON catalog file against the schema and the built-in catalog; every problem with file:line, record and field')
    .argument('<file>', 'catalog file')
    .option('--json', 'print JSON')
    .action((path: string, opts: { json?: boolean }) => {
      const input = readCatalogFile(path, io);
      const merged = catalogWith([input]);
      const ids = input.records.map((r) => (r as { id: string }).id);
      if (opts.json) printJson(io, { ok: true, file: path, chips: ids, total: merged.chips.length });
      else io.stdout(`${path}: ok, ${ids.length} chip${ids.length === 1 ? '' : 's'} (${ids.join(', ') || 'none'}); ${merged.chips.length} with the built-in catalog\n`);
    });

  withCatalogOption(catalog.command('sources').description('List the source keys figures cite, with what each one is')).action((opts: CatalogOpts) => {
    const c = catalogFor(opts, io);
    if (opts.json) printJson(io, c.sources);
    else io.stdout(c.sources.map((s) => `[${s.key}] ${s.description}`).join('\n') + '\n');
  });

  withCatalogOption(
    catalog
      .command('compare')
      .description('Compare chips side by side with ratios to a baseline (the CCTV table: ppu a800 h20 910b br104)')
      .argument('<chips...>', 'ids or aliases')
      .option('--baseline <chip>', 'baseline chip for the ratios', 'nvidia-h20'),
  ).action((names: string[], opts: CatalogOpts & { baseline: string }) => {
    const result = compareChips(catalogFor(opts, io), names, opts.baseline);
    if (opts.json) printJson(io, result);
    else io.stdout(renderComparison(result));
  });
}
