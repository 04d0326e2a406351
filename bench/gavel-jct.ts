/**
 * Gavel's experiment (issue 4, result 2): heterogeneity-aware max-min fairness (Gavel's
 * `max_min_fairness_perf`) against the agnostic version (`max_min_fairness`), both as LPs on HiGHS,
 * average JCT on 36 K80 + 36 P100 + 36 V100 with Gavel's measured throughputs.
 * 1. The shared Philly-derived trace `msr-seed0` replayed as is.
 * 2. Gavel's Poisson arrivals at a range of rates (single-GPU jobs, as Gavel's Figure 8), seeded.
 * Gavel reports the aware policy up to 3.5x lower average JCT (OSDI'20, section 7.2).
 * Env: GAVEL_JOBS (jobs per rate, default 400), GAVEL_RATES (comma list, jobs/hour), GAVEL_TRACES
 * (`all` replays every msr-seed0 file, about 8 minutes here; default only 0e4a51.trace).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadHighs } from '../src/sched/lp/index.js';
import { compareOnJobs, rateSweep, traceJobs, type GavelComparison } from '../src/sim/gavel/index.js';
import { parseGavelThroughputs, parseGavelTrace } from '../src/sim/traces/gavel.js';

export function sharedDir(): string {
  if (process.env.TESSERA_SHARED_DIR) return process.env.TESSERA_SHARED_DIR;
  // bench/x.ts and dist/bench/x.js: walk up to the folder holding package.json.
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      readFileSync(join(d, 'package.json'));
      return resolve(d, '..', 'shared');
    } catch {
      d = dirname(d);
    }
  }
  return resolve(process.cwd(), '..', 'shared');
}

const h = (sec: number): string => (sec / 3600).toFixed(1);

function row(c: GavelComparison): string {
  return `${c.label.padEnd(16)} aware ${h(c.aware.avgJctSec).padStart(7)} h   agnostic ${h(c.agnostic.avgJctSec).padStart(7)} h   ratio ${c.ratio.toFixed(2)}x   (jobs measured ${c.aware.measuredJobs}, LP solves ${c.aware.lpSolves}+${c.agnostic.lpSolves}, fallbacks ${c.aware.fallbacks + c.agnostic.fallbacks})`;
}

export async function run(): Promise<string[]> {
  const dir = join(sharedDir(), 'data', 'gavel');
  const t = parseGavelThroughputs(readFileSync(join(dir, 'simulation_throughputs.json'), 'utf8'), 'simulation_throughputs.json');
  const solver = await loadHighs();
  const lines = [`Gavel throughput matrix: ${t.byJob.size} (job type, scale factor) pairs on ${t.workerTypes.join('/')}; cluster 36 K80 + 36 P100 + 36 V100; rounds of 6 min`];
  const traceDir = join(dir, 'traces', 'msr-seed0');
  const all = readdirSync(traceDir).filter((x) => x.endsWith('.trace')).sort();
  const first: string[] = all.includes('0e4a51.trace') ? ['0e4a51.trace'] : all.slice(0, 1);
  const files = process.env.GAVEL_TRACES === 'all' ? all : first;
  for (const f of files) {
    const { jobs, downscaled } = parseGavelTrace(readFileSync(join(traceDir, f), 'utf8'), { file: f, throughputs: t, unmeasuredScaleFactor: 'single-gpu' });
    const c = compareOnJobs(`trace ${f}`, null, traceJobs(jobs, t), t, solver);
    lines.push(`${f}: ${jobs.length} jobs over ${(Math.max(...jobs.map((j) => j.arrivalSec)) / 86400).toFixed(0)} days; ${downscaled} asked for a scale factor Gavel never measured for their type and run as 1-GPU jobs`);
    lines.push(row(c));
  }
  const n = Number(process.env.GAVEL_JOBS ?? 400);
  const rates = (process.env.GAVEL_RATES ?? '2,4,6,7,8').split(',').map(Number);
  for (const c of rateSweep(t, solver, { rates, jobs: n, seed: 1 })) lines.push(row(c));
  lines.push("Gavel's reported gain for heterogeneity-aware LAS/max-min fairness: up to 3.5x lower average JCT (OSDI'20, Fig. 8).");
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await run()) console.log(l);
}
