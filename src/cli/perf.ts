/**
 * `tessera perf estimate|best|matrix|h20eq|models|classes`: the performance model from the
 * terminal. This file does the I/O (model files, fleets); the predictions come from `src/perf`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { builtinCatalog, type Catalog, type ChipSpec } from '../catalog/index.js';
import { invalid, notFound } from '../lib/errors.js';
import {
  bestChip,
  bucketLengths,
  bestInfer,
  bestTrain,
  declaredFromFleet,
  fleetH20eq,
  H20_ID,
  matrix,
  matrixToCsv,
  resolveClass,
  workloadClasses,
  type DeclaredChipFigures,
  type InferRequest,
  type InferResult,
  type LengthBucket,
  type Objective,
  type PerfPrecision,
  type Recompute,
  type TrainRequest,
  type TrainResult,
} from '../perf/index.js';
import { findModelPreset, modelPresets, modelShape, parseModelText, type ModelSpec } from '../workload/models/index.js';
import { resolveFleet } from './fleet-source.js';
import { printJson, type CliIo } from './io.js';
import { renderTable } from './table.js';

const MAX_MODEL_FILE_BYTES = 1024 * 1024;

/** A preset id or spelling, or a model file (Tessera YAML/JSON, or a Hugging Face config.json). */
export function loadModel(arg: string, io: CliIo): ModelSpec {
  const preset = findModelPreset(arg);
  if (preset) return preset;
  const path = resolve(io.cwd, arg);
  if (!existsSync(path)) {
    throw notFound(`Unknown model "${arg}": not a preset and no such file. Presets: ${modelPresets.map((m) => m.id).join(', ')}.`, { model: arg });
  }
  const st = statSync(path);
  if (!st.isFile()) throw invalid(`Model file ${arg} is not a regular file.`);
  if (st.size > MAX_MODEL_FILE_BYTES) throw invalid(`Model file ${arg} is ${st.size} bytes; the limit is ${MAX_MODEL_FILE_BYTES}.`);
  return parseModelText(readFileSync(path, 'utf8'), arg);
}

function int(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw invalid(`--${name} must be a positive whole number (got "${v}").`);
    return n;
  };
}

function num(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw invalid(`--${name} must be a positive number (got "${v}").`);
    return n;
  };
}

interface WorkloadOpts {
  model: string;
  task: 'train' | 'inference';
  precision?: PerfPrecision;
  kvPrecision?: 'bf16' | 'fp8';
  tp?: number;
  pp?: number;
  cp?: number;
  input?: number;
  output?: number;
  lengths?: LengthBucket[];
  lengthsFile?: string;
  ttftMs?: number;
  tpotMs?: number;
  batch?: number;
  seq?: number;
  globalBatchTokens?: number;
  method?: 'full' | 'lora';
  loraRank?: number;
  zero?: string;
  recompute?: Recompute;
  tokens?: number;
  declaredTflops?: number;
  declaredBandwidthGbps?: number;
  declaredMemoryGib?: number;
  priceCnyPerHour?: number;
  powerW?: number;
  declaredSource?: string;
  json?: boolean;
}

function addWorkloadOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--model <preset|file>', 'model preset id (see `tessera perf models`) or a model file (YAML/JSON or a Hugging Face config.json)')
    .addOption(new Option('--task <task>', 'what to estimate').choices(['inference', 'train']).makeOptionMandatory())
    .addOption(new Option('--precision <p>', 'math precision; int8/int4 are weight-only').choices(['bf16', 'fp16', 'fp8', 'int8', 'int4']))
    .addOption(new Option('--kv-precision <p>', 'KV-cache precision (inference)').choices(['bf16', 'fp8']))
    .option('--tp <n>', 'tensor-parallel degree (default: searched)', int('tp'))
    .option('--pp <n>', 'pipeline-parallel degree (default: searched)', int('pp'))
    .option('--cp <n>', 'context-parallel degree (train)', int('cp'))
    .option('--input <n>', 'input (prompt) tokens per request (inference)', int('input'))
    .option('--output <n>', 'output tokens per request (inference)', int('output'))
    .option('--lengths-file <csv>', 'a request trace to take the length distribution from (columns num_prefill_tokens,num_decode_tokens as in vidur/splitwise, or input,output)')
    .option('--lengths <spec>', 'a length distribution instead of --input/--output: input:output[:weight],... e.g. 128:512:3,2048:256:1 (inference)', parseLengths)
    .option('--ttft-ms <x>', 'time-to-first-token SLO, ms (inference)', num('ttft-ms'))
    .option('--tpot-ms <y>', 'time-per-output-token SLO, ms (inference)', num('tpot-ms'))
    .option('--batch <n>', 'evaluate this concurrency instead of the maximum (inference)', int('batch'))
    .option('--seq <n>', 'sequence length (train)', int('seq'))
    .option('--global-batch-tokens <n>', 'tokens per optimizer step (train; default 4Mi)', int('global-batch-tokens'))
    .addOption(new Option('--method <m>', 'full training or LoRA (train)').choices(['full', 'lora']))
    .option('--lora-rank <n>', 'LoRA rank (default 16)', int('lora-rank'))
    .addOption(new Option('--zero <stage>', 'ZeRO stage (train; default 1)').choices(['0', '1', '2', '3']))
    .addOption(new Option('--recompute <r>', 'activation recomputation (train; default: least that fits)').choices(['none', 'selective', 'full']))
    .option('--tokens <n>', 'tokens to process, for time/energy/cost (train; default 1e9)', num('tokens'))
    .option('--declared-tflops <x>', 'operator-declared dense 16-bit TFLOPS per card, used where the catalog has none', num('declared-tflops'))
    .option('--declared-bandwidth-gbps <x>', 'operator-declared memory bandwidth per card, GB/s', num('declared-bandwidth-gbps'))
    .option('--declared-memory-gib <x>', 'operator-declared memory per card, GiB', num('declared-memory-gib'))
    .option('--price-cny-per-hour <x>', 'price per card-hour, CNY', num('price-cny-per-hour'))
    .option('--power-w <x>', 'power per card, W', num('power-w'))
    .option('--declared-source <text>', 'where the declared figures come from (contract, report)')
    .option('--json', 'print JSON');
}

function declaredOf(o: WorkloadOpts): DeclaredChipFigures | undefined {
  const any = o.declaredTflops ?? o.declaredBandwidthGbps ?? o.declaredMemoryGib ?? o.priceCnyPerHour ?? o.powerW;
  if (any === undefined) return undefined;
  return {
    ...(o.declaredTflops !== undefined ? { bf16Tflops: o.declaredTflops } : {}),
    ...(o.declaredBandwidthGbps !== undefined ? { memBandwidthGBps: o.declaredBandwidthGbps } : {}),
    ...(o.declaredMemoryGib !== undefined ? { memoryGiB: o.declaredMemoryGib } : {}),
    ...(o.priceCnyPerHour !== undefined ? { priceCnyPerHour: o.priceCnyPerHour } : {}),
    ...(o.powerW !== undefined ? { powerW: o.powerW } : {}),
    source: o.declaredSource ?? 'declared on the command line',
  };
}

function trainRequest(o: WorkloadOpts, model: ModelSpec, chip: ChipSpec, cards: number, declared?: DeclaredChipFigures): TrainRequest {
  if (o.seq === undefined) throw invalid('--seq is required with --task train.');
  if (o.precision === 'int8' || o.precision === 'int4') throw invalid('--precision int8/int4 is weight-only and applies to inference; train with bf16, fp16 or fp8 (LoRA base weights: --method lora).');
  return {
    model,
    chip,
    cards,
    seqLen: o.seq,
    ...(o.globalBatchTokens !== undefined ? { globalBatchTokens: o.globalBatchTokens } : {}),
    ...(o.precision ? { precision: o.precision } : {}),
    ...(o.method ? { method: o.method } : {}),
    ...(o.loraRank !== undefined ? { loraRank: o.loraRank } : {}),
    ...(o.tp !== undefined ? { tp: o.tp } : {}),
    ...(o.pp !== undefined ? { pp: o.pp } : {}),
    ...(o.cp !== undefined ? { cp: o.cp } : {}),
    ...(o.zero !== undefined ? { zero: Number(o.zero) as 0 | 1 | 2 | 3 } : {}),
    ...(o.recompute ? { recompute: o.recompute } : {}),
    ...(o.tokens !== undefined ? { tokens: o.tokens } : {}),
    ...(declared ? { declared } : {}),
  };
}

function inferRequest(o: WorkloadOpts, model: ModelSpec, chip: ChipSpec, cards: number, io: CliIo, declared?: DeclaredChipFigures): InferRequest {
  if (o.lengths && o.lengthsFile) throw invalid('Give either --lengths or --lengths-file, not both.');
  if ((o.lengths || o.lengthsFile) && (o.input !== undefined || o.output !== undefined)) throw invalid('Give either a length distribution or --input/--output, not both.');
  if (!o.lengths && !o.lengthsFile && (o.input === undefined || o.output === undefined)) throw invalid('--input and --output (or --lengths) are required with --task inference.');
  return {
    model,
    chip,
    cards,
    ...(o.lengths ? { lengths: o.lengths } : o.lengthsFile ? { lengths: readLengthsFile(o.lengthsFile, io) } : { inputTokens: o.input, outputTokens: o.output }),
    ...(o.precision ? { precision: o.precision } : {}),
    ...(o.kvPrecision ? { kvPrecision: o.kvPrecision } : {}),
    ...(o.tp !== undefined ? { tp: o.tp } : {}),
    ...(o.pp !== undefined ? { pp: o.pp } : {}),
    ...(o.ttftMs !== undefined ? { ttftMs: o.ttftMs } : {}),
    ...(o.tpotMs !== undefined ? { tpotMs: o.tpotMs } : {}),
    ...(o.batch !== undefined ? { batch: o.batch } : {}),
    ...(declared ? { declared } : {}),
  };
}

/** Keeps the documented fields present (null) when there is no estimate, so scripts can read them. */
function resultJson(r: TrainResult | InferResult, task: 'train' | 'inference'): Record<string, unknown> {
  if (r.kind === 'train' || r.kind === 'inference') return { feasible: true, ...r };
  const blanks =
    task === 'inference'
      ? { outputTokensPerSecPerCard: null, outputTokensPerSecTotal: null, ttftMs: null, tpotMs: null, batch: null }
      : { tokensPerSecPerCard: null, tflopsPerCard: null, mfu: null, memoryPerCardGiB: null };
  const fits = r.kind === 'infeasible' ? r.fits : null;
  return { feasible: false, ...blanks, ...r, fits };
}

const f = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? '-' : x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(digits));

function printEstimateText(io: CliIo, r: TrainResult | InferResult): void {
  if (r.kind === 'cannot-estimate') {
    io.stdout(`cannot estimate: ${r.reason}\n`);
    return;
  }
  if (r.kind === 'infeasible') {
    io.stdout(`infeasible: ${r.reason}\n`);
    return;
  }
  const rows: string[][] = [];
  if (r.kind === 'inference') {
    rows.push(
      ['layout', `tp ${r.layout.tp} x pp ${r.layout.pp}, ${r.layout.replicas} replica(s), ${r.precision} (KV ${r.kvPrecision})`],
      ['batch (concurrent sequences per replica)', `${r.batch} (${r.operatingPoint}; memory allows ${r.maxBatchByMemory})`],
      ['output tokens/s per card', f(r.outputTokensPerSecPerCard)],
      ['output tokens/s total', f(r.outputTokensPerSecTotal)],
      ['TTFT / TPOT', `${f(r.ttftMs)} ms / ${f(r.tpotMs, 2)} ms (${r.decodeBound}-bound)`],
      ['memory per card', `${f(r.memoryPerCardGiB)} GiB of ${f(r.memoryAvailableGiB)} (weights ${f(r.memory.weights)}, KV ${f(r.memory.kvCache)})`],
      ['cost per million output tokens', r.costCnyPerMillionOutputTokens === null ? 'unknown (no price)' : `${f(r.costCnyPerMillionOutputTokens, 2)} CNY`],
    );
  } else {
    rows.push(
      ['layout', `tp ${r.layout.tp} pp ${r.layout.pp} dp ${r.layout.dp} cp ${r.layout.cp}${r.layout.ep > 1 ? ` ep ${r.layout.ep}` : ''}, ZeRO ${r.layout.zero}, recompute ${r.layout.recompute}, v ${r.layout.virtualStages}`],
      ['tokens/s per card', f(r.tokensPerSecPerCard)],
      ['TFLOPS per card / MFU', `${f(r.tflopsPerCard)} / ${(r.mfu * 100).toFixed(1)}%`],
      ['step time', `${f(r.stepTimeSec, 3)} s (${r.bottleneck}-bound; compute ${f(r.stepBreakdownSec.compute, 3)}, comm ${f(r.stepBreakdownSec.tpComm + r.stepBreakdownSec.cpComm + r.stepBreakdownSec.dpComm + r.stepBreakdownSec.epComm + r.stepBreakdownSec.ppComm, 3)}, bubble ${f(r.stepBreakdownSec.bubble, 3)})`],
      ['memory per card', `${f(r.memoryPerCardGiB)} GiB of ${f(r.memoryAvailableGiB)} (weights ${f(r.memory.weights)}, grads ${f(r.memory.gradients)}, optimizer ${f(r.memory.optimizer)}, activations ${f(r.memory.activations)})`],
      [`time for ${r.tokens.toExponential(2)} tokens`, `${f(r.timeSec / 3600, 2)} h; energy ${r.energyKWh === null ? 'unknown' : `${f(r.energyKWh)} kWh`}; cost ${r.costCny === null ? 'unknown (no price)' : `${f(r.costCny)} CNY`}`],
    );
  }
  rows.push(['confidence', `${r.confidence}${r.confidenceReasons.length ? `: ${r.confidenceReasons.join('; ')}` : ''}`]);
  io.stdout(renderTable([`${r.model} on ${r.cards} x ${r.chip}`, ''], rows));
  io.stdout('assumptions:\n');
  for (const a of r.assumptions) io.stdout(`  - ${a.name}: ${a.value === null ? 'unknown' : a.value}${a.unit ? ` ${a.unit}` : ''} [${a.origin}${a.source ? `; ${a.source}` : ''}]${a.note ? ` (${a.note})` : ''}\n`);
}

/** Chips and available cards from `--fleet` (with declared figures from its contracts) or `--chips`. */
function chipsFrom(o: { fleet?: string; chips?: string }, io: CliIo, catalog: Catalog): { chips: ChipSpec[]; cards: Map<string, number>; declared: Map<string, DeclaredChipFigures>; fleetName: string | null } {
  if (o.fleet) {
    const { fleet } = resolveFleet(o.fleet, io, catalog);
    const cards = new Map<string, number>();
    for (const n of fleet.nodes) cards.set(n.chip, (cards.get(n.chip) ?? 0) + n.cards);
    const chips = [...cards.keys()].map((id) => catalog.tryResolve(id)).filter((c): c is ChipSpec => c !== undefined);
    return { chips, cards, declared: declaredFromFleet(fleet), fleetName: fleet.name };
  }
  if (o.chips) {
    const chips = o.chips
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => catalog.resolve(s));
    if (chips.length === 0) throw invalid('--chips needs at least one chip id.');
    return { chips, cards: new Map(), declared: new Map(), fleetName: null };
  }
  return { chips: [...catalog.chips], cards: new Map(), declared: new Map(), fleetName: null };
}

function classesFrom(arg: string | undefined): string[] {
  if (!arg) return workloadClasses.map((c) => c.id);
  return arg
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => resolveClass(s).id);
}

export function register(program: Command, io: CliIo): void {
  const perf = program.command('perf').description('performance model: estimates, best layout and chip, throughput matrix, H20-equivalents');

  addWorkloadOptions(
    perf
      .command('estimate')
      .description('estimate training or inference of a model on N cards of one chip')
      .requiredOption('--chip <id|alias>', 'chip id or alias (see `tessera catalog list`)')
      .requiredOption('--cards <n>', 'number of cards', int('cards')),
  ).action((o: WorkloadOpts & { chip: string; cards: number }) => {
    const catalog = builtinCatalog();
    const chip = catalog.resolve(o.chip);
    const model = loadModel(o.model, io);
    const declared = declaredOf(o);
    checkLayout(model, o.cards, o.tp, o.pp, o.task === 'train' ? o.cp : undefined);
    const r: TrainResult | InferResult = o.task === 'train' ? bestTrain(trainRequest(o, model, chip, o.cards, declared)) : bestInfer(inferRequest(o, model, chip, o.cards, io, declared));
    if (o.json) printJson(io, resultJson(r, o.task));
    else printEstimateText(io, r);
  });

  addWorkloadOptions(
    perf
      .command('best')
      .description('rank chips for a workload by time, cost or energy (chips from --fleet, --chips, or the whole catalog)')
      .option('--fleet <name|file>', 'fleet whose chip types (and card counts) to consider')
      .option('--chips <ids>', 'comma-separated chip ids instead of a fleet')
      .option('--cards <n>', 'cards per chip type to use (default: 8 for train, the fewest that fit for inference)', int('cards'))
      .option('--prices <spec>', 'price per card-hour by chip, CNY: h20=8.5,h100=25 (the catalog has no prices)', parsePrices)
      .addOption(new Option('--objective <o>', 'what to minimise').choices(['time', 'cost', 'energy']).default('time')),
  ).action((o: WorkloadOpts & { fleet?: string; chips?: string; cards?: number; objective: Objective; prices?: Map<string, number> }) => {
    const catalog = builtinCatalog();
    const model = loadModel(o.model, io);
    const { chips, cards, declared, fleetName } = chipsFrom(o, io, catalog);
    const cli = declaredOf(o);
    const wanted = (chip: ChipSpec): number => {
      const n = o.cards ?? (o.task === 'train' ? 8 : minCardsToFit(model, chip, o));
      const have = cards.get(chip.id);
      return have !== undefined && have < n ? 0 : n;
    };
    const workload =
      o.task === 'train'
        ? ({ task: 'train', request: omitChip(trainRequest(o, model, chips[0] ?? catalog.get(H20_ID), 1, cli)) } as const)
        : ({ task: 'inference', request: omitChip(inferRequest(o, model, chips[0] ?? catalog.get(H20_ID), 1, io, cli)) } as const);
    const prices = new Map<string, number>();
    for (const [name, cny] of o.prices ?? []) prices.set(catalog.resolve(name).id, cny);
    const declaredFor = (chip: ChipSpec): DeclaredChipFigures | undefined => {
      const d = declared.get(chip.id);
      const price = prices.get(chip.id);
      if (price === undefined) return d;
      return { ...(d ?? { source: 'declared on the command line' }), priceCnyPerHour: price };
    };
    const ranking = bestChip(workload, chips, o.objective, wanted, declaredFor);
    if (o.json) {
      printJson(io, {
        model: model.id,
        task: o.task,
        objective: o.objective,
        fleet: fleetName,
        ranking: ranking.map((x, i) => ({ rank: x.score === null ? null : i + 1, chip: x.chip, cards: x.cards, score: x.score, unit: x.unit, tokensPerSec: x.tokensPerSec, note: x.note ?? null, estimate: resultJson(x.result, o.task) })),
      });
      return;
    }
    const rows = ranking.map((x, i) => {
      const r = x.result;
      const layout = r.kind === 'train' ? `tp${r.layout.tp} pp${r.layout.pp} dp${r.layout.dp}` : r.kind === 'inference' ? `tp${r.layout.tp} pp${r.layout.pp} x${r.layout.replicas}` : '';
      return [x.score === null ? '-' : String(i + 1), x.chip, String(x.cards), x.score === null ? '-' : f(x.score, 3), f(x.tokensPerSec), layout, r.confidence, x.note ?? ''];
    });
    io.stdout(`${model.id}, ${o.task}, objective ${o.objective} (${ranking[0]?.unit ?? ''}; lower is better)${fleetName ? `, fleet ${fleetName}` : ''}\n`);
    io.stdout(renderTable(['rank', 'chip', 'cards', 'score', 'tokens/s', 'layout', 'confidence', 'note'], rows, ['right', 'left', 'right', 'right', 'right', 'left', 'left', 'left']));
  });

  perf
    .command('matrix')
    .description('throughput matrix: workload class x chip, per card (JSON, CSV or a table)')
    .option('--fleet <name|file>', "the fleet's chip types (its contracts' declared compute fills catalog gaps)")
    .option('--chips <ids>', 'comma-separated chip ids')
    .option('--classes <ids>', `comma-separated workload classes (default all: ${workloadClasses.map((c) => c.id).join(', ')})`)
    .option('--h20eq', 'show H20-equivalents per card instead of throughput')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV (classes as rows, chips as columns)')
    .action((o: { fleet?: string; chips?: string; classes?: string; h20eq?: boolean; json?: boolean; csv?: boolean }) => {
      if (o.json && o.csv) throw invalid('Choose one of --json and --csv.');
      const catalog = builtinCatalog();
      const { chips, declared } = chipsFrom(o, io, catalog);
      const classes = classesFrom(o.classes);
      const m = matrix(classes, chips, (chip) => declared.get(chip.id));
      const h20 = o.h20eq ? matrix(classes, [catalog.get(H20_ID)]) : null;
      const value = (i: number, j: number): number | null => {
        const cell = m.cells[i]?.[j];
        if (!cell || cell.perCard === null) return null;
        if (!h20) return cell.perCard;
        const base = h20.cells[i]?.[0]?.perCard ?? null;
        return base ? Math.round((cell.perCard / base) * 1000) / 1000 : null;
      };
      if (o.csv) {
        if (!h20) {
          io.stdout(matrixToCsv(m));
          return;
        }
        io.stdout(`class,unit,${m.chips.join(',')}\n`);
        m.classes.forEach((c, i) => io.stdout(`${c},H20-equivalents per card,${m.chips.map((_, j) => value(i, j) ?? '').join(',')}\n`));
        return;
      }
      if (o.json) {
        printJson(io, {
          classes: m.classes,
          chips: m.chips,
          unit: h20 ? Object.fromEntries(m.classes.map((c) => [c, 'H20-equivalents per card'])) : m.unit,
          values: m.classes.map((_, i) => m.chips.map((_, j) => value(i, j))),
          cells: m.cells,
        });
        return;
      }
      const header = ['chip', ...m.classes];
      const rows = m.chips.map((chip, j) => [chip, ...m.classes.map((_, i) => f(value(i, j), h20 ? 2 : 0))]);
      io.stdout(`${h20 ? 'H20-equivalents per card' : 'per-card throughput (tokens/s for training classes, output tokens/s for inference classes)'}; "-" = cannot estimate or does not fit (see --json for reasons)\n`);
      io.stdout(renderTable(header, rows, header.map((_, i) => (i === 0 ? 'left' : 'right'))));
    });

  perf
    .command('h20eq')
    .description("H20-equivalents per card of each chip for a workload class (a table for h20eq quotas), or a fleet's capacity per class")
    .option('--fleet <name|file>', "sum a fleet's cards per class (its contracts' declared compute fills catalog gaps)")
    .option('--chips <ids>', 'comma-separated chip ids (default: the whole catalog, or the fleet)')
    .option('--class <id>', 'one workload class')
    .option('--classes <ids>', 'comma-separated workload classes (default: all)')
    .option('--json', 'print JSON')
    .action((o: { fleet?: string; chips?: string; class?: string; classes?: string; json?: boolean }) => {
      if (o.class && o.classes) throw invalid('Choose one of --class and --classes.');
      const catalog = builtinCatalog();
      const classes = classesFrom(o.class ?? o.classes);
      if (o.fleet) {
        const { fleet } = resolveFleet(o.fleet, io, catalog);
        const rows = fleetH20eq(fleet, catalog, undefined, classes);
        if (o.json) {
          printJson(io, { fleet: fleet.name, classes: rows });
          return;
        }
        io.stdout(`fleet ${fleet.name}: capacity in H20-equivalents per workload class\n`);
        io.stdout(
          renderTable(
            ['class', 'H20-equivalents', 'cards', 'cards without estimate', 'confidence'],
            rows.map((r) => [r.workloadClass, f(r.h20eq, 0), String(r.cards), String(r.cardsWithoutEstimate), r.confidence]),
            ['left', 'right', 'right', 'right', 'left'],
          ),
        );
        const missing = new Map<string, string>();
        for (const r of rows) for (const b of r.byChip) if (b.h20eqPerCard === null && b.reason && !missing.has(b.chip)) missing.set(b.chip, b.reason);
        for (const [chip, reason] of missing) io.stdout(`  ${chip}: no estimate for some classes (${reason})\n`);
        return;
      }
      const { chips, declared } = chipsFrom(o, io, catalog);
      const m = matrix(classes, chips, (chip) => declared.get(chip.id));
      const base = matrix(classes, [catalog.get(H20_ID)]);
      const perClass = m.classes.map((cls, i) => {
        const h20 = base.cells[i]?.[0]?.perCard ?? null;
        const cells = m.cells[i] ?? [];
        const table: Record<string, number> = {};
        const details = cells.map((c) => {
          const value = c.perCard !== null && h20 ? Math.round((c.perCard / h20) * 10000) / 10000 : null;
          if (value !== null) table[c.chip] = value;
          return { chip: c.chip, h20eq: value, perCard: c.perCard, confidence: c.confidence, ...(c.reason ? { reason: c.reason } : {}) };
        });
        return { workloadClass: cls, h20eq: table, details };
      });
      if (o.json) {
        printJson(io, perClass.length === 1 ? perClass[0] : perClass);
        return;
      }
      io.stdout('H20-equivalents per card ("-": cannot estimate or does not fit; --json gives the reasons)\n');
      const header = ['chip', ...m.classes];
      const rows = m.chips.map((chip, j) => [chip, ...perClass.map((c) => f(c.details[j]?.h20eq ?? null, 2))]);
      io.stdout(renderTable(header, rows, header.map((_, i) => (i === 0 ? 'left' : 'right'))));
    });

  perf
    .command('models')
    .description('list the model presets')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      if (o.json) {
        printJson(io, modelPresets.map((m) => ({ ...m, derived: { totalParams: modelShape(m).totalParams, activeParams: modelShape(m).activeParams, kvElemsPerToken: modelShape(m).kvElemsPerToken } })));
        return;
      }
      const rows = modelPresets.map((m) => {
        const s = modelShape(m);
        return [m.id, `${(s.totalParams / 1e9).toFixed(1)}B`, m.moe ? `${(s.activeParams / 1e9).toFixed(1)}B` : '', String(m.layers), String(m.hiddenSize), `${m.heads}/${m.mla ? 'MLA' : m.kvHeads}`, m.source.url];
      });
      io.stdout(renderTable(['id', 'params', 'active', 'layers', 'hidden', 'heads/kv', 'source'], rows));
    });

  perf
    .command('classes')
    .description('list the workload classes used for the matrix and H20-equivalents')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      if (o.json) printJson(io, workloadClasses);
      else io.stdout(renderTable(['class', 'definition'], workloadClasses.map((c) => [c.id, c.description])));
    });
}

/** Layouts that cannot work are input mistakes: one clear sentence, before any estimate. */
function checkLayout(model: ModelSpec, cards: number, tp?: number, pp?: number, cp?: number): void {
  const used = (tp ?? 1) * (pp ?? 1) * (cp ?? 1);
  if (used > cards) throw invalid(`Impossible layout: tp x pp${cp ? ' x cp' : ''} = ${used} needs more cards than the ${cards} given.`);
  if (tp !== undefined && model.heads % tp !== 0) throw invalid(`Impossible layout: --tp ${tp} must divide the ${model.heads} attention heads of ${model.id}.`);
  if (cards % used !== 0) throw invalid(`Impossible layout: --cards ${cards} must be a multiple of tp x pp${cp ? ' x cp' : ''} = ${used}.`);
  if (tp !== undefined && !model.mla && model.kvHeads % tp !== 0 && tp % model.kvHeads !== 0) throw invalid(`Impossible layout: --tp ${tp} and the ${model.kvHeads} KV heads of ${model.id} must divide one another.`);
  if (pp !== undefined && pp > model.layers) throw invalid(`Impossible layout: --pp ${pp} exceeds the ${model.layers} layers of ${model.id}.`);
}

const MAX_TRACE_BYTES = 64 * 1024 * 1024;

/** Reads a request trace (CSV with a header) into half-octave length buckets. */
export function readLengthsFile(path: string, io: CliIo): LengthBucket[] {
  const full = resolve(io.cwd, path);
  if (!existsSync(full)) throw notFound(`Lengths file ${path} does not exist.`);
  const st = statSync(full);
  if (!st.isFile()) throw invalid(`Lengths file ${path} is not a regular file.`);
  if (st.size > MAX_TRACE_BYTES) throw invalid(`Lengths file ${path} is ${st.size} bytes; the limit is ${MAX_TRACE_BYTES}.`);
  const [header, ...rows] = readFileSync(full, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const cols = (header ?? '').split(',').map((c) => c.trim().toLowerCase());
  const find = (...names: string[]): number => cols.findIndex((c) => names.includes(c));
  const inCol = find('num_prefill_tokens', 'input', 'input_tokens', 'prompt_tokens');
  const outCol = find('num_decode_tokens', 'output', 'output_tokens', 'completion_tokens');
  if (inCol < 0 || outCol < 0) throw invalid(`Lengths file ${path}: the header needs an input column (num_prefill_tokens, input, input_tokens or prompt_tokens) and an output column (num_decode_tokens, output, output_tokens or completion_tokens).`);
  const pairs = rows.map((r) => {
    const c = r.split(',');
    return { inputTokens: Number(c[inCol]), outputTokens: Number(c[outCol]) };
  });
  const buckets = bucketLengths(pairs);
  if (buckets.length === 0) throw invalid(`Lengths file ${path} has no row with positive input and output token counts.`);
  return buckets;
}

/** `128:512:3,2048:256` -> length buckets (weight defaults to 1). */
export function parseLengths(spec: string): LengthBucket[] {
  const buckets = spec.split(',').map((part) => {
    const [i, o, w, extra] = part.trim().split(':');
    const input = Number(i);
    const output = Number(o);
    const weight = w === undefined || w === '' ? 1 : Number(w);
    if (extra !== undefined || !Number.isInteger(input) || input <= 0 || !Number.isInteger(output) || output <= 0 || !(weight > 0) || !Number.isFinite(weight)) {
      throw invalid(`--lengths: "${part}" is not input:output[:weight] with positive whole token counts and a positive weight.`);
    }
    return { inputTokens: input, outputTokens: output, weight };
  });
  if (buckets.length === 0) throw invalid('--lengths needs at least one input:output bucket.');
  return buckets;
}

/** `h20=8.5,h100=25` -> chip name -> CNY per card-hour. */
export function parsePrices(spec: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of spec.split(',')) {
    const [name, value] = part.split('=').map((x) => x.trim());
    const cny = Number(value);
    if (!name || !(cny > 0) || !Number.isFinite(cny)) throw invalid(`--prices: "${part}" is not chip=CNY-per-card-hour with a positive price.`);
    out.set(name, cny);
  }
  return out;
}

function omitChip<T extends { chip: ChipSpec; cards: number }>(r: T): Omit<T, 'chip' | 'cards'> {
  const { chip: _chip, cards: _cards, ...rest } = r;
  return rest;
}

/** The fewest cards (a power of two up to 64) whose combined memory holds the weights with a fifth to spare for the KV cache. */
function minCardsToFit(model: ModelSpec, chip: ChipSpec, o: WorkloadOpts): number {
  const mem = chip.memoryGiB.value;
  if (mem === null) return 8;
  const bytes = o.precision === 'int4' ? 0.5 : o.precision === 'int8' || o.precision === 'fp8' ? 1 : 2;
  const need = (modelShape(model).totalParams * bytes) / 1024 ** 3 / 0.8;
  for (const n of [1, 2, 4, 8, 16, 32, 64]) if (n * mem * 0.9 >= need) return n;
  return 64;
}
