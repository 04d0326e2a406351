import { numberArg, onlyArgs } from '../framework/args.js';
import type { ClusterState } from '../framework/cluster-state.js';
import type { Cycle, FilterPlugin, PluginFactory, PostFilterPlugin, PreFilterPlugin, PreparePlugin } from '../framework/plugin.js';
import { FIT, unschedulable, type Status } from '../framework/status.js';
import { fitsOnNode, GangMeter } from './fit.js';
import { bookFor, openBook, type QueueBook, type RunInfo } from './queue-book.js';
import { quotaScratch } from './queue-quota.js';
import { Trial } from './trial.js';

export const NAME = 'backfill';

const HELD = 'cards held for a blocked job earlier in the queue (backfill: this job has no estimatedDurationSec or would still run when that job starts)';

/** Scratch keys other plugins read: holds were lifted for this cycle's job; this job got a reservation. */
export const LIFTED = 'backfill:lifted';
export const RESERVED = 'backfill:reserved';

/** Affinity tag of a hold: no real job shape, so GPU clustering does not count it as a neighbour. */
const HOLD_TAG = -1;

interface Hold {
  node: number;
  device: number;
  milli: number;
  /** Whether the hold is in the cluster state right now. */
  active: boolean;
}

/** A blocked job's reservation: the devices it will start on and when (Infinity: a job in the way has no estimate). */
export interface Reservation {
  jobId: string;
  startSec: number;
  holds: Hold[];
  /** Whether the holds are lifted for the current cycle (a short job that ends before `startSec`). */
  lifted: boolean;
  /** Made for a job whose victims were just preempted: not counted against `maxReservations`. */
  forPreemption: boolean;
}

interface CallState {
  /** The call's book: a different one means a new call on a long-lived cluster state. */
  book: QueueBook;
  reservations: Reservation[];
  /** Reservations lifted for the current cycle. */
  lifted: Reservation[];
  reservedJobs: Set<string>;
  /** Reservations of blocked jobs (not of preemptors): the ones a short job may be lifted past. */
  backfill: Reservation[];
  heldNodes: Uint8Array;
  /** Held milli per device slot (`devStart[node] + device`) for holds in force now. */
  heldMilli: Map<number, number>;
  /** Whole cards held now per chip, and the first reservation holding cards of each chip. */
  heldWhole: Float64Array;
  holderByChip: (Reservation | null)[];
  /** Running jobs by estimated end, computed once per call. */
  byEnd: RunInfo[] | null;
}

/**
 * EASY backfill. When a job is blocked for capacity (not quota), it gets a reservation: running jobs are
 * released in order of their estimated end (`startTimeSec + estimatedDurationSec`; jobs without an
 * estimate are taken to run forever) on a what-if until the job fits; that instant is its earliest
 * start, and the devices it would use are held. Devices free now are taken out of the cluster state
 * for the rest of the call, so later jobs can use any other capacity (that never delays the blocked
 * job); devices still busy are busy anyway. A later job may use a reservation's devices only when its
 * own `estimatedDurationSec` ends it by that reservation's start (lifted for its cycle, held again at the
 * next one, minus what it took). Jobs without an estimate are never backfilled onto a reservation. A job
 * for which victims were just preempted gets a reservation too, starting now, so the room made for it
 * is not taken by later jobs before the caller has evicted the victims. Jobs stopped by a hold say so.
 *
 * Args: `maxReservations` (default 1: the head job only, as EASY), `maxRunsScanned` (default 100000).
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['maxReservations', 'maxRunsScanned']);
  const maxReservations = numberArg(NAME, args, 'maxReservations', 1, 0, 1000);
  const maxRunsScanned = numberArg(NAME, args, 'maxRunsScanned', 100_000, 1, 1e7);
  const calls = new WeakMap<ClusterState, CallState>();
  const fresh = (state: ClusterState, book: QueueBook): CallState => {
    const s: CallState = { book, reservations: [], lifted: [], reservedJobs: new Set(), backfill: [], heldNodes: new Uint8Array(state.nodeCount), heldMilli: new Map(), heldWhole: new Float64Array(state.chips.length), holderByChip: state.chips.map(() => null), byEnd: null };
    calls.set(state, s);
    return s;
  };
  /** This call's state; holds left in a long-lived cluster state by an earlier call are given back first. */
  const callOf = (state: ClusterState, book: QueueBook): CallState => {
    const s = calls.get(state);
    if (s && s.book === book) return s;
    if (s) for (const r of s.reservations) if (!r.lifted) for (const h of r.holds) if (h.active) setHeld(state, s, h, false);
    return fresh(state, book);
  };
  /** The call state if any reservation was made on this cluster state (switching to this call's). */
  const current = (state: ClusterState, cycle: Cycle): CallState | undefined => {
    const s = calls.get(state);
    if (!s) return undefined;
    return s.book === bookFor(state, cycle.ctx.snapshot) ? s : callOf(state, bookFor(state, cycle.ctx.snapshot));
  };

  const setHeld = (state: ClusterState, s: CallState, h: Hold, on: boolean): void => {
    const slot = (state.devStart[h.node] as number) + h.device;
    const sign = on ? 1 : -1;
    state.apply(h.node, [h.device], h.milli, 0, 0, HOLD_TAG, sign);
    const v = (s.heldMilli.get(slot) ?? 0) + sign * h.milli;
    if (v > 0) s.heldMilli.set(slot, v);
    else s.heldMilli.delete(slot);
    if (h.milli >= 1000 && state.schedulable[h.node]) {
      const c = state.chipOf[h.node] as number;
      s.heldWhole[c] = (s.heldWhole[c] as number) + sign;
    }
  };
  const hold = (state: ClusterState, s: CallState, r: Reservation): void => {
    r.lifted = false;
    for (const h of r.holds) {
      // A short job that took a held device ends before the reservation starts: the device stays covered.
      h.active = state.free(h.node, h.device) >= h.milli;
      if (h.active) setHeld(state, s, h, true);
    }
  };
  const lift = (state: ClusterState, s: CallState, r: Reservation): void => {
    r.lifted = true;
    s.lifted.push(r);
    for (const h of r.holds) if (h.active) setHeld(state, s, h, false);
  };
  const holdAll = (state: ClusterState, s: CallState): void => {
    for (const r of s.lifted) hold(state, s, r);
    s.lifted = [];
  };

  const plugin: PreparePlugin & PreFilterPlugin & FilterPlugin & PostFilterPlugin = {
    name: NAME,
    prepare: (state, queue, ctx) => {
      callOf(state, openBook(state, ctx.snapshot, queue));
    },
    preFilter: (cycle, state) => {
      const s = current(state, cycle);
      if (!s || s.reservations.length === 0) return FIT;
      holdAll(state, s);
      const est = cycle.job.estimatedDurationSec;
      const end = est !== undefined && Number.isFinite(est) && est >= 0 ? cycle.ctx.snapshot.nowSec + est : Infinity;
      // An unknown start (Infinity) could be any moment: nothing is backfilled onto it.
      if (Number.isFinite(end)) {
        for (const r of s.backfill) {
          if (!Number.isFinite(r.startSec) || end > r.startSec) continue;
          lift(state, s, r);
          cycle.scratch.set(LIFTED, true);
        }
      }
      return heldOnly(state, s, cycle, end);
    },
    filter: (cycle, state, node, partial) => {
      const s = calls.get(state);
      if (!s || !s.heldNodes[node]) return null;
      const need = partial ? 1 : cycle.cards;
      if (state.devicesWithAtLeast(node, cycle.milli) >= need) return null;
      let withHeld = 0;
      const start = state.devStart[node] as number;
      for (let k = 0; k < (state.cardsOf[node] as number); k++) if ((state.freeMilli[start + k] as number) + (s.heldMilli.get(start + k) ?? 0) >= cycle.milli) withHeld++;
      return withHeld >= need ? HELD : null;
    },
    postFilter: (cycle, state) => {
      if (cycle.cards === 0) return [];
      const book = bookFor(state, cycle.ctx.snapshot);
      const s = callOf(state, book);
      const preempted = book.preemptedFor.get(cycle.job.id);
      const victims = preempted?.victims;
      if (!victims && (quotaScratch(cycle)?.blocked || s.backfill.length >= maxReservations)) return [];
      if (s.reservedJobs.has(cycle.job.id)) return [];
      holdAll(state, s);
      s.byEnd ??= [...book.runs].sort((a, b) => a.estimatedEndSec - b.estimatedEndSec || (a.jobId < b.jobId ? -1 : 1));
      // Victims of this job end now; victims of other jobs are spoken for (their room is held for those).
      const now = cycle.ctx.snapshot.nowSec;
      const first = victims ? book.runs.filter((r) => victims.includes(r.jobId)) : [];
      // A preemptor is held room on the chip its quota was made on.
      const accepted = cycle.chipOk.slice();
      if (preempted && preempted.chip >= 0) {
        cycle.chipOk.fill(0);
        cycle.chipOk[preempted.chip] = accepted[preempted.chip] as number;
      }
      const reservation = reserve(state, cycle, endOrder(first, now, s.byEnd, book.victims), maxRunsScanned);
      cycle.chipOk.set(accepted);
      if (!reservation) return [];
      reservation.forPreemption = victims !== undefined;
      if (!victims) s.backfill.push(reservation);
      s.reservations.push(reservation);
      s.reservedJobs.add(reservation.jobId);
      for (const h of reservation.holds) {
        s.heldNodes[h.node] = 1;
        const c = state.chipOf[h.node] as number;
        s.holderByChip[c] ??= reservation;
      }
      hold(state, s, reservation);
      cycle.scratch.set(RESERVED, true);
      return [];
    },
  };
  return plugin;
};

/**
 * The engine skips a chip whose free whole cards cannot cover a whole-card job without asking the
 * filters, so the hold would go unexplained; when holds are all that stands between such a job and
 * every chip it accepts, say so here (naming the job the cards are held for, and when it starts).
 */
function heldOnly(state: ClusterState, s: CallState, cycle: Cycle, end: number): Status {
  if (cycle.milli < 1000 || cycle.cards === 0) return FIT;
  let holder: Reservation | null = null;
  for (let c = 0; c < state.chips.length; c++) {
    if (!cycle.chipOk[c]) continue;
    const free = state.chipFreeWhole[c] as number;
    if (free >= cycle.cards || free + (s.heldWhole[c] as number) < cycle.cards) return FIT;
    holder ??= s.holderByChip[c] ?? null;
  }
  if (!holder) return FIT;
  const when = Number.isFinite(holder.startSec) ? `starts by t=${holder.startSec}s` : 'starts when running jobs without an estimate end';
  const mine = Number.isFinite(end) ? `would still run at t=${end}s` : 'has no estimatedDurationSec';
  return unschedulable(`cards held for ${holder.jobId}, which ${holder.forPreemption ? 'preempted room for itself' : when}; this job ${mine}`);
}

/** Running jobs in the order they free their cards: `first` now, then the rest by estimated end, skipping `skip`. */
function* endOrder(first: readonly RunInfo[], nowSec: number, byEnd: readonly RunInfo[], skip: ReadonlySet<string>): Generator<{ run: RunInfo; endSec: number }> {
  for (const run of first) yield { run, endSec: nowSec };
  for (const run of byEnd) if (!skip.has(run.jobId)) yield { run, endSec: run.estimatedEndSec };
}

/**
 * The earliest start of a blocked job and the devices it would start on: running jobs end in order of
 * their estimates (unknown: never) on a what-if, until the job fits. Null when it never does.
 */
export function reserve(state: ClusterState, cycle: Cycle, order: Iterable<{ run: RunInfo; endSec: number }>, maxRuns = Infinity): Reservation | null {
  const trial = new Trial(state);
  const meter = cycle.job.gang ? new GangMeter(state, cycle) : null;
  let found: { startSec: number; devices: { node: number; device: number }[] } | null = null;
  // It may fit already (e.g. it lost its place to a bounded candidate search): then it starts now.
  const nowSec = cycle.ctx.snapshot.nowSec;
  if (meter) {
    const domain = meter.fittingDomain();
    if (domain !== null) found = { startSec: nowSec, devices: gangDevices(state, cycle, meter, domain) };
  } else {
    for (let c = 0; c < state.chips.length && !found; c++) {
      if (!cycle.chipOk[c]) continue;
      for (const n of state.nodesByChip[c] as Int32Array) {
        if (!fitsOnNode(state, cycle, n)) continue;
        found = { startSec: nowSec, devices: nodeDevices(state, n, cycle.milli).map((device) => ({ node: n, device })) };
        break;
      }
    }
  }
  let scanned = 0;
  for (const { run, endSec } of found ? [] : order) {
    if (scanned++ >= maxRuns) break;
    const touched = trial.release(run);
    if (meter) {
      for (const n of touched) meter.update(n);
      const domain = meter.fittingDomain();
      if (domain !== null) found = { startSec: endSec, devices: gangDevices(state, cycle, meter, domain) };
    } else {
      for (const n of touched) {
        if (!fitsOnNode(state, cycle, n)) continue;
        found = { startSec: endSec, devices: nodeDevices(state, n, cycle.milli).map((device) => ({ node: n, device })) };
        break;
      }
    }
    if (found) break;
  }
  if (!found) {
    trial.undo();
    return null;
  }
  trial.undo();
  // On one node, prefer devices busy now (they are busy anyway) over devices free now (held from others).
  const devices = meter ? found.devices : [...found.devices].sort((a, b) => state.free(a.node, a.device) - state.free(b.node, b.device) || a.device - b.device).slice(0, cycle.cards);
  const holds: Hold[] = devices.map(({ node, device }) => ({ node, device, milli: cycle.milli, active: false }));
  return { jobId: cycle.job.id, startSec: found.startSec, holds, lifted: false, forPreemption: false };
}

function nodeDevices(state: ClusterState, node: number, milli: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < (state.cardsOf[node] as number); k++) if (state.free(node, k) >= milli) out.push(k);
  return out;
}

function gangDevices(state: ClusterState, cycle: Cycle, meter: GangMeter, domain: number): { node: number; device: number }[] {
  const members: number[] = [];
  for (let n = 0; n < state.nodeCount; n++) if (meter.usable(n) > 0 && meter.key(n) === domain) members.push(n);
  members.sort((a, b) => meter.usable(b) - meter.usable(a) || (state.rank[a] as number) - (state.rank[b] as number));
  const out: { node: number; device: number }[] = [];
  for (const n of members) {
    for (const device of nodeDevices(state, n, cycle.milli)) {
      if (out.length >= cycle.cards) return out;
      out.push({ node: n, device });
    }
  }
  return out;
}
