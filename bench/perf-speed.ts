/**
 * Speed of the performance model: mean microseconds per estimate (training and inference, with and
 * without the assumptions list) and milliseconds for the full throughput matrix (every catalog
 * chip, up to 30, x every workload class). Targets: < 50 us per estimate, < 100 ms per matrix.
 * The baseline is the cheapest call measured in the same run (one decode-step evaluation).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinCatalog } from '../src/catalog/index.js';
import { estimateInfer, estimateTrain, lengthsOf, matrix, workloadClasses } from '../src/perf/index.js';
import { resolveModel } from '../src/workload/models/resolve.js';

function timeIt(n: number, f: (i: number) => unknown): number {
  // Warm up long enough for the JIT to settle; the machines these run on are shared and noisy.
  for (let i = 0; i < n; i++) f(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f(i);
  return Number(process.hrtime.bigint() - t) / 1e3 / n;
}

export function run(): string[] {
  const catalog = builtinCatalog();
  const chips = catalog.chips.slice(0, 30);
  const known = chips.filter((c) => c.densePeak.bf16Tflops.value !== null && c.memBandwidthGBps.value !== null);
  const m70 = resolveModel('llama-3.1-70b');
  const m8 = resolveModel('llama-3.1-8b');
  const lines: string[] = [];
  const base = timeIt(20000, (i) => lengthsOf({ model: m8, chip: known[i % known.length]!, cards: 1, inputTokens: 100 + (i % 7), outputTokens: 200 }));
  const inferUs = timeIt(5000, (i) => estimateInfer({ model: i % 2 ? m70 : m8, chip: known[i % known.length]!, cards: 8, tp: 8, inputTokens: 512 + (i % 5), outputTokens: 256 }));
  const inferLeanUs = timeIt(5000, (i) => estimateInfer({ model: i % 2 ? m70 : m8, chip: known[i % known.length]!, cards: 8, tp: 8, inputTokens: 512 + (i % 5), outputTokens: 256 }, { explain: false }));
  const sloUs = timeIt(3000, (i) => estimateInfer({ model: m8, chip: known[i % known.length]!, cards: 1, inputTokens: 1024, outputTokens: 512 + (i % 3), ttftMs: 2000, tpotMs: 50 }));
  const trainUs = timeIt(3000, (i) => estimateTrain({ model: i % 2 ? m70 : m8, chip: known[i % known.length]!, cards: 64, tp: 8, pp: 1, seqLen: 4096 + (i % 2) * 4096 }));
  const trainLeanUs = timeIt(3000, (i) => estimateTrain({ model: i % 2 ? m70 : m8, chip: known[i % known.length]!, cards: 64, tp: 8, pp: 1, seqLen: 4096 + (i % 2) * 4096 }, { explain: false }));
  const classes = workloadClasses.map((c) => c.id);
  for (let r = 0; r < 3; r++) matrix(classes, chips);
  const runs = 7;
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    matrix(classes, chips);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const fmt = (us: number): string => `${us.toFixed(1)} us (${(us / base).toFixed(0)}x baseline)`;
  lines.push(`baseline (length statistics of one request): ${base.toFixed(2)} us`);
  lines.push(`inference estimate, 8 cards, with assumptions: ${fmt(inferUs)}`);
  lines.push(`inference estimate, lean (as searches call it): ${fmt(inferLeanUs)}`);
  lines.push(`inference estimate with TTFT+TPOT SLO (batch search): ${fmt(sloUs)}`);
  lines.push(`training estimate, 64 cards, with assumptions: ${fmt(trainUs)}`);
  lines.push(`training estimate, lean: ${fmt(trainLeanUs)}`);
  const mean = (inferUs + inferLeanUs + sloUs + trainUs + trainLeanUs) / 5;
  lines.push(`mean per estimate: ${mean.toFixed(1)} us (target < 50 us)`);
  lines.push(`matrix ${classes.length} classes x ${chips.length} chips (best layout per cell): median ${times[Math.floor(runs / 2)]!.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms (target < 100 ms)`);
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  for (const line of run()) process.stdout.write(`${line}\n`);
}
