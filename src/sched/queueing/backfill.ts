import { numberArg, onlyArgs } from '../framework/args.js';
import type { ClusterState } from '../framework/cluster-state.js';
import type { Cycle, FilterPlugin, PluginFactory, PostFilterPlugin, PreFilterPlugin } from '../framework/plugin.js';
import { FIT } from '../framework/status.js';
import { fitsOnNode, GangMeter } from './fit.js';
import { bookFor, type RunInfo } from './queue-book.js';
import { quotaScratch } from './queue-quota.js';
import { Trial } from './trial.js';

export const NAME = 'backfill';

const HELD = 'cards held for a blocked job earlier in the queue (backfill: this job has no estimatedDurationSec or would still run when that job starts)';

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
}

interface CallState {
  reservations: Reservation[];
  released: boolean;
  heldNodes: Uint8Array;
  earliestStartSec: number;
}

/**
 * EASY backfill. When a job is blocked for capacity (not quota, and not already helped by preemption),
 * it gets a reservation: running jobs are released in order of their estimated end
 * (`startTimeSec + estimatedDurationSec`; jobs without an estimate are taken to run forever) on a
 * what-if until the job fits; that instant is its earliest start, and the devices it would use are
 * held. Devices free now are taken out of the cluster state for the rest of the call, so later jobs can
 * use any other capacity (that never delays the blocked job); devices still busy are busy anyway. A
 * later job may use held devices only when its own `estimatedDurationSec` ends it before the earliest
 * reserved start (released for its cycle, held again at the next one, minus what it took). Jobs without
 * an estimate are never backfilled onto a reservation. Jobs stopped by a hold say so in their reasons.
 *
 * Args: `maxReservations` (default 1: the head job only, as EASY), `maxRunsScanned` (default 100000).
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['maxReservations', 'maxRunsScanned']);
  const maxReservations = numberArg(NAME, args, 'maxReservations', 1, 0, 1000);
  const maxRunsScanned = numberArg(NAME, args, 'maxRunsScanned', 100_000, 1, 1e7);
  const calls = new WeakMap<ClusterState, CallState>();
  const callOf = (state: ClusterState): CallState => {
    let s = calls.get(state);
    if (!s) calls.set(state, (s = { reservations: [], released: false, heldNodes: new Uint8Array(state.nodeCount), earliestStartSec: Infinity }));
    return s;
  };

  const hold = (state: ClusterState, s: CallState): void => {
    if (!s.released) return;
    s.released = false;
    for (const r of s.reservations) {
      for (const h of r.holds) {
        // A short job that took a held device ends before the reservation starts: the device stays covered.
        h.active = state.free(h.node, h.device) >= h.milli;
        if (h.active) state.apply(h.node, [h.device], h.milli, 0, 0, HOLD_TAG, 1);
      }
    }
  };
  const release = (state: ClusterState, s: CallState): void => {
    if (s.released) return;
    s.released = true;
    for (const r of s.reservations) for (const h of r.holds) if (h.active) state.apply(h.node, [h.device], h.milli, 0, 0, HOLD_TAG, -1);
  };

  const plugin: PreFilterPlugin & FilterPlugin & PostFilterPlugin = {
    name: NAME,
    preFilter: (cycle, state) => {
      const s = calls.get(state);
      if (!s || s.reservations.length === 0) return FIT;
      hold(state, s);
      const est = cycle.job.estimatedDurationSec;
      if (est !== undefined && Number.isFinite(est) && est >= 0 && cycle.ctx.snapshot.nowSec + est <= s.earliestStartSec) release(state, s);
      return FIT;
    },
    filter: (cycle, state, node, partial) => {
      const s = calls.get(state);
      if (!s || s.released || !s.heldNodes[node]) return null;
      const need = partial ? 1 : cycle.cards;
      if (state.devicesWithAtLeast(node, cycle.milli) >= need) return null;
      let withHeld = 0;
      const start = state.devStart[node] as number;
      for (let k = 0; k < (state.cardsOf[node] as number); k++) {
        let free = state.freeMilli[start + k] as number;
        for (const r of s.reservations) for (const h of r.holds) if (h.active && h.node === node && h.device === k) free += h.milli;
        if (free >= cycle.milli) withHeld++;
      }
      return withHeld >= need ? HELD : null;
    },
    postFilter: (cycle, state) => {
      if (maxReservations === 0 || cycle.cards === 0) return [];
      const s = callOf(state);
      if (s.reservations.length >= maxReservations || quotaScratch(cycle)?.blocked) return [];
      const book = bookFor(state, cycle.ctx.snapshot);
      if (book.preemptedFor.has(cycle.job.id) || s.reservations.some((r) => r.jobId === cycle.job.id)) return [];
      hold(state, s);
      const reservation = reserve(state, cycle, book.runs.filter((r) => !book.victims.has(r.jobId)), maxRunsScanned);
      if (!reservation) return [];
      s.reservations.push(reservation);
      s.earliestStartSec = Math.min(s.earliestStartSec, reservation.startSec);
      for (const h of reservation.holds) {
        s.heldNodes[h.node] = 1;
        h.active = state.free(h.node, h.device) >= h.milli;
        if (h.active) state.apply(h.node, [h.device], h.milli, 0, 0, HOLD_TAG, 1);
      }
      return [];
    },
  };
  return plugin;
};

/**
 * The earliest start of a blocked job and the devices it would start on: running jobs end in order of
 * their estimates (unknown: never) on a what-if, until the job fits. Null when it never does.
 */
export function reserve(state: ClusterState, cycle: Cycle, runs: readonly RunInfo[], maxRuns = Infinity): Reservation | null {
  const order = [...runs].sort((a, b) => a.estimatedEndSec - b.estimatedEndSec || (a.jobId < b.jobId ? -1 : 1));
  const trial = new Trial(state);
  const meter = cycle.job.gang ? new GangMeter(state, cycle) : null;
  let found: { startSec: number; devices: { node: number; device: number }[] } | null = null;
  for (let i = 0; i < order.length && i < maxRuns && !found; i++) {
    const run = order[i] as RunInfo;
    const touched = trial.release(run);
    if (meter) {
      for (const n of touched) meter.update(n);
      const domain = meter.fittingDomain();
      if (domain !== null) found = { startSec: run.estimatedEndSec, devices: gangDevices(state, cycle, meter, domain) };
    } else {
      for (const n of touched) {
        if (!fitsOnNode(state, cycle, n)) continue;
        found = { startSec: run.estimatedEndSec, devices: nodeDevices(state, n, cycle.milli).map((device) => ({ node: n, device })) };
        break;
      }
    }
  }
  if (!found) {
    trial.undo();
    return null;
  }
  trial.undo();
  // On one node, prefer devices busy now (they are busy anyway) over devices free now (held from others).
  const devices = meter ? found.devices : [...found.devices].sort((a, b) => state.free(a.node, a.device) - state.free(b.node, b.device) || a.device - b.device).slice(0, cycle.cards);
  const holds: Hold[] = devices.map(({ node, device }) => ({ node, device, milli: cycle.milli, active: false }));
  return { jobId: cycle.job.id, startSec: found.startSec, holds };
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
