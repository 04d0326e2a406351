import type { Assumption } from './types.js';
import type { EfficiencyProfile, SourcedValue } from './data/efficiency.js';
import type { Resolved } from './chip-figures.js';
import type { EstimateConfidence } from './types.js';

/**
 * Accumulates why an estimate deserves less trust. Starts at `high`; a press, derived or
 * declared figure, or an efficiency that was assumed rather than measured, lowers it.
 */
export class ConfidenceTracker {
  level: EstimateConfidence = 'high';
  readonly reasons: string[] = [];

  private lower(to: EstimateConfidence, reason: string): void {
    if (this.reasons.includes(reason)) return;
    this.reasons.push(reason);
    if (to === 'low' || (to === 'medium' && this.level === 'high')) this.level = to;
  }

  figure(name: string, r: Resolved): void {
    if (r.origin === 'declared') this.lower('low', `${name} is operator-declared (${r.source ?? 'declaration'}), not a datasheet value`);
    else if (r.origin === 'press') this.lower('medium', `${name} is a press figure`);
    else if (r.origin === 'derived') this.lower('medium', `${name} is derived${r.note ? `: ${r.note}` : ''}`);
    else if (r.origin === 'assumed') this.lower('medium', `${name} is assumed${r.note ? `: ${r.note}` : ''}`);
  }

  efficiency(name: string, v: SourcedValue, profile: EfficiencyProfile): void {
    if (profile.id === 'generic') this.lower('low', `no measurements for this chip's software stack: ${name} is a generic default`);
    else if (v.origin === 'assumed') this.lower('medium', `${name} is assumed for ${profile.id} (${v.source})`);
  }

  note(to: EstimateConfidence, reason: string): void {
    this.lower(to, reason);
  }
}

/** Records assumptions lazily: in lean mode (layout searches) nothing is built, which keeps the hot loop cheap. */
export type Explain = (...fs: (() => Assumption)[]) => void;

export function explainer(list: Assumption[], lean: boolean): Explain {
  return lean ? () => undefined : (...fs) => {
    for (const f of fs) list.push(f());
  };
}

/** Options of an estimate: `explain: false` skips building the assumptions list (searches re-run the winner with it). */
export interface EstimateOptions {
  explain?: boolean;
}
