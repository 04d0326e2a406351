/**
 * `tessera sim run | compare | explain`: replay a trace on a fleet through the scheduler on a virtual
 * clock. `run` prints the metrics (or JSON) and can write a self-contained HTML report; `compare`
 * runs several profiles on the same input in one process, side by side; `explain <job>` tells why a
 * job waited, per plugin, over time. File reading happens here; the simulator core is pure.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { builtinCatalog } from '../catalog/index.js';
import { invalid } from '../lib/errors.js';
import { builtinProfiles, resolveProfile, schedule, seededRng, type QueueConfig } from '../sched/index.js';
import { queueingProfileNames, resolveQueueingProfile, tenantQueueName, tenantQueueTree } from '../sched/queueing/index.js';
import { fleetToNodes, perfLink, simulate, type DurationFn, type SimConfig, type SimJob, type SimResult } from '../sim/core/index.js';
import { metricRows, renderReport, type ReportRun } from '../sim/report/index.js';
import { gavelKey, parseAdaptdlWorkload, parseGavelThroughputs, parseGavelTrace, parseJsonlTrace, parseOpenbPods, rateForLoad, syntheticDuration, syntheticJobs } from '../sim/traces/index.js';
import { readTextFile, resolveFleet, sharedDir } from './fleet-source.js';
import { printJson, type CliIo } from './io.js';
import type { CommandRegistrar } from './main.js';
import { simCommand } from './sim-fgd.js';
import { renderTable } from './table.js';

const MAX_TRACE_BYTES = 1024 * 1024 * 1024;

interface SimOptions {
  fleet: string;
  trace: string;
  policy?: string;
  policies?: string;
  seed: string;
  json?: boolean;
  report?: string;
  skipBad?: boolean;
  durationSec?: string;
  interval: string;
  window: string;
  prices?: string;
  progress?: boolean;
  engine: string;
}


function common(cmd: Command): Command {
  return cmd
    .requiredOption('--fleet <fleet>', 'built-in fleet (unicom-2025, demo, openb, ...) or a YAML/JSON fleet file')
    .requiredOption('--trace <kind:path>', 'jsonl:<file>, openb:<pods.csv>, gavel:<file.trace>, sia:<workload.csv>, pollux:<workload.csv>, or synthetic:<count>[,seed=N][,load=0.7][,mode=choose|vendor]')
    .option('--seed <n>', 'seed for the scheduler (and the synthetic trace unless it names its own)', '1')
    .option('--skip-bad', 'skip malformed trace lines (counted) instead of failing')
    .option('--duration-sec <s>', 'run time to assume for jobs whose trace gives none (Sia, Pollux); printed as an assumption')
    .option('--interval <s>', 'schedule at most once per this many virtual seconds (0: at every event)', '0')
    .option('--window <n>', 'pending jobs offered to the scheduler per call, oldest first', '5000')
    .option('--prices <file>', 'JSON {chipId: price per card-hour} for cost (the catalog has no rent prices for most chips)')
    .option('--engine <mode>', 'per-call: schedule(snapshot, queue) every round; persistent: the engine keeps its cluster view (same decisions, much faster on big traces); auto: persistent from 20,000 jobs', 'auto')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--json', 'print JSON');
}

export const register: CommandRegistrar = (program, io) => {
  const sim = simCommand(program);
  common(sim.command('run').description('Replay a trace on a fleet with one scheduler profile'))
    .option('--policy <profile>', `scheduler profile: ${[...Object.keys(builtinProfiles), ...queueingProfileNames].join(', ')}`, 'default')
    .option('--report <file.html>', 'write a self-contained HTML report with charts')
    .action((opts: SimOptions) => runCommand(opts, io));
  common(sim.command('compare').description('Run several profiles on the same fleet and trace, side by side'))
    .requiredOption('--policies <list>', 'comma-separated profiles, e.g. random,best-fit,fgd,default')
    .option('--report <file.html>', 'write a self-contained HTML report with charts')
    .action((opts: SimOptions) => compareCommand(opts, io));
  common(sim.command('explain').description('Why did a job wait? Reasons per plugin while it was pending'))
    .argument('<job>', 'job id in the trace')
    .option('--policy <profile>', 'scheduler profile', 'default')
    .action((job: string, opts: SimOptions) => explainCommand(job, opts, io));
};

interface Prepared {
  config: Omit<SimConfig, 'ctx' | 'jobs'>;
  jobs: () => Iterable<SimJob>;
  count: number;
  seed: number;
  inputs: [string, string][];
  notes: string[];
}

function num(name: string, raw: string, min: number, max: number, integer = false): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) throw invalid(`${name} must be ${integer ? 'an integer' : 'a number'} in ${min}..${max}, got "${raw}"`);
  return v;
}

function prepare(opts: SimOptions, io: CliIo): Prepared {
  const catalog = builtinCatalog();
  const resolved = resolveFleet(opts.fleet, io, catalog);
  const link = perfLink(resolved.fleet, catalog);
  const seed = num('--seed', opts.seed, 0, 2 ** 31 - 1, true);
  const colon = opts.trace.indexOf(':');
  if (colon <= 0) throw invalid(`--trace must be <kind>:<path>, e.g. jsonl:jobs.jsonl or synthetic:10000; got "${opts.trace}"`);
  const kind = opts.trace.slice(0, colon);
  const arg = opts.trace.slice(colon + 1);
  const durationSec = opts.durationSec === undefined ? undefined : num('--duration-sec', opts.durationSec, 0, 1e9);
  const notes: string[] = [];
  let jobs: () => Iterable<SimJob>;
  let count: number;
  let durationOn: DurationFn | undefined;
  const readTrace = (): string => readTextFile(resolve(io.cwd, arg), MAX_TRACE_BYTES, 'trace file');
  const skipNote = (skipped: number): void => {
    if (skipped > 0) notes.push(`${skipped} malformed trace line(s) skipped (--skip-bad)`);
  };
  const withAssumedDuration = (list: SimJob[]): SimJob[] => {
    if (durationSec === undefined) return list;
    notes.push(`assumption: jobs without a run time in the trace run ${durationSec} s (--duration-sec)`);
    return list.map((j) => (j.durationSec === undefined ? { ...j, durationSec } : j));
  };
  if (kind === 'jsonl') {
    const r = parseJsonlTrace(readTrace(), { file: arg, skipBad: opts.skipBad ?? false });
    skipNote(r.skipped);
    const list = withAssumedDuration(r.jobs);
    jobs = () => list;
    count = list.length;
    // Jobs that name a workload class get per-chip run times from the perf model when they carry work.
    durationOn = syntheticDuration(link.tput);
  } else if (kind === 'openb') {
    const r = parseOpenbPods(readTrace(), { file: arg, skipBad: opts.skipBad ?? false });
    skipNote(r.skipped);
    jobs = () => r.jobs;
    count = r.jobs.length;
  } else if (kind === 'sia' || kind === 'pollux') {
    const r = parseAdaptdlWorkload(readTrace(), { file: arg, source: kind, skipBad: opts.skipBad ?? false, ...(durationSec !== undefined ? { durationSec } : {}) });
    skipNote(r.skipped);
    if (durationSec !== undefined) notes.push(`assumption: every ${kind} job runs ${durationSec} s (--duration-sec); the workload file has no run times`);
    else notes.push(`${kind} workloads carry no run time; jobs are rejected at binding unless --duration-sec is given`);
    jobs = () => r.jobs;
    count = r.jobs.length;
  } else if (kind === 'gavel') {
    // Gavel's measured throughputs give each job's run time on K80, P100 and V100 (catalog ids below).
    const tpath = resolve(sharedDir(io), 'data/gavel/simulation_throughputs.json');
    const t = parseGavelThroughputs(readTextFile(tpath, 64 * 1024 * 1024, 'throughput file'), tpath);
    const chipOf: Record<string, string> = { k80: 'nvidia-k80', p100: 'nvidia-p100', v100: 'nvidia-v100-16g' };
    const r = parseGavelTrace(readTrace(), { file: arg, skipBad: opts.skipBad ?? false, throughputs: t, unmeasuredScaleFactor: 'single-gpu' });
    skipNote(r.skipped);
    if (r.downscaled > 0) notes.push(`${r.downscaled} Gavel jobs asked for a scale factor never measured for their type and run as 1-GPU jobs`);
    const rates = new Map<string, Record<string, number>>();
    const list: SimJob[] = r.jobs.map((j) => {
      const row = t.byJob.get(gavelKey(j.jobType, j.scaleFactor)) as Float64Array;
      const perChip: Record<string, number> = {};
      t.workerTypes.forEach((w, i) => {
        const chip = chipOf[w];
        if (chip && (row[i] as number) > 0) perChip[chip] = j.totalSteps / (row[i] as number);
      });
      const id = `gavel-${j.index}`;
      rates.set(id, perChip);
      return { id, tenant: 'gavel', queue: 'default', priority: j.priorityWeight, submitTimeSec: j.arrivalSec, cards: j.scaleFactor, milliPerCard: 1000, gang: j.scaleFactor > 1, chips: { kind: 'any-of', chips: Object.keys(perChip) }, workloadClass: j.jobType, kind: 'train' };
    });
    jobs = () => list;
    count = list.length;
    durationOn = (job, chip) => rates.get(job.id)?.[chip];
    notes.push("Gavel trace: run time = total steps / measured throughput of the job type at its scale factor on the chosen chip (K80 = nvidia-k80, P100 = nvidia-p100, V100 = nvidia-v100-16g); no time-sharing (Gavel's own round-based policies run in bench/gavel-jct.ts)");
  } else if (kind === 'synthetic') {
    const [countRaw, ...params] = arg.split(',');
    count = num('synthetic count', countRaw ?? '', 1, 1e8, true);
    const kv = new Map(params.map((p) => p.split('=') as [string, string]));
    for (const k of kv.keys()) if (!['seed', 'load', 'mode', 'rate'].includes(k)) throw invalid(`synthetic trace: unknown parameter "${k}" (known: seed, load, rate, mode)`);
    const tseed = kv.has('seed') ? num('synthetic seed', kv.get('seed') as string, 0, 2 ** 31 - 1, true) : seed;
    const mode = kv.get('mode') ?? 'choose';
    if (mode !== 'choose' && mode !== 'vendor') throw invalid(`synthetic trace: mode must be choose or vendor, got "${mode}"`);
    const referenceChip = 'nvidia-h20';
    const load = kv.has('load') ? num('synthetic load', kv.get('load') as string, 0.01, 10) : 0.7;
    const rate = kv.has('rate') ? num('synthetic rate', kv.get('rate') as string, 1e-6, 1e9) : rateForLoad(link.fleetInfo, link.tput, { referenceChip }, load);
    if (!(rate > 0)) throw invalid(`synthetic trace: no job class of the mix can run on fleet ${resolved.fleet.name} (the performance model has no estimate for its chips)`);
    jobs = () => syntheticJobs(link.fleetInfo, link.tput, { count, seed: tseed, jobsPerHour: rate, mode, referenceChip });
    durationOn = syntheticDuration(link.tput);
    notes.push(`synthetic mix (generator assumptions): ${count} jobs, ${rate.toFixed(2)} jobs/h (offered load ${kv.has('rate') ? 'from --rate' : load} of the fleet at H20 speed), chips ${mode === 'choose' ? 'chosen by Tessera' : 'pinned to one vendor per job'}, seed ${tseed}`);
  } else {
    throw invalid(`unknown trace kind "${kind}"; known: jsonl, openb, gavel, sia, pollux, synthetic`);
  }
  let pricePerCardHour = link.pricePerCardHour;
  if (opts.prices) {
    const raw = JSON.parse(readTextFile(resolve(io.cwd, opts.prices), 1024 * 1024, 'prices file')) as unknown;
    if (typeof raw !== 'object' || raw === null || Object.values(raw).some((v) => typeof v !== 'number' || !(v >= 0))) throw invalid(`${opts.prices}: expected a JSON object of chip id -> price per card-hour (numbers >= 0)`);
    pricePerCardHour = raw as Record<string, number>;
  }
  const nodes = fleetToNodes(resolved.fleet);
  return {
    config: {
      nodes,
      schedule,
      ...(durationOn ? { durationOn } : {}),
      ...(Object.keys(pricePerCardHour).length > 0 ? { pricePerCardHour } : {}),
      powerWPerCard: link.powerWPerCard,
      scheduleIntervalSec: num('--interval', opts.interval, 0, 1e9),
      queueWindow: num('--window', opts.window, 1, 1e7, true),
    },
    jobs,
    count,
    seed,
    inputs: [
      ['fleet', `${resolved.fleet.name} (${resolved.fleet.nodes.length} nodes, ${resolved.fleet.cards} cards)`],
      ['trace', opts.trace],
      ['seed', String(seed)],
    ],
    notes,
  };
}

function runOne(p: Prepared, policy: string, io: CliIo, opts: SimOptions, label: string, watch?: string[]): SimResult {
  // Queueing profiles (tenant-fair: DRF, preemption, backfill) are built from their own registry and
  // run as the control plane runs them: a root per tenant, a leaf per queue (`tenantQueueTree`; a
  // trace has no quotas), jobs in `<tenant>/<queue>`, and preemption only within a queue.
  const queueing = resolveQueueingProfile(policy, { reclaim: 'never' });
  const profile = queueing ?? resolveProfile(policy);
  const tree = queueing ? tenantTree(p.jobs()) : null;
  const catalog = builtinCatalog();
  const showProgress = opts.progress !== false && p.count >= 20000;
  const started = Date.now();
  if (!['auto', 'per-call', 'persistent'].includes(opts.engine)) throw invalid(`--engine must be auto, per-call or persistent, got "${opts.engine}"`);
  const engine = opts.engine === 'auto' ? (p.count >= 20000 ? 'persistent' : 'per-call') : (opts.engine as 'per-call' | 'persistent');
  const result = simulate({
    ...p.config,
    engine,
    jobs: tree ? withTenantQueues(p.jobs()) : p.jobs(),
    ...(tree ? { queues: tree } : {}),
    ctx: { profile, rng: seededRng(p.seed), catalog, perf: p.config.durationOn ? perfOf(p) : undefined },
    ...(watch ? { watch } : {}),
    ...(showProgress
      ? {
          onProgress: (s) => {
            const f = Math.min(1, s.jobsSeen / p.count);
            const bar = '#'.repeat(Math.round(f * 30)).padEnd(30, '.');
            io.stderr(`\r${label} [${bar}] ${(100 * f).toFixed(0)}% ${s.jobsSeen}/${p.count} jobs, ${s.running} running, ${s.pending} pending, day ${(s.nowSec / 86400).toFixed(1)}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
          },
        }
      : {}),
  });
  if (showProgress) io.stderr(`\r${label} done: ${result.jobs.completed} completed in ${((Date.now() - started) / 1000).toFixed(1)} s${' '.repeat(40)}\n`);
  return result;
}

/** The perf function the scheduler's chip-preference plugin reads (relative throughput). */
function perfOf(p: Prepared): (job: SimJob, chip: string, cards: number) => number | undefined {
  const d = p.config.durationOn as DurationFn;
  return (job, chip, cards) => {
    const t = d(job, chip, cards);
    return t === undefined || t <= 0 ? undefined : 1 / t;
  };
}

function runCommand(opts: SimOptions, io: CliIo): void {
  const policy = opts.policy ?? 'default';
  const p = prepare(opts, io);
  const result = runOne(p, policy, io, opts, policy);
  output([{ label: policy, result }], p, opts, io, `tessera sim run: ${policy}`);
}

function compareCommand(opts: SimOptions, io: CliIo): void {
  const policies = (opts.policies ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (policies.length === 0) throw invalid('--policies needs at least one profile name');
  for (const name of policies) if (!resolveQueueingProfile(name)) resolveProfile(name);
  const p = prepare(opts, io);
  const runs = policies.map((policy) => ({ label: policy, result: runOne(p, policy, io, opts, policy) }));
  output(runs, p, opts, io, `tessera sim compare: ${policies.join(', ')}`);
}

function output(runs: ReportRun[], p: Prepared, opts: SimOptions, io: CliIo, title: string): void {
  if (opts.report) {
    const path = resolve(io.cwd, opts.report);
    writeFileSync(path, renderReport(runs, { title, inputs: p.inputs, notes: p.notes }));
    if (!opts.json) io.stderr(`report written to ${path}\n`);
  }
  if (opts.json) {
    printJson(io, { inputs: Object.fromEntries(p.inputs), notes: p.notes, runs: runs.map((r) => ({ policy: r.label, ...r.result })) });
    return;
  }
  for (const n of p.notes) io.stdout(`note: ${n}\n`);
  const rows = metricRows(runs);
  io.stdout(renderTable(['metric', ...runs.map((r) => r.label)], rows, ['left', ...runs.map(() => 'right' as const)]));
  const chips = [...new Set(runs.flatMap((r) => r.result.perChip.map((c) => c.chip)))].sort();
  io.stdout('\nutilisation per chip type\n');
  io.stdout(renderTable(['chip', ...runs.map((r) => r.label)], chips.map((c) => [c, ...runs.map((r) => `${(100 * (r.result.perChip.find((x) => x.chip === c)?.utilisation ?? 0)).toFixed(1)}%`)]), ['left', ...runs.map(() => 'right' as const)]));
  for (const r of runs) {
    if (r.result.rejections.length === 0) continue;
    io.stdout(`\n${r.label}: ${r.result.jobs.rejected} rejected; first: ${r.result.rejections[0]?.jobId}: ${r.result.rejections[0]?.reason}\n`);
  }
}

function explainCommand(jobId: string, opts: SimOptions, io: CliIo): void {
  const policy = opts.policy ?? 'default';
  const p = prepare(opts, io);
  const result = runOne(p, policy, io, opts, policy, [jobId]);
  const w = result.watched[jobId];
  if (!w) throw invalid(`job "${jobId}" is not in the trace (or arrived after the simulation stopped)`);
  const history = result.explain[jobId] ?? [];
  if (opts.json) {
    printJson(io, { job: jobId, policy, ...w, pending: history });
    return;
  }
  const t = (s: number | null): string => (s === null ? '-' : `${s.toFixed(0)} s`);
  io.stdout(`${jobId} (${policy}): submitted ${t(w.submitSec)}, started ${t(w.startSec)}${w.chip ? ` on ${w.chip}` : ''}, finished ${t(w.endSec)}${w.rejected ? `, rejected: ${w.rejected}` : ''}\n`);
  if (w.startSec !== null) io.stdout(`waited ${(w.startSec - w.submitSec).toFixed(0)} s\n`);
  if (history.length === 0) {
    io.stdout(w.startSec === w.submitSec ? 'never pending: placed on arrival\n' : 'no pending reasons recorded\n');
    return;
  }
  const rows = history.flatMap((h) => h.reasons.map((r, i) => [i === 0 ? `${h.tSec.toFixed(0)} s` : '', r.plugin, r.reason]));
  io.stdout(renderTable(['since', 'plugin', 'reason'], rows));
}

/** The control plane's queue tree for a trace's tenants and queues. */
function tenantTree(jobs: Iterable<SimJob>): QueueConfig[] {
  const seen = new Map<string, { tenant: string; name: string }>();
  for (const j of jobs) seen.set(tenantQueueName(j.tenant, j.queue), { tenant: j.tenant, name: j.queue });
  return tenantQueueTree([], seen.values());
}

function* withTenantQueues(jobs: Iterable<SimJob>): Generator<SimJob> {
  for (const j of jobs) yield { ...j, queue: tenantQueueName(j.tenant, j.queue) };
}
