import { invalid } from '../../lib/errors.js';
import { seededRng } from '../../lib/rng.js';
import type { TraceRequest } from '../../plan/serving/index.js';
import type { ReplayRequest } from './routing-replay.js';

export interface WindowOptions {
  /** First row to take (0-based) and how many. */
  offset: number;
  count: number;
  /** Rescale arrivals so the window's mean rate is this (requests/s), keeping its bursts; null = as recorded. */
  ratePerSec: number | null;
  /** Cap on output tokens per request (null = as recorded). */
  maxOutputTokens: number | null;
}

/**
 * A window of a trace as replay requests: arrivals relative to the window's first, optionally
 * stretched or compressed in time to a mean rate (its burst pattern kept), outputs optionally capped.
 */
export function requestsFromTrace(rows: readonly TraceRequest[], o: WindowOptions): ReplayRequest[] {
  if (!Number.isInteger(o.offset) || o.offset < 0) throw invalid(`offset must be a whole number >= 0, got ${o.offset}.`, { field: 'offset' });
  if (!Number.isInteger(o.count) || o.count < 2) throw invalid(`count must be a whole number >= 2, got ${o.count}.`, { field: 'count' });
  if (o.ratePerSec !== null && !(o.ratePerSec > 0 && Number.isFinite(o.ratePerSec))) throw invalid(`rate must be a positive number, got ${o.ratePerSec}.`, { field: 'rate' });
  if (o.maxOutputTokens !== null && !(Number.isInteger(o.maxOutputTokens) && o.maxOutputTokens >= 1)) throw invalid(`max output must be a whole number >= 1, got ${o.maxOutputTokens}.`, { field: 'maxOutputTokens' });
  const w = rows.slice(o.offset, o.offset + o.count);
  if (w.length < 2) throw invalid(`The trace has ${rows.length} requests; a window from ${o.offset} needs at least 2.`, { field: 'offset' });
  const t0 = (w[0] as TraceRequest).arrivedAtSec;
  const span = (w[w.length - 1] as TraceRequest).arrivedAtSec - t0;
  // Time scale: recorded seconds per replayed second.
  const scale = o.ratePerSec === null || span <= 0 ? 1 : span / ((w.length - 1) / o.ratePerSec);
  return w.map((r) => ({
    atMs: ((r.arrivedAtSec - t0) / scale) * 1000,
    promptTokens: Math.max(1, Math.round(r.inputTokens)),
    maxTokens: Math.max(1, Math.round(o.maxOutputTokens === null ? r.outputTokens : Math.min(o.maxOutputTokens, r.outputTokens))),
    ...(r.sessionId !== undefined ? { sessionKey: r.sessionId } : {}),
  }));
}

/** Longest conversation history a synthetic multi-turn session grows to before it starts over. */
const MAX_HISTORY_TOKENS = 16_384;

/**
 * A synthetic trace: `count` requests arriving as a Poisson process at `ratePerSec`, each with
 * lengths drawn from `mix` by weight. With `sessions`, each request is the next turn of one of that
 * many conversations: its prompt is the conversation so far (earlier prompts and answers) plus the
 * new input. Seeded, so the same arguments give the same trace.
 */
export function poissonTrace(count: number, ratePerSec: number, mix: readonly { inputTokens: number; outputTokens: number; weight: number }[], seed: number, sessions = 0): TraceRequest[] {
  if (!Number.isInteger(count) || count < 2) throw invalid(`count must be a whole number >= 2, got ${count}.`, { field: 'count' });
  if (!(ratePerSec > 0 && Number.isFinite(ratePerSec))) throw invalid(`rate must be a positive number, got ${ratePerSec}.`, { field: 'rate' });
  const total = mix.reduce((a, m) => a + m.weight, 0);
  if (mix.length === 0 || !(total > 0)) throw invalid('The length mix needs at least one entry with a positive weight.', { field: 'mix' });
  if (!Number.isInteger(sessions) || sessions < 0) throw invalid(`sessions must be a whole number >= 0, got ${sessions}.`, { field: 'sessions' });
  const rng = seededRng(seed);
  const out: TraceRequest[] = [];
  // Multi-turn: each request continues a random conversation, whose prompt resends its history.
  const history = new Array<number>(sessions).fill(0);
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += -Math.log(1 - rng.next()) / ratePerSec;
    let pick = rng.next() * total;
    const m = mix.find((x) => (pick -= x.weight) < 0) ?? (mix[mix.length - 1] as (typeof mix)[number]);
    if (sessions === 0) {
      out.push({ arrivedAtSec: t, inputTokens: m.inputTokens, outputTokens: m.outputTokens });
      continue;
    }
    const s = rng.int(sessions);
    // A conversation that outgrows MAX_HISTORY_TOKENS starts over (a new chat).
    const past = (history[s] as number) + m.inputTokens > MAX_HISTORY_TOKENS ? 0 : (history[s] as number);
    const prompt = past + m.inputTokens;
    history[s] = prompt + m.outputTokens;
    out.push({ arrivedAtSec: t, inputTokens: prompt, outputTokens: m.outputTokens, sessionId: `session-${s}` });
  }
  return out;
}

