import type { Command } from 'commander';
import { invalid } from '../lib/errors.js';
import { builtinCatalog } from '../catalog/index.js';
import { explicitTiming, perfTiming, startEmulator, type EmulatorTiming } from '../gateway/emulator/index.js';
import { resolveModel } from '../workload/models/index.js';
import { seededRng } from '../lib/rng.js';
import type { CliIo } from './io.js';

interface EmulateOptions {
  chip: string;
  model: string;
  port: string;
  host: string;
  ttftMs?: string;
  chunkedPrefill?: string;
  prefixCache?: string;
  tpotMs?: string;
  maxBatch?: string;
  prefillMsPer1k?: string;
  tpotMsPerSeq?: string;
  kvTokens?: string;
  maxContext?: string;
  errorRate?: string;
  abortRate?: string;
  seed: string;
  inputTokens: string;
  outputTokens: string;
  tp: string;
}

/** `tessera emulate`: an OpenAI-compatible backend paced by a timing model, for tests and demos. */
export function register(program: Command, io: CliIo): void {
  program
    .command('emulate')
    .description('Run an OpenAI-compatible backend whose timing follows a performance model (or explicit numbers)')
    .requiredOption('--chip <id>', 'chip id the emulated replica runs on (shown to the gateway)')
    .requiredOption('--model <name>', 'model name it serves')
    .option('--port <n>', 'TCP port (0 = any free port)', '8000')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--ttft-ms <ms>', 'time to first token of a short prompt when idle')
    .option('--tpot-ms <ms>', 'time per output token at batch 1')
    .option('--max-batch <n>', 'sequences decoded together at most')
    .option('--prefill-ms-per-1k <ms>', 'extra prefill time per 1,000 prompt tokens', '0')
    .option('--tpot-ms-per-seq <ms>', 'extra decode-step time per additional running sequence', '0')
    .option('--kv-tokens <n>', 'KV-cache capacity in tokens (requests beyond it queue)')
    .option('--max-context <n>', 'longest prompt + completion per request')
    .option('--error-rate <p>', 'inject: probability of a 500 before the first byte', '0')
    .option('--abort-rate <p>', 'inject: probability of cutting the connection mid-response', '0')
    .option('--seed <n>', 'seed of the fault-injection RNG', '1')
    .option('--input-tokens <n>', 'typical prompt length the engine is sized for (performance-model timing)', '512')
    .option('--output-tokens <n>', 'typical completion length (performance-model timing)', '128')
    .option('--tp <n>', 'tensor-parallel degree of the emulated replica (performance-model timing)', '1')
    .option('--prefix-cache <tokens>', "automatic prefix caching: keep each session's prompt and answer (session: `user`, or the first message) in a cache of this many tokens")
    .option('--chunked-prefill <tokens>', 'chunked prefill with this token budget per step (prefill and decode share steps, like vLLM V1); default: one prompt at a time beside decoding')
    .action(async (o: EmulateOptions) => {
      // Aliases (`h20`, `910b`) become catalog ids, so the gateway and accounting see one name per chip.
      o.chip = builtinCatalog().tryResolve(o.chip)?.id ?? o.chip;
      const timing = timingFrom(o);
      const emulator = await startEmulator({
        model: o.model,
        chip: o.chip,
        timing,
        port: int(o.port, '--port', 0),
        host: o.host,
        ...(o.chunkedPrefill !== undefined ? { chunkedPrefillTokens: int(o.chunkedPrefill, '--chunked-prefill', 1) } : {}),
        ...(o.prefixCache !== undefined ? { prefixCacheTokens: int(o.prefixCache, '--prefix-cache', 1) } : {}),
        faults: { errorRate: prob(o.errorRate, '--error-rate'), abortRate: prob(o.abortRate, '--abort-rate'), random: seededRng(int(o.seed, '--seed', 0)).next },
      });
      io.stdout(`emulator: model ${o.model} on ${o.chip} at ${emulator.url} (timing: ${timing.source}, max batch ${timing.maxBatch}, KV ${timing.kvCapacityTokens ?? 'unbounded'} tokens, ${o.chunkedPrefill !== undefined ? `chunked prefill ${o.chunkedPrefill} tokens per step` : 'prefill one prompt at a time'})\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void emulator.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

function timingFrom(o: EmulateOptions): EmulatorTiming {
  const explicit = [o.ttftMs, o.tpotMs, o.maxBatch].filter((x) => x !== undefined).length;
  if (explicit === 0) {
    // No explicit numbers: time the engine from the performance model.
    try {
      return perfTiming(resolveModel(o.model), builtinCatalog().resolve(o.chip), { inputTokens: int(o.inputTokens, '--input-tokens', 1), outputTokens: int(o.outputTokens, '--output-tokens', 1), tp: int(o.tp, '--tp', 1) });
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('The performance model cannot time')) throw invalid(`${e.message} Pass --ttft-ms, --tpot-ms and --max-batch instead.`);
      throw e;
    }
  }
  if (o.ttftMs === undefined || o.tpotMs === undefined || o.maxBatch === undefined) {
    throw invalid('Explicit timing needs all of --ttft-ms, --tpot-ms and --max-batch (or none of them, to use the performance model).');
  }
  return explicitTiming({
    ttftMs: num(o.ttftMs, '--ttft-ms'),
    tpotMs: num(o.tpotMs, '--tpot-ms'),
    maxBatch: int(o.maxBatch, '--max-batch', 1),
    prefillMsPer1kTokens: num(o.prefillMsPer1k ?? '0', '--prefill-ms-per-1k'),
    tpotMsPerExtraSeq: num(o.tpotMsPerSeq ?? '0', '--tpot-ms-per-seq'),
    kvCapacityTokens: o.kvTokens === undefined ? null : int(o.kvTokens, '--kv-tokens', 1),
    maxContextTokens: o.maxContext === undefined ? null : int(o.maxContext, '--max-context', 1),
  });
}

function num(s: string, flag: string): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v) || v < 0) throw invalid(`${flag} must be a number >= 0, got '${s}'.`);
  return v;
}

function int(s: string, flag: string, min: number): number {
  const v = Number(s);
  if (!Number.isInteger(v) || v < min) throw invalid(`${flag} must be a whole number >= ${min}, got '${s}'.`);
  return v;
}

function prob(s: string | undefined, flag: string): number {
  const v = num(s ?? '0', flag);
  if (v > 1) throw invalid(`${flag} must be a probability between 0 and 1, got '${s}'.`);
  return v;
}
