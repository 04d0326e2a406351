import type { Command } from 'commander';
import { builtinCatalog } from '../catalog/index.js';
import type { ChipSpec } from '../catalog/types.js';
import { invalid } from '../lib/errors.js';
import { bucketsFromMix, bucketsFromTrace, chipOptions, perfProfiles, planServing, type ServingPlan, type TrafficBucket } from '../plan/serving/index.js';
import { loadHighs } from '../sched/lp/index.js';
import { resolveModel } from '../workload/models/index.js';
import { resolveFleet } from './fleet-source.js';
import { printJson, type CliIo } from './io.js';
import { int, keyValues, num, parseSlo, readServingTrace } from './serving-args.js';
import { renderTable } from './table.js';

interface ServingOptions {
  model: string;
  traffic: string;
  slo: string;
  fleet?: string;
  chips?: string;
  price: string[];
  rateScale: string;
  maxUtilization: string;
  precision?: string;
  json?: boolean;
}

/** `tessera plan serving`: the cheapest replica mix for an LLM serving load under an SLO. */
export function register(program: Command, io: CliIo): void {
  const plan = program.command('plan').description('Capacity planning: the cheapest mix of chips for a demand');
  plan
    .command('serving')
    .description('Cheapest replica mix across chip types for an LLM serving load under an SLO (MIP on HiGHS, after Mélange)')
    .requiredOption('--model <m>', 'model preset (e.g. llama-3.1-8b, qwen2.5-7b)')
    .requiredOption('--traffic <t>', "a trace CSV (arrived_at,num_prefill_tokens,num_decode_tokens), 'splitwise:conv' / 'splitwise:code', or 'rate=R,in=I,out=O' / 'rate=R,mix=I:O:W+I:O:W'")
    .requiredOption('--slo <s>', 'latency objective, e.g. ttft=1000,tpot=50 (milliseconds)')
    .option('--fleet <f>', 'fleet whose cards cap each chip type (built-in name or YAML/JSON file)')
    .option('--chips <ids>', 'comma-separated chip ids to consider (default: every chip in the fleet)')
    .option('--price <chip=cnyPerHour>', 'rent per card-hour for a chip whose price the catalog lacks (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--rate-scale <x>', 'multiply a trace\'s request rate (plan for more or less traffic)', '1')
    .option('--max-utilization <u>', 'highest planned load per replica as a share of its SLO capacity', '1')
    .option('--precision <p>', 'weight precision (bf16, fp8, int8, int4)')
    .option('--json', 'print JSON')
    .action(async (o: ServingOptions) => {
      const catalog = builtinCatalog();
      const model = resolveModel(o.model);
      const slo = parseSlo(o.slo);
      const buckets = trafficBuckets(o.traffic, num(o.rateScale, '--rate-scale'), io);
      const prices = parsePrices(o.price, (id) => catalog.resolve(id).id);
      let available: Map<string, number> | null = null;
      let chips: ChipSpec[];
      if (o.fleet) {
        const { fleet } = resolveFleet(o.fleet, io, catalog);
        available = new Map();
        for (const n of fleet.nodes) available.set(n.chip, (available.get(n.chip) ?? 0) + n.cards);
        chips = [...available.keys()].map((id) => catalog.resolve(id));
      } else if (o.chips) {
        chips = [];
      } else {
        throw invalid('Pass --fleet <f> (its cards cap each chip type) or --chips <ids>.');
      }
      if (o.chips) {
        const wanted = o.chips.split(',').map((s) => catalog.resolve(s.trim()).id);
        chips = o.fleet ? chips.filter((c) => wanted.includes(c.id)) : wanted.map((id) => catalog.get(id));
      }
      if (chips.length === 0) throw invalid('No chip type to plan with: the fleet and --chips have none in common.');
      const precision = o.precision === undefined ? undefined : (['bf16', 'fp16', 'fp8', 'int8', 'int4'].find((p) => p === o.precision) as 'bf16' | 'fp16' | 'fp8' | 'int8' | 'int4' | undefined);
      if (o.precision !== undefined && precision === undefined) throw invalid(`--precision must be bf16, fp16, fp8, int8 or int4, got '${o.precision}'.`);
      const profiles = perfProfiles(model, chips, buckets, { slo, ...(precision ? { precision } : {}) });
      const result = planServing({ buckets, chips: chipOptions(chips, prices, available), profiles, maxUtilization: num(o.maxUtilization, '--max-utilization') }, await loadHighs());
      if (o.json) printJson(io, { model: model.id, slo, ...result, profiles });
      else io.stdout(renderPlan(result, model.id, slo));
    });
}

function renderPlan(p: ServingPlan, model: string, slo: { ttftMs: number; tpotMs: number }): string {
  const total = p.buckets.reduce((a, b) => a + b.requestsPerSec, 0);
  let s = `Serving ${model} at ${fmt(total)} req/s in ${p.buckets.length} request-size buckets, SLO TTFT <= ${slo.ttftMs} ms, TPOT <= ${slo.tpotMs} ms\n\n`;
  const mixRows = (label: string, mix: ServingPlan['mix']): string[][] => (mix ? mix.chips.map((c, i) => [i === 0 ? label : '', c.chip, String(c.cardsPerReplica), String(c.replicas), String(c.cards), fmt(c.utilization * 100) + '%', fmt(c.costCnyPerHour)]) : [[label, 'none feasible', '', '', '', '', '']]);
  s += renderTable(['plan', 'chip', 'cards/replica', 'replicas', 'cards', 'load', 'CNY/h'], [...mixRows('cheapest mix', p.mix), ...mixRows('best single type', p.bestSingle)], ['left', 'left', 'right', 'right', 'right', 'right', 'right']);
  if (p.mix && p.bestSingle) s += `\nMix ${fmt(p.mix.costCnyPerHour)} CNY/h vs best single type (${p.bestSingle.chips[0]?.chip}) ${fmt(p.bestSingle.costCnyPerHour)} CNY/h: saving ${fmt((p.savingFraction ?? 0) * 100)}%\n`;
  else s += `\n${p.solver.status}\n`;
  if (p.singles.length > 1) s += `Single types: ${p.singles.map((m) => `${m.chips[0]?.chip} ${fmt(m.costCnyPerHour)}`).join(', ')} CNY/h\n`;
  for (const e of p.singleInfeasible) s += `${e.chip} alone: ${e.reason}\n`;
  for (const e of p.excluded) s += `left out ${e.chip}: ${e.reason}\n`;
  s += 'Capacities come from the performance model (roofline with calibration); see --json for each chip\'s profile and confidence.\n';
  return s;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(x < 10 ? 2 : 1);
}


function parsePrices(list: string[], resolveChip: (id: string) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw invalid(`--price must look like chip=cnyPerHour, got '${item}'.`);
    m.set(resolveChip(item.slice(0, eq).trim()), num(item.slice(eq + 1), `--price ${item.slice(0, eq)}`, true));
  }
  return m;
}

function trafficBuckets(t: string, rateScale: number, io: CliIo): TrafficBucket[] {
  if (t.includes('=')) {
    const kv = keyValues(t, '--traffic');
    const rate = kv.get('rate');
    if (rate === undefined) throw invalid(`--traffic needs rate=<requests per second>, got '${t}'.`);
    const mix = kv.get('mix');
    if (mix !== undefined) {
      return bucketsFromMix(
        num(rate, '--traffic rate'),
        mix.split('+').map((part) => {
          const [i, o, w] = part.split(':');
          if (i === undefined || o === undefined) throw invalid(`--traffic mix entries look like input:output:weight, got '${part}'.`);
          return { inputTokens: int(i, '--traffic mix input'), outputTokens: int(o, '--traffic mix output'), weight: w === undefined ? 1 : num(w, '--traffic mix weight') };
        }),
      );
    }
    const i = kv.get('in');
    const o = kv.get('out');
    if (i === undefined || o === undefined) throw invalid(`--traffic needs in=<input tokens> and out=<output tokens> (or mix=...), got '${t}'.`);
    return bucketsFromMix(num(rate, '--traffic rate'), [{ inputTokens: int(i, '--traffic in'), outputTokens: int(o, '--traffic out'), weight: 1 }]);
  }
  return bucketsFromTrace(readServingTrace(t, io), rateScale);
}



