/**
 * The autoscaler's decision (pure): given the replicas a service has per chip and the mix the
 * serving planner wants for the traffic just observed, what to apply now. Scaling up acts at once
 * (after a short cooldown) and only adds replicas, so nothing serving is taken away in a burst;
 * scaling down waits until the smaller mix has been wanted continuously for a while and the
 * cooldown has passed (hysteresis), so a brief lull does not shed replicas a returning burst needs.
 */
export type ReplicaMix = Readonly<Record<string, number>>;

export interface ScalePolicy {
  minReplicas: number;
  maxReplicas: number;
  /** Least time between two scale-ups. */
  upCooldownSec: number;
  /** Least time after any change before scaling down. */
  downCooldownSec: number;
  /** The smaller mix must be wanted this long without a break before it is applied. */
  downStableSec: number;
}

export const defaultScalePolicy: ScalePolicy = { minReplicas: 1, maxReplicas: 16, upCooldownSec: 10, downCooldownSec: 60, downStableSec: 60 };

export interface ScaleMemory {
  lastChangeAtMs: number | null;
  lastUpAtMs: number | null;
  /** Since when every chip has wanted at most its current count, with at least one wanting fewer. */
  downWantedSinceMs: number | null;
}

export const freshScaleMemory: ScaleMemory = { lastChangeAtMs: null, lastUpAtMs: null, downWantedSinceMs: null };

export interface ScaleDecision {
  action: 'up' | 'down' | 'hold';
  /** The mix to apply (the current one on hold). */
  mix: Record<string, number>;
  reason: string;
  memory: ScaleMemory;
}

export function total(mix: ReplicaMix): number {
  return Object.values(mix).reduce((a, b) => a + b, 0);
}

/**
 * Clamps a planned mix to [minReplicas, maxReplicas]: below the minimum it keeps replicas on the
 * chips already serving (most first), then on `fallbackChips`; above the maximum it trims the
 * chips with the most replicas first.
 */
export function clampMix(planned: ReplicaMix, current: ReplicaMix, policy: ScalePolicy, fallbackChips: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [c, n] of Object.entries(planned)) if (n > 0) out[c] = n;
  const order = [...Object.entries(current).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c), ...fallbackChips];
  for (let i = 0; total(out) < policy.minReplicas && order.length > 0; i++) {
    const c = order[i % order.length] as string;
    out[c] = (out[c] ?? 0) + 1;
  }
  while (total(out) > policy.maxReplicas) {
    const [c] = Object.entries(out).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] as [string, number];
    out[c] = (out[c] as number) - 1;
    if (out[c] === 0) delete out[c];
  }
  return out;
}

function describe(mix: ReplicaMix): string {
  const parts = Object.entries(mix).filter(([, n]) => n > 0).sort((a, b) => a[0].localeCompare(b[0])).map(([c, n]) => `${n}x ${c}`);
  return parts.length > 0 ? parts.join(' + ') : 'none';
}

export function decideScale(current: ReplicaMix, wanted: ReplicaMix, memory: ScaleMemory, policy: ScalePolicy, nowMs: number): ScaleDecision {
  const chips = [...new Set([...Object.keys(current), ...Object.keys(wanted)])].sort();
  const cur = (c: string): number => current[c] ?? 0;
  const want = (c: string): number => wanted[c] ?? 0;
  const hold = (reason: string, m: ScaleMemory): ScaleDecision => ({ action: 'hold', mix: { ...current }, reason, memory: m });
  if (chips.some((c) => want(c) > cur(c))) {
    const sinceUp = memory.lastUpAtMs === null ? Infinity : (nowMs - memory.lastUpAtMs) / 1000;
    const m = { ...memory, downWantedSinceMs: null };
    if (sinceUp < policy.upCooldownSec) return hold(`scale-up to ${describe(wanted)} waits for the ${policy.upCooldownSec} s cooldown`, m);
    // Only add: replicas serving now keep serving while the new ones start.
    const mix: Record<string, number> = {};
    for (const c of chips) if (Math.max(cur(c), want(c)) > 0) mix[c] = Math.max(cur(c), want(c));
    // Kept replicas the plan no longer wants make way when the mix would pass the ceiling.
    for (const c of chips) {
      const over = total(mix) - policy.maxReplicas;
      if (over <= 0) break;
      const spare = (mix[c] ?? 0) - want(c);
      if (spare > 0) mix[c] = (mix[c] ?? 0) - Math.min(spare, over);
      if (mix[c] === 0) delete mix[c];
    }
    return { action: 'up', mix, reason: `traffic needs ${describe(wanted)}; have ${describe(current)}`, memory: { lastChangeAtMs: nowMs, lastUpAtMs: nowMs, downWantedSinceMs: null } };
  }
  if (!chips.some((c) => want(c) < cur(c))) return hold('the mix fits the traffic', { ...memory, downWantedSinceMs: null });
  const since = memory.downWantedSinceMs ?? nowMs;
  const m = { ...memory, downWantedSinceMs: since };
  const stable = (nowMs - since) / 1000;
  const sinceChange = memory.lastChangeAtMs === null ? Infinity : (nowMs - memory.lastChangeAtMs) / 1000;
  if (stable < policy.downStableSec) return hold(`${describe(wanted)} would do; waiting until that holds for ${policy.downStableSec} s`, m);
  if (sinceChange < policy.downCooldownSec) return hold(`${describe(wanted)} would do; waiting for the ${policy.downCooldownSec} s cooldown`, m);
  const mix: Record<string, number> = {};
  for (const c of chips) if (want(c) > 0) mix[c] = want(c);
  return { action: 'down', mix, reason: `traffic has needed only ${describe(wanted)} for ${Math.round(stable)} s; have ${describe(current)}`, memory: { lastChangeAtMs: nowMs, lastUpAtMs: memory.lastUpAtMs, downWantedSinceMs: null } };
}
