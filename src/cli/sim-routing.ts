/**
 * `tessera sim routing`: what each gateway routing policy does to TTFT, TPOT and SLO attainment
 * on a fleet of inference replicas, by replaying a serving trace through the gateway's own router
 * onto emulated engines (timing from the performance model) in simulated time. Seconds instead of
 * the trace's real duration, and the same answer on every run.
 */
import { builtinCatalog } from '../catalog/index.js';
import { DEFAULT_AFFINITY_TTFT_SLACK_MS, DEFAULT_TTFT_SLACK_MS } from '../gateway/config/index.js';
import type { RoutingPolicy } from '../gateway/config/schema.js';
import { perfTiming } from '../gateway/emulator/perf-timing.js';
import { poissonTrace, replayRouting, requestsFromTrace, type ReplayReplica, type ReplayResult } from '../gateway/replay/index.js';
import { invalid } from '../lib/errors.js';
import { resolveModel } from '../workload/models/index.js';
import { printJson, type CliIo } from './io.js';
import type { CommandRegistrar } from './main.js';
import { int, keyValues, num, parseSlo, readServingTrace } from './serving-args.js';
import { simCommand } from './sim-fgd.js';
import { renderTable } from './table.js';

interface RoutingOptions {
  model: string;
  replicas: string;
  traffic: string;
  slo?: string;
  policies: string;
  offset: string;
  count: string;
  rate?: string;
  maxOutput?: string;
  maxBatchCap: string;
  hopMs: string;
  chunkedPrefill?: string;
  prefixCache?: string;
  affinity?: boolean;
  json?: boolean;
}

const POLICIES: RoutingPolicy[] = ['round-robin', 'least-request', 'slo'];
const MAX_REPLICAS = 1000;

export const register: CommandRegistrar = (program, io) => {
  simCommand(program)
    .command('routing')
    .description('Replay a serving trace through the gateway router onto emulated replicas (performance-model timing), per routing policy')
    .requiredOption('--model <m>', 'model preset (e.g. llama-3.1-8b)')
    .requiredOption('--replicas <list>', 'comma-separated chips, one replica each; chip:N for N replicas (e.g. h20:2,l20,a10)')
    .requiredOption('--traffic <t>', "a trace CSV (arrived_at,num_prefill_tokens,num_decode_tokens), 'splitwise:conv' / 'splitwise:code', or Poisson arrivals 'rate=R,in=I,out=O[,sessions=N][,seed=S]' / 'rate=R,mix=I:O:W+I:O:W[,...]' (sessions: multi-turn conversations)")
    .option('--slo <s>', 'latency objective, e.g. ttft=2000,tpot=100 (milliseconds); needed by the slo policy to judge TPOT')
    .option('--policies <list>', `comma-separated: ${POLICIES.join(', ')}`, POLICIES.join(','))
    .option('--offset <n>', 'first trace request to replay (0-based)', '0')
    .option('--count <n>', 'requests to replay', '1000')
    .option('--rate <r>', 'rescale arrivals to this mean rate (requests/s), keeping the bursts; default: as recorded')
    .option('--max-output <n>', 'cap each request\'s output tokens')
    .option('--max-batch-cap <n>', "cap on a replica's concurrent sequences (an engine's max_num_seqs)", '256')
    .option('--hop-ms <ms>', 'one-way delay between the gateway and a replica', '1')
    .option('--prefix-cache <tokens>', "engines cache each session's prompt and answer (this many tokens each), and the router knows it")
    .option('--affinity', 'session affinity as the gateway does it (home kept while its first token is within 200 ms of the soonest under slo)')
    .option('--chunked-prefill <tokens>', 'emulate chunked prefill with this token budget per step (prefill and decode share steps, like vLLM V1); default: one prompt at a time')
    .option('--json', 'print JSON')
    .action((o: RoutingOptions) => runRouting(o, io));
};

function runRouting(o: RoutingOptions, io: CliIo): void {
  const catalog = builtinCatalog();
  const model = resolveModel(o.model);
  const slo = o.slo === undefined ? null : parseSlo(o.slo);
  const policies = o.policies.split(',').map((p) => p.trim());
  for (const p of policies) if (!POLICIES.includes(p as RoutingPolicy)) throw invalid(`--policies: unknown policy '${p}'; choose from ${POLICIES.join(', ')}.`);
  const maxBatchCap = int(o.maxBatchCap, '--max-batch-cap');
  const replicas: ReplayReplica[] = [];
  for (const item of o.replicas.split(',')) {
    const [name, countText] = item.trim().split(':');
    if (!name) throw invalid(`--replicas entries look like chip or chip:N, got '${item}'.`);
    const chip = catalog.resolve(name);
    const n = countText === undefined ? 1 : int(countText, `--replicas ${name} count`);
    if (replicas.length + n > MAX_REPLICAS) throw invalid(`--replicas asks for more than ${MAX_REPLICAS} replicas.`);
    let timing;
    try {
      timing = perfTiming(model, chip, { inputTokens: 1024, outputTokens: 256, maxBatchCap });
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('The performance model cannot time')) throw invalid(`--replicas ${name}: ${e.message} Leave that chip out.`);
      throw e;
    }
    for (let i = 0; i < n; i++) replicas.push({ id: `r${replicas.length}-${chip.id}`, chip: chip.id, timing });
  }
  const rows = o.traffic.includes('=') ? syntheticTraffic(o.traffic, int(o.offset, '--offset', true) + int(o.count, '--count')) : readServingTrace(o.traffic, io);
  const requests = requestsFromTrace(rows, {
    offset: int(o.offset, '--offset', true),
    count: int(o.count, '--count'),
    ratePerSec: o.rate === undefined ? null : num(o.rate, '--rate'),
    maxOutputTokens: o.maxOutput === undefined ? null : int(o.maxOutput, '--max-output'),
  });
  const hopMs = num(o.hopMs, '--hop-ms', true);
  const chunked = {
    ...(o.chunkedPrefill === undefined ? {} : { chunkedPrefillTokens: int(o.chunkedPrefill, '--chunked-prefill') }),
    ...(o.prefixCache === undefined ? {} : { prefixCacheTokens: int(o.prefixCache, '--prefix-cache') }),
    ...(o.affinity ? { affinity: { maxLoadRatio: 1.5, ttftSlackMs: DEFAULT_AFFINITY_TTFT_SLACK_MS } } : {}),
  };
  const results = policies.map((policy) => replayRouting({ model: model.id, replicas, requests, policy: policy as RoutingPolicy, slo, ttftSlackMs: DEFAULT_TTFT_SLACK_MS, ewmaAlpha: 0.2, hopMs, ...chunked }));
  const fleet = replicas.map((r) => ({ id: r.id, chip: r.chip, maxBatch: r.timing.maxBatch, kvCapacityTokens: r.timing.kvCapacityTokens, prefillMsPer1kTokens: r.timing.prefillMs(1000), tpotMsBatch1: r.timing.decodeStepMs(1), tpotMsFull: r.timing.decodeStepMs(r.timing.maxBatch), timing: r.timing.source }));
  const span = requests.length > 1 ? (requests[requests.length - 1]?.atMs ?? 0) / 1000 : 0;
  if (o.json) {
    printJson(io, { model: model.id, slo, requests: requests.length, arrivalSpanSec: span, meanRatePerSec: span > 0 ? (requests.length - 1) / span : null, replicas: fleet, results });
    return;
  }
  io.stdout(`[simulated] ${requests.length} requests of ${o.traffic} over ${span.toFixed(1)} s, ${model.id} on ${replicas.length} emulated replicas (${o.chunkedPrefill !== undefined ? `chunked prefill, ${o.chunkedPrefill} tokens per step` : 'one prompt prefilled at a time'})${slo ? `; SLO TTFT <= ${slo.ttftMs} ms, TPOT <= ${slo.tpotMs} ms` : ''}\n`);
  for (const f of fleet) io.stdout(`  ${f.id}: max batch ${f.maxBatch}, KV ${f.kvCapacityTokens ?? 'unlimited'} tokens, prefill ${f.prefillMsPer1kTokens.toFixed(0)} ms/1k tokens, TPOT ${f.tpotMsBatch1.toFixed(1)}-${f.tpotMsFull.toFixed(1)} ms\n`);
  io.stdout(
    renderTable(
      ['policy', 'TTFT p50', 'p95', 'p99', 'TPOT p50', 'p99', 'SLO met', 'rejected', 'requests per replica'],
      results.map((r) => row(r)),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    ),
  );
}

function row(r: ReplayResult): string[] {
  const ms = (x: number): string => (Number.isNaN(x) ? '-' : `${x.toFixed(0)} ms`);
  return [r.policy, ms(r.ttftMs.p50), ms(r.ttftMs.p95), ms(r.ttftMs.p99), Number.isNaN(r.tpotMs.p50) ? '-' : `${r.tpotMs.p50.toFixed(1)} ms`, Number.isNaN(r.tpotMs.p99) ? '-' : `${r.tpotMs.p99.toFixed(1)} ms`, r.sloAttainment === null ? '-' : `${(r.sloAttainment * 100).toFixed(1)}%`, String(r.rejected), r.perReplica.map((x) => x.requests).join(' / ')];
}

/** `rate=R,in=I,out=O[,sessions=N][,seed=S]` or with `mix=I:O:W+I:O:W`: Poisson arrivals, `count` of them (N conversations: multi-turn). */
function syntheticTraffic(t: string, count: number): ReturnType<typeof poissonTrace> {
  const kv = keyValues(t, '--traffic');
  for (const k of kv.keys()) if (!['rate', 'in', 'out', 'mix', 'seed', 'sessions'].includes(k)) throw invalid(`--traffic: unknown key '${k}'; use rate, in, out, mix, sessions and seed.`);
  const rate = kv.get('rate');
  if (rate === undefined) throw invalid(`--traffic needs rate=<requests per second>, got '${t}'.`);
  const mixText = kv.get('mix');
  let mix: { inputTokens: number; outputTokens: number; weight: number }[];
  if (mixText !== undefined) {
    mix = mixText.split('+').map((part) => {
      const [i, o, w] = part.split(':');
      if (i === undefined || o === undefined) throw invalid(`--traffic mix entries look like input:output:weight, got '${part}'.`);
      return { inputTokens: int(i, '--traffic mix input'), outputTokens: int(o, '--traffic mix output'), weight: w === undefined ? 1 : num(w, '--traffic mix weight') };
    });
  } else {
    const i = kv.get('in');
    const o = kv.get('out');
    if (i === undefined || o === undefined) throw invalid(`--traffic needs in=<input tokens> and out=<output tokens> (or mix=...), got '${t}'.`);
    mix = [{ inputTokens: int(i, '--traffic in'), outputTokens: int(o, '--traffic out'), weight: 1 }];
  }
  const sessions = kv.has('sessions') ? int(kv.get('sessions') as string, '--traffic sessions') : 0;
  return poissonTrace(count, num(rate, '--traffic rate'), mix, kv.has('seed') ? int(kv.get('seed') as string, '--traffic seed', true) : 1, sessions);
}

