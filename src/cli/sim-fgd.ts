import { resolve } from 'node:path';
import type { Command } from 'commander';
import { invalid } from '../lib/errors.js';
import { parseGoCookedTable, parsePolicies, runFgdSeeds, type FgdPolicySummary } from '../sim/fgd/index.js';
import { parseOpenbNodes, parseOpenbPods } from '../sim/openb/index.js';
import { readTextFile, sharedDir } from './fleet-source.js';
import { printJson, type CliIo } from './io.js';
import type { CommandRegistrar } from './main.js';
import { renderTable } from './table.js';

const MAX_CSV_BYTES = 256 * 1024 * 1024;

interface FgdOptions {
  workload: string;
  nodes?: string;
  policy: string;
  seeds: string;
  firstSeed: string;
  tuneRatio: string;
  goSource?: string;
  json?: boolean;
}

/** The `sim` command, found or created, so that any sim file may register first. */
export function simCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'sim') ?? program.command('sim').description('Simulate scheduling and routing: replay traces, compare policies');
}

/**
 * `tessera sim fgd`: the FGD paper's placement experiment on openb (fgd-method.md), per policy the mean
 * allocation % at each arrived-load % 0..130 over seeds.
 */
export const register: CommandRegistrar = (program, io) => {
  simCommand(program)
    .command('fgd')
    .description("Run the FGD paper's experiment (openb): allocation vs arrived load, per policy, mean over seeds")
    .requiredOption('--workload <csv>', 'openb pod list (e.g. openb_pod_list_default.csv)')
    .option('--nodes <csv>', 'openb node list (default: <shared>/data/openb/openb_node_list_gpu_node.csv)')
    .option('--policy <list>', 'comma-separated: random, best-fit, dot-product, gpu-packing, gpu-clustering, fgd, default', 'fgd')
    .option('--seeds <n>', 'number of seeds (the paper: 10)', '10')
    .option('--first-seed <n>', 'first seed (the paper: 42)', '42')
    .option('--tune-ratio <x>', 'demand as a multiple of GPU capacity (the paper: 1.3)', '1.3')
    .option('--go-source <rng.go>', "replay the published runs draw for draw with Go's math/rand; give Go's src/math/rand/rng.go")
    .option('--json', 'print JSON')
    .action((opts: FgdOptions) => runFgdCommand(opts, io));
};

function runFgdCommand(opts: FgdOptions, io: CliIo): void {
  const seeds = intOption('--seeds', opts.seeds, 1, 1000);
  const firstSeed = intOption('--first-seed', opts.firstSeed, -(2 ** 31), 2 ** 31 - 1);
  const tuneRatio = Number(opts.tuneRatio);
  if (!Number.isFinite(tuneRatio) || tuneRatio <= 0 || tuneRatio > 10) throw invalid(`--tune-ratio must be a number in (0, 10], got "${opts.tuneRatio}"`);
  const policies = parsePolicies(opts.policy);
  const nodesPath = opts.nodes ? resolve(io.cwd, opts.nodes) : resolve(sharedDir(io), 'data/openb/openb_node_list_gpu_node.csv');
  const podsPath = resolve(io.cwd, opts.workload);
  const nodes = parseOpenbNodes(readTextFile(nodesPath, MAX_CSV_BYTES, 'node list'), nodesPath);
  const pods = parseOpenbPods(readTextFile(podsPath, MAX_CSV_BYTES, 'pod list'), podsPath);
  const goCooked = opts.goSource ? parseGoCookedTable(readTextFile(resolve(io.cwd, opts.goSource), 1024 * 1024, 'Go source file')) : undefined;
  const total = policies.length * seeds;
  let done = 0;
  const started = Date.now();
  const summaries: FgdPolicySummary[] = policies.map((policy) =>
    runFgdSeeds({
      nodes, pods, policy, seeds, firstSeed, tuneRatio,
      ...(goCooked ? { goCooked } : {}),
      onRun: (r) => {
        done++;
        io.stderr(`[${done}/${total}] ${r.policy} seed ${r.seed}: ${r.pods} pods, ${r.failed} failed, ${fmt(r.alloc[100])}% at 100, ${fmt(r.alloc[130])}% at 130 (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      },
    }),
  );
  if (opts.json) {
    printJson(io, summaries.map((s) => ({
      policy: s.policy,
      alloc: s.alloc,
      seeds: s.seeds,
      rng: goCooked ? 'go' : 'tessera',
      perSeed: s.perSeed.map((r) => ({ seed: r.seed, pods: r.pods, failed: r.failed, alloc100: r.alloc[100], alloc130: r.alloc[130] })),
    })));
    return;
  }
  const rows = summaries.map((s) => [s.policy, String(s.seeds.length), fmt(s.alloc['50']), fmt(s.alloc['100']), fmt(s.alloc['130']), (s.perSeed.reduce((a, r) => a + r.failed, 0) / s.perSeed.length).toFixed(0)]);
  io.stdout(renderTable(['policy', 'seeds', 'alloc@50%', 'alloc@100%', 'alloc@130%', 'failed pods (mean)'], rows, ['left', 'right', 'right', 'right', 'right', 'right']));
}

function intOption(name: string, raw: string, min: number, max: number): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) throw invalid(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
  return v;
}

const fmt = (v: number | null | undefined): string => (typeof v === 'number' ? v.toFixed(2) : '-');
