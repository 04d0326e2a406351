/**
 * The serving planner's saving: the cheapest replica mix (MIP on HiGHS over request-size buckets)
 * against the best single chip type, for llama-3.1-8b under one SLO, on the Splitwise
 * conversation and code traces at several rates. Capacities come from the performance model.
 *
 * Prices: the catalog has no rent prices, and the planner never invents one, so this benchmark
 * passes published on-demand prices per GPU-hour (USD, RunComfy "Pro" tier, one GPU per machine,
 * https://docs.runcomfy.com/about-billing): L40S 2.15, A100 80GB 3.99, H100 80GB 5.99. The planner
 * labels its unit CNY; the saving is a ratio of two costs in the same unit, so it does not depend on it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinCatalog } from '../src/catalog/index.js';
import { parseTraceCsv } from '../src/plan/serving/index.js';
import { bucketsFromTrace, chipOptions, perfProfiles, planServing } from '../src/plan/serving/index.js';
import { loadHighs } from '../src/sched/lp/index.js';
import { resolveModel } from '../src/workload/models/index.js';
import { repoRoot } from './gateway-support.js';

const PRICES = new Map([
  ['nvidia-l40s', 2.15],
  ['nvidia-a100', 3.99],
  ['nvidia-h100', 5.99],
]);
const SLO = { ttftMs: 2000, tpotMs: 60 };

export async function run(): Promise<string[]> {
  const shared = process.env.TESSERA_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');
  const catalog = builtinCatalog();
  const chips = [...PRICES.keys()].map((id) => catalog.get(id));
  const model = resolveModel('llama-3.1-8b');
  const solver = await loadHighs();
  const lines = [`llama-3.1-8b, SLO TTFT <= ${SLO.ttftMs} ms, TPOT <= ${SLO.tpotMs} ms; chips ${[...PRICES].map(([c, p]) => `${c} ${p}/h`).join(', ')} (USD, published on-demand prices; see the file header)`];
  for (const name of ['conv', 'code']) {
    const file = resolve(shared, 'data/vidur/traces', `splitwise_${name}.csv`);
    const trace = parseTraceCsv(readFileSync(file, 'utf8'), file);
    for (const scale of [1, 4, 16]) {
      const t0 = performance.now();
      const buckets = bucketsFromTrace(trace, scale);
      const profiles = perfProfiles(model, chips, buckets, { slo: SLO });
      const plan = planServing({ buckets, chips: chipOptions(chips, PRICES, null), profiles }, solver);
      const ms = performance.now() - t0;
      const rate = buckets.reduce((a, b) => a + b.requestsPerSec, 0);
      const mix = plan.mix ? plan.mix.chips.map((c) => `${c.replicas}x ${c.chip}${c.cardsPerReplica > 1 ? ` (tp${c.cardsPerReplica})` : ''}`).join(' + ') : 'none';
      const single = plan.bestSingle ? `${plan.bestSingle.chips[0]?.replicas}x ${plan.bestSingle.chips[0]?.chip} ${plan.bestSingle.costCnyPerHour.toFixed(2)}/h` : 'none';
      lines.push(
        `splitwise ${name} x${scale} (${rate.toFixed(1)} req/s, ${buckets.length} buckets): mix ${mix} = ${plan.mix?.costCnyPerHour.toFixed(2) ?? '-'}/h; best single type ${single}; saving ${plan.savingFraction === null ? '-' : `${(plan.savingFraction * 100).toFixed(1)}%`} (planned in ${ms.toFixed(0)} ms)`,
      );
    }
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void run().then((lines) => {
    for (const line of lines) process.stdout.write(`${line}\n`);
  });
}
