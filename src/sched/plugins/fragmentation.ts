import type { ClusterState } from '../framework/cluster-state.js';
import type { MixEntry } from './fgd-mix.js';

/**
 * Expected fragmentation of one node against a target mix (FGD, ATC'23): for each typical job m with
 * weight p_m, the free card milli that m could not use on this node. If m fits (enough cards with
 * m.milli free and enough CPU), only the leftovers of cards too small for m count; otherwise all free
 * card milli counts. CPU-only jobs count all free card milli (cards idle for them). The classes are
 * summed in FGD's bucket order (Q1, Q2, Q4, XL, XR, NoAccess) so that floating-point ties fall alike.
 */
export class FragMeter {
  readonly mix: MixEntry[];
  private access: Uint8Array = new Uint8Array(0);
  private chips = 0;

  constructor(mix: MixEntry[]) {
    this.mix = mix;
  }

  /** Recomputes which mix entries may run on which chip of `state`. */
  bind(state: ClusterState): void {
    this.chips = state.chips.length;
    this.access = new Uint8Array(this.mix.length * this.chips);
    this.mix.forEach((m, i) => {
      state.chips.forEach((chip, c) => {
        this.access[i * this.chips + c] = m.chips === null || m.chips.length === 0 || m.chips.includes(chip) ? 1 : 0;
      });
    });
  }

  /** Fragmentation of a node of chip index `chip` with `cpuLeft` CPU milli and free milli `lefts[0..n)`. */
  frag(chip: number, cpuLeft: number, lefts: Int32Array, n: number): number {
    let total = 0;
    for (let k = 0; k < n; k++) total += lefts[k] as number;
    let q1 = 0;
    let q2 = 0;
    let q4 = 0;
    let xl = 0;
    let xr = 0;
    let na = 0;
    const mix = this.mix;
    for (let i = 0; i < mix.length; i++) {
      const m = mix[i] as MixEntry;
      const p = m.weight;
      if (m.milli === 0) {
        if (cpuLeft >= m.cpuMilli) xl += p * total;
        else xr += p * total;
        continue;
      }
      if (!this.access[i * this.chips + chip]) {
        na += p * total;
        continue;
      }
      let fits = 0;
      let small = 0;
      for (let k = 0; k < n; k++) {
        const left = lefts[k] as number;
        if (left >= m.milli) fits++;
        else small += left;
      }
      const cpuFits = cpuLeft >= m.cpuMilli;
      if (fits >= m.cards) {
        if (cpuFits) q2 += p * small;
        else q4 += p * total;
      } else if (cpuFits) q2 += p * total;
      else q1 += p * total;
    }
    return q1 + q2 + q4 + xl + xr + na;
  }

  /** Fragmentation of the whole fleet (the FGD paper's cluster fragmentation, in milli). */
  fleetFrag(state: ClusterState): number {
    if (this.chips !== state.chips.length) this.bind(state);
    let sum = 0;
    const buf = new Int32Array(64);
    for (let node = 0; node < state.nodeCount; node++) {
      const n = state.cardsOf[node] as number;
      const lefts = n <= buf.length ? buf : new Int32Array(n);
      lefts.set(state.freeMilli.subarray(state.devStart[node] as number, (state.devStart[node] as number) + n));
      const cpu = state.cpuFree[node] as number;
      sum += this.frag(state.chipOf[node] as number, Number.isFinite(cpu) ? cpu : Infinity, lefts, n);
    }
    return sum;
  }
}

