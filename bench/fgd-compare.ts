/**
 * The FGD paper's experiment reproduced: per openb trace variant and policy, Tessera's mean allocation
 * at 100% and 130% arrived load over seeds 42.. next to the published means (the paper's own simulator,
 * ../shared/data/openb/fgd_expected_allo_discrete.csv) and the difference; Tessera's `default` is
 * compared with the published FGD. Also the time per experiment (target: under 5 s).
 * TESSERA_FGD_SEEDS (default 10) sets the seeds; TESSERA_FGD_POLICIES the policies; with
 * TESSERA_GO_SOURCE=<Go's src/math/rand/rng.go> the runs replay Go's random draws (bit-exact curves).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expectedMean, FGD_POLICIES, parseExpected, parseGoCookedTable, parsePolicies, runFgdSeeds, type FgdPolicy } from '../src/sim/fgd/index.js';
import { parseOpenbNodes, parseOpenbPods } from '../src/sim/openb/index.js';

const sharedDir = process.env.TESSERA_SHARED_DIR ?? new URL('../../shared', import.meta.url).pathname;

export async function run(): Promise<string[]> {
  // Compiled to dist/bench, the shared folder is one level further up.
  const shared = [sharedDir, new URL('../../../shared', import.meta.url).pathname].find((d) => {
    try {
      readdirSync(join(d, 'data/openb'));
      return true;
    } catch {
      return false;
    }
  });
  if (!shared) return ['openb data not found; set TESSERA_SHARED_DIR'];
  const dir = join(shared, 'data/openb');
  const seeds = Number(process.env.TESSERA_FGD_SEEDS ?? 10);
  const policies = parsePolicies(process.env.TESSERA_FGD_POLICIES ?? 'random,best-fit,fgd,default');
  const goCooked = process.env.TESSERA_GO_SOURCE ? parseGoCookedTable(readFileSync(process.env.TESSERA_GO_SOURCE, 'utf8')) : undefined;
  const nodes = parseOpenbNodes(readFileSync(join(dir, 'openb_node_list_gpu_node.csv'), 'utf8'));
  const expected = parseExpected(readFileSync(join(dir, 'fgd_expected_allo_discrete.csv'), 'utf8'));
  const variants = readdirSync(dir).filter((f) => /^openb_pod_list_.+\.csv$/.test(f)).sort();
  const lines = [
    `${seeds} seeds from 42, ${goCooked ? "Go's math/rand (replay)" : "Tessera's seeded generator"}; published = mean of the paper's 10 seeds; default is compared with published FGD`,
    `${'variant'.padEnd(11)} ${'policy'.padEnd(9)} ${'@100 ours'.padStart(9)} ${'pub'.padStart(6)} ${'diff'.padStart(6)}   ${'@130 ours'.padStart(9)} ${'pub'.padStart(6)} ${'diff'.padStart(6)}  verdict`,
  ];
  let runs = 0;
  let totalMs = 0;
  let maxMs = 0;
  for (const file of variants) {
    const workload = file.replace(/\.csv$/, '');
    const variant = workload.replace('openb_pod_list_', '');
    const pods = parseOpenbPods(readFileSync(join(dir, file), 'utf8'), file);
    for (const policy of policies) {
      let t = process.hrtime.bigint();
      const s = runFgdSeeds({
        nodes, pods, policy, seeds, ...(goCooked ? { goCooked } : {}),
        onRun: () => {
          const ms = Number(process.hrtime.bigint() - t) / 1e6;
          t = process.hrtime.bigint();
          runs++;
          totalMs += ms;
          maxMs = Math.max(maxMs, ms);
        },
      });
      const published: FgdPolicy = policy === 'default' ? 'fgd' : policy;
      const pubName = FGD_POLICIES[published];
      const cells: string[] = [];
      const verdicts: string[] = [];
      for (const x of [100, 130]) {
        const ours = s.alloc[String(x)];
        const pub = pubName ? expectedMean(expected, workload, pubName, x) : null;
        const diff = ours !== undefined && pub !== null ? ours - pub : null;
        cells.push(`${fmt(ours, 9)} ${fmt(pub, 6)} ${diff === null ? '     -' : `${diff >= 0 ? '+' : ''}${diff.toFixed(2)}`.padStart(6)}`);
        if (diff !== null) verdicts.push(policy === 'default' ? (x === 130 ? (diff >= 0 ? 'beats FGD' : 'BELOW FGD') : '') : Math.abs(diff) <= 1.5 ? 'ok' : 'OFF >1.5');
      }
      lines.push(`${variant.padEnd(11)} ${policy.padEnd(9)} ${cells.join('   ')}  ${verdicts.filter((v) => v).join(', ')}`);
    }
  }
  const budget = 5000;
  lines.push(`time per experiment (one policy, one seed, ~10,900 pods): mean ${(totalMs / Math.max(1, runs)).toFixed(0)} ms, max ${maxMs.toFixed(0)} ms over ${runs} runs; budget ${budget} ms (mean is ${((totalMs / Math.max(1, runs)) / budget).toFixed(2)}x the budget). The paper's Go simulator: over 25 min per run on this kind of machine.`);
  return lines;
}

const fmt = (v: number | null | undefined, w: number): string => (typeof v === 'number' ? v.toFixed(2) : '-').padStart(w);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await run()) console.log(l);
}
