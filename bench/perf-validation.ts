/**
 * `npm run bench:perf`: the performance model against published measurements
 * (bench/data/perf-validation.json). Prints each point's predicted and measured value and the
 * median and 90th-percentile absolute percentage error per group (inference, training, and the
 * per-layer timings from vidur's profiles). Calibration is per chip family + stack only
 * (src/perf/data/efficiency.ts); nothing here is fitted per point.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinCatalog } from '../src/catalog/index.js';
import { estimateInfer } from '../src/perf/infer.js';
import { linearLayerTime } from '../src/perf/layer.js';
import { estimateTrain } from '../src/perf/train.js';
import type { DeclaredChipFigures, PerfPrecision, Recompute } from '../src/perf/types.js';
import { modelFromFile } from '../src/workload/models/parse.js';
import { resolveModel } from '../src/workload/models/resolve.js';
import type { ModelSpec } from '../src/workload/models/types.js';

interface Point {
  id: string;
  kind: 'inference' | 'train' | 'layer-linear';
  model: string | Record<string, unknown>;
  chip: string;
  stack: string;
  cards: number;
  tp?: number;
  pp?: number;
  cp?: number;
  ep?: number;
  virtualStages?: number;
  microBatchSeqs?: number;
  seqLen?: number;
  globalBatchTokens?: number;
  precision: string;
  kvPrecision?: 'bf16' | 'fp8';
  method?: 'full' | 'lora';
  loraRank?: number;
  recompute?: Recompute;
  zero?: 0 | 1 | 2 | 3;
  inputTokens?: number;
  outputTokens?: number;
  batch?: number;
  tokens?: number;
  metric: string;
  measured: number | null;
  vidurFile?: string;
  declared?: DeclaredChipFigures;
  /** `fit`: used to fit an efficiency profile; `check`: only compared afterwards (out-of-sample). */
  split: 'fit' | 'check';
  source: { url: string; note?: string };
}

export interface PointResult {
  id: string;
  group: 'inference' | 'training' | 'layer timings (vidur)';
  predicted: number | null;
  measured: number | null;
  errorPct: number | null;
  split: 'fit' | 'check';
  note: string;
}

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

function sharedDir(root: string): string {
  return process.env.TESSERA_SHARED_DIR ? resolve(process.env.TESSERA_SHARED_DIR) : resolve(root, '..', 'shared');
}

/** Sum of the median linear-layer timings (ms) for this token count and TP degree in a vidur mlp.csv. */
function vidurLinearMs(file: string, tokens: number, tp: number): number | null {
  if (!existsSync(file)) return null;
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = (header ?? '').split(',');
  const idx = (name: string): number => cols.indexOf(name);
  const parts = ['attn_pre_proj', 'attn_post_proj', 'mlp_up_proj', 'mlp_down_proj'].map((p) => idx(`time_stats.${p}.median`));
  const nTok = idx('num_tokens');
  const nTp = idx('num_tensor_parallel_workers');
  for (const row of rows) {
    const c = row.split(',');
    if (Number(c[nTok]) === tokens && Number(c[nTp]) === tp) return parts.reduce((s, i) => s + Number(c[i]), 0);
  }
  return null;
}

export function validate(): PointResult[] {
  const root = repoRoot();
  const data = JSON.parse(readFileSync(join(root, 'bench', 'data', 'perf-validation.json'), 'utf8')) as { points: Point[] };
  const catalog = builtinCatalog();
  const shared = sharedDir(root);
  const out: PointResult[] = [];
  for (const p of data.points) {
    const model: ModelSpec = typeof p.model === 'string' ? resolveModel(p.model) : modelFromFile(p.model, `perf-validation.json#${p.id}`);
    const chip = catalog.resolve(p.chip);
    let predicted: number | null = null;
    let measured = p.measured;
    let note = '';
    if (p.kind === 'inference') {
      const r = estimateInfer({ model, chip, cards: p.cards, tp: p.tp, pp: p.pp, precision: p.precision as PerfPrecision, kvPrecision: p.kvPrecision, inputTokens: p.inputTokens, outputTokens: p.outputTokens, batch: p.batch, declared: p.declared });
      if (r.kind === 'inference') {
        predicted = p.metric === 'tpotMs' ? r.tpotMs : p.metric === 'ttftMs' ? r.ttftMs : r.outputTokensPerSecTotal;
        note = `batch ${r.batch}, ${r.decodeBound}-bound, ${r.confidence}`;
      } else note = r.reason;
    } else if (p.kind === 'train') {
      const r = estimateTrain({
        model,
        chip,
        cards: p.cards,
        tp: p.tp,
        pp: p.pp,
        cp: p.cp,
        ep: p.ep,
        virtualStages: p.virtualStages,
        microBatchSeqs: p.microBatchSeqs,
        seqLen: p.seqLen ?? 4096,
        globalBatchTokens: p.globalBatchTokens,
        precision: p.precision as 'bf16' | 'fp8',
        method: p.method,
        loraRank: p.loraRank,
        recompute: p.recompute,
        zero: p.zero,
        declared: p.declared,
      });
      if (r.kind === 'train') {
        predicted = p.metric === 'tflopsPerCard' ? r.tflopsPerCard : r.tokensPerSecPerCard;
        note = `${r.bottleneck}-bound, recompute ${r.layout.recompute}, ${r.memoryPerCardGiB} GiB, ${r.confidence}`;
      } else note = r.reason;
    } else {
      measured = p.vidurFile ? vidurLinearMs(join(shared, 'data', p.vidurFile), p.tokens ?? 0, p.tp ?? 1) : null;
      const t = linearLayerTime(model, chip, p.tp ?? 1, p.tokens ?? 1);
      predicted = t ? t.ms : null;
      note = measured === null ? 'measurement not found (shared data missing?)' : '';
    }
    const errorPct = predicted !== null && measured !== null && measured > 0 ? (Math.abs(predicted - measured) / measured) * 100 : null;
    out.push({ id: p.id, split: p.split, group: p.kind === 'inference' ? 'inference' : p.kind === 'train' ? 'training' : 'layer timings (vidur)', predicted, measured, errorPct, note });
  }
  return out;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

const fmt = (x: number | null): string => (x === null ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(2));

export function run(): string[] {
  const results = validate();
  const lines: string[] = [];
  const w = Math.max(...results.map((r) => r.id.length));
  lines.push(`${'point'.padEnd(w)}  ${'split'.padEnd(5)}  ${'predicted'.padStart(10)}  ${'measured'.padStart(10)}  ${'error'.padStart(7)}  note`);
  for (const r of results) lines.push(`${r.id.padEnd(w)}  ${r.split.padEnd(5)}  ${fmt(r.predicted).padStart(10)}  ${fmt(r.measured).padStart(10)}  ${(r.errorPct === null ? '-' : `${r.errorPct.toFixed(1)}%`).padStart(7)}  ${r.note}`);
  lines.push('');
  const summary = (label: string, rows: PointResult[]): string => {
    const errs = rows.filter((r) => r.errorPct !== null).map((r) => r.errorPct as number).sort((a, b) => a - b);
    const missing = rows.length - errs.length;
    return `${label}: ${errs.length} points${missing ? ` (${missing} without a prediction or measurement)` : ''}; median APE ${quantile(errs, 0.5).toFixed(1)}%, p90 APE ${quantile(errs, 0.9).toFixed(1)}%, max ${(errs[errs.length - 1] ?? NaN).toFixed(1)}%`;
  };
  for (const group of ['inference', 'training', 'layer timings (vidur)'] as const) {
    const rows = results.filter((r) => r.group === group);
    lines.push(`${summary(group, rows)} (targets: median <= 20%, p90 <= 50%)`);
    const check = rows.filter((r) => r.split === 'check');
    if (check.length > 0) lines.push(`  of which out-of-sample (not used to fit): ${summary(group, check)}`);
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  for (const line of run()) process.stdout.write(`${line}\n`);
}
