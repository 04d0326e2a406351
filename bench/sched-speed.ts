/**
 * Scheduler decision rates on the unicom-2025 fleet (1747 nodes, 22,832 cards) with 100,000 jobs queued:
 * 1-card jobs (target 20,000 placements/s) and 64-card gangs (target 2,000/s), per profile, next to a
 * naive first-fit scan over plain node objects measured in the same run (the baseline).
 * A "placement" is a bind; every queued job also gets a verdict (bind or pending with reasons), so
 * both rates are printed: binds/s while the fleet fills, and verdicts/s over the whole queue.
 */
import { pathToFileURL } from 'node:url';
import { builtinCatalog } from '../src/catalog/index.js';
import { builtinFleetDoc, expandFleet } from '../src/fleet/index.js';
import { fleetToSchedNodes, schedule, seededRng, type SchedJob, type SchedNode } from '../src/sched/index.js';

const QUEUE = 100_000;
const PROFILES = ['fast', 'default', 'fgd', 'best-fit'];
const CHIPS = ['thead-ppu', 'metax-c500', 'biren-br104', 'zhonghao-chana'];

function jobs(cards: number, gang: boolean): SchedJob[] {
  const rng = seededRng(7);
  return Array.from({ length: QUEUE }, (_, i) => ({
    id: `j${i}`, tenant: `t${i % 8}`, queue: `q${i % 4}`, priority: Math.floor(rng.next() * 3), submitTimeSec: i,
    cards, milliPerCard: 1000, gang,
    // half pinned to one chip, half "any": the engine then chooses the chip as well as the node
    chips: i % 2 === 0 ? { kind: 'pinned' as const, chip: CHIPS[i % CHIPS.length] as string } : { kind: 'any' as const },
  }));
}

/** The baseline: first fit over node objects, whole cards only, gangs greedily across nodes. */
function naiveFirstFit(nodes: SchedNode[], queue: SchedJob[]): number {
  const free = nodes.map((n) => [...n.freeMilli]);
  let binds = 0;
  for (const job of queue) {
    const ok = (i: number): boolean => job.chips.kind === 'any' || (job.chips.kind === 'pinned' && nodes[i]!.chip === job.chips.chip);
    const freeCards = (i: number): number => free[i]!.filter((m) => m === 1000).length;
    const take = (i: number, k: number): void => {
      const f = free[i]!;
      for (let d = 0; d < f.length && k > 0; d++) if (f[d] === 1000) { f[d] = 0; k--; }
    };
    let placed = false;
    for (let i = 0; i < nodes.length && !placed; i++) if (ok(i) && freeCards(i) >= job.cards) { take(i, job.cards); placed = true; }
    if (!placed && job.gang) {
      const chosen: number[] = [];
      let need = job.cards;
      const chip = job.chips.kind === 'pinned' ? job.chips.chip : null;
      for (let i = 0; i < nodes.length && need > 0; i++) if ((chip === null || nodes[i]!.chip === chip) && freeCards(i) > 0) { chosen.push(i); need -= freeCards(i); }
      if (need <= 0) {
        let left = job.cards;
        for (const i of chosen) { const k = Math.min(left, freeCards(i)); take(i, k); left -= k; }
        placed = true;
      }
    }
    if (placed) binds++;
  }
  return binds;
}

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

export async function run(): Promise<string[]> {
  const catalog = builtinCatalog();
  const fleet = expandFleet(builtinFleetDoc('unicom-2025', catalog));
  const nodes = fleetToSchedNodes(fleet);
  const lines = [
    `fleet unicom-2025: ${nodes.length} nodes, ${fleet.cards} cards; ${QUEUE.toLocaleString('en')} jobs queued.`,
    'placement = the jobs that fit (binds), scheduled as one call; queue = all 100,000 in one call (every job gets a verdict: bind or pending with reasons).',
  ];
  // Warm the JIT on every path first, so that the first profile measured is not also paying for compilation.
  for (const profile of PROFILES) for (const [cards, gang] of [[1, false], [64, true]] as const) schedule({ nodes, running: [], nowSec: 0 }, jobs(cards, gang).slice(0, 2000), { profile, rng: seededRng(1), catalog });
  naiveFirstFit(nodes, jobs(1, false).slice(0, 2000));
  for (const [label, cards, gang, target] of [['1-card jobs', 1, false, 20_000], ['64-card gangs', 64, true, 2_000]] as const) {
    const queue = jobs(cards, gang);
    const fits = Math.floor(fleet.cards / cards);
    const placeable = queue.slice(0, fits);
    let t0 = process.hrtime.bigint();
    const baseBinds = naiveFirstFit(nodes, placeable);
    const baseSec = seconds(t0);
    lines.push(`${label}: baseline naive first-fit placed ${baseBinds} in ${baseSec.toFixed(2)} s = ${(baseBinds / baseSec).toFixed(0)} placements/s`);
    for (const profile of PROFILES) {
      t0 = process.hrtime.bigint();
      const placed = schedule({ nodes, running: [], nowSec: 0 }, placeable, { profile, rng: seededRng(1), catalog });
      const placeSec = seconds(t0);
      const binds = placed.decisions.filter((d) => d.kind === 'bind').length;
      t0 = process.hrtime.bigint();
      const all = schedule({ nodes, running: [], nowSec: 0 }, queue, { profile, rng: seededRng(1), catalog });
      const queueSec = seconds(t0);
      const rate = binds / placeSec;
      lines.push(
        `  ${profile.padEnd(9)} placed ${String(binds).padStart(5)} in ${placeSec.toFixed(2)} s = ${rate.toFixed(0).padStart(6)} placements/s (target ${target.toLocaleString('en')}: ${rate >= target ? 'met' : 'NOT met'}; ${(rate / (baseBinds / baseSec)).toFixed(1)}x baseline); ` +
          `queue of ${QUEUE.toLocaleString('en')}: ${all.decisions.filter((d) => d.kind === 'bind').length} binds + ${Object.keys(all.pending).length} pending in ${queueSec.toFixed(2)} s = ${(QUEUE / queueSec).toFixed(0)} verdicts/s`,
      );
    }
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await run()) console.log(l);
}
