/**
 * The discrete-event simulator. A virtual clock advances from event to event (arrivals read lazily
 * from the trace, completions, job failures, node loss and return); after the events of one instant
 * (or once per scheduling interval) it hands the scheduler a snapshot and the oldest pending jobs,
 * and applies the decisions: bind (reserve the cards, schedule the completion), preempt (free and
 * re-queue), reject (record the reason). The scheduler is pure; all state lives here.
 *
 * Cost of scale: per-job state lives in slot-indexed arrays reused through a free list, events in a
 * typed-array heap, and finished jobs leave only numbers behind, so memory follows the live jobs,
 * not the trace length.
 */
import { seededRng } from '../../lib/rng.js';
import type { Placement, Running, SchedJob, SchedNode } from '../../sched/types.js';
import { EventHeap, EventKind } from './event-heap.js';
import { PersistentEngine } from './persistent-engine.js';
import { FloatBuffer, summary } from './stats.js';
import type { SimConfig, SimJob, SimResult, TimePoint } from './types.js';

const TICK = 6 as EventKind;
const SlotState = { free: 0, pending: 1, running: 2 } as const;
const MAX_SAMPLES = 512;
const MAX_REJECTIONS = 100;

interface TenantAcc {
  jobs: number;
  completed: number;
  cardSec: number;
  jctSum: number;
}

export function simulate(cfg: SimConfig): SimResult {
  const nodes: SchedNode[] = cfg.nodes.map((n) => ({ ...n, freeMilli: [...n.freeMilli] }));
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
  const chips = [...new Set(nodes.map((n) => n.chip))].sort();
  const chipIndex = new Map(chips.map((c, i) => [c, i]));
  const nodeChip = Int32Array.from(nodes, (n) => chipIndex.get(n.chip) as number);
  const chipCards = new Float64Array(chips.length);
  nodes.forEach((n, i) => (chipCards[nodeChip[i] as number] = (chipCards[nodeChip[i] as number] as number) + n.cards));
  const nodeJobs: Set<number>[] = nodes.map(() => new Set());
  const window = cfg.queueWindow ?? 5000;
  const interval = cfg.scheduleIntervalSec ?? 0;
  const watch = new Set(cfg.watch ?? []);

  // Slot-indexed job state.
  let cap = 1024;
  const slotJob: (SimJob | undefined)[] = new Array(cap);
  let slotState = new Uint8Array(cap);
  let slotEnd = new Float64Array(cap);
  let slotStart = new Float64Array(cap);
  let slotFirstStart = new Float64Array(cap);
  let slotMilli = new Float64Array(cap); // milli held in total (cards x milliPerCard)
  let slotChip = new Int32Array(cap);
  let slotRunIdx = new Int32Array(cap);
  let slotFailed = new Uint8Array(cap);
  const slotPlacements: (Placement[] | undefined)[] = [];
  const freeSlots: number[] = [];
  let nextSlot = 0;
  const grow = (): void => {
    const c2 = cap * 2;
    const g = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(c2);
      b.set(a);
      return b;
    };
    slotState = g(slotState, (n) => new Uint8Array(n));
    slotEnd = g(slotEnd, (n) => new Float64Array(n));
    slotStart = g(slotStart, (n) => new Float64Array(n));
    slotFirstStart = g(slotFirstStart, (n) => new Float64Array(n));
    slotMilli = g(slotMilli, (n) => new Float64Array(n));
    slotChip = g(slotChip, (n) => new Int32Array(n));
    slotRunIdx = g(slotRunIdx, (n) => new Int32Array(n));
    slotFailed = g(slotFailed, (n) => new Uint8Array(n));
    slotJob.length = c2;
    cap = c2;
  };
  const slotOf = new Map<string, number>();
  // Pending jobs by reference, oldest first; entries whose job left the pending state are skipped
  // and swept out now and then (a slot may be reused, a job object is not).
  let pendingJobs: SimJob[] = [];
  let pendingCount = 0;
  let requeued: SimJob[] = [];
  const isPending = (job: SimJob): boolean => {
    const s = slotOf.get(job.id);
    return s !== undefined && slotJob[s] === job && slotState[s] === SlotState.pending;
  };
  const running: Running[] = [];
  const runningSlot: number[] = [];

  const heap = new EventHeap(4096);
  const persistent = cfg.engine === 'persistent' ? new PersistentEngine(nodes, running, cfg.ctx, cfg.queues) : undefined;
  const jct = new FloatBuffer();
  const delay = new FloatBuffer();
  const tenants = new Map<string, TenantAcc>();
  const rejections: { jobId: string; reason: string }[] = [];
  const explain: SimResult['explain'] = {};
  const watched: SimResult['watched'] = {};
  const counts = { seen: 0, completed: 0, rejected: 0, preemptions: 0, failures: 0, invalidDecisions: 0 };
  const nominated = new Map<string, number>();
  let sloJobs = 0;
  let sloMet = 0;
  let scheduleCalls = 0;
  let firstSubmit = Number.POSITIVE_INFINITY;
  let lastEnd = 0;
  let lastProgress = 0;

  // Time integrals: allocated milli per chip, schedulable cards.
  const allocMilli = new Float64Array(chips.length);
  const busyMilliSec = new Float64Array(chips.length);
  let schedulableCards = nodes.reduce((s, n) => s + (n.schedulable ? n.cards : 0), 0);
  let allocArea = 0;
  let capArea = 0;
  let lastT = 0;
  let started = false;
  const advance = (t: number): void => {
    if (!started) {
      lastT = t;
      started = true;
      return;
    }
    const dt = t - lastT;
    if (dt <= 0) return;
    let alloc = 0;
    for (let c = 0; c < chips.length; c++) {
      busyMilliSec[c] = (busyMilliSec[c] as number) + (allocMilli[c] as number) * dt;
      alloc += allocMilli[c] as number;
    }
    allocArea += (alloc / 1000) * dt;
    capArea += schedulableCards * dt;
    lastT = t;
  };

  // Sampled series; when full, every other point is dropped and the interval doubles.
  const series: TimePoint[] = [];
  let sampleEvery = 0;
  let nextSample = 0;
  let fragSum = 0;
  let fragN = 0;
  // Free and stranded (partly used) milli and device count over schedulable nodes, kept in step with
  // every device change so that a sample costs O(1) rather than a walk over every device. The figures
  // are sums of integers, so they equal a fresh walk exactly.
  let freeSum = 0;
  let strandedSum = 0;
  let schedDevices = 0;
  const stranded = (f: number): number => (f > 0 && f < 1000 ? f : 0);
  const countNode = (n: SchedNode, sign: 1 | -1): void => {
    const fm = n.freeMilli;
    for (let d = 0; d < fm.length; d++) {
      const f = fm[d] as number;
      freeSum += sign * f;
      strandedSum += sign * stranded(f);
    }
    schedDevices += sign * fm.length;
  };
  for (const n of nodes) if (n.schedulable) countNode(n, 1);
  const setFree = (node: SchedNode, d: number, after: number): void => {
    const before = node.freeMilli[d] as number;
    node.freeMilli[d] = after;
    if (!node.schedulable) return;
    freeSum += after - before;
    strandedSum += stranded(after) - stranded(before);
  };
  const sample = (t: number): void => {
    const free = freeSum;
    const alloc = 1000 * schedDevices - freeSum;
    const frag = free > 0 ? strandedSum / free : 0;
    fragSum += frag;
    fragN++;
    series.push({ tSec: t, allocationRate: schedulableCards > 0 ? alloc / 1000 / schedulableCards : 0, fragmentation: frag, pending: pendingCount, running: running.length });
    if (series.length >= MAX_SAMPLES) {
      for (let i = 0; i < series.length / 2; i++) series[i] = series[2 * i] as TimePoint;
      series.length = Math.floor(series.length / 2);
      sampleEvery *= 2;
    }
  };

  const tenant = (name: string): TenantAcc => {
    let acc = tenants.get(name);
    if (!acc) tenants.set(name, (acc = { jobs: 0, completed: 0, cardSec: 0, jctSum: 0 }));
    return acc;
  };

  const release = (slot: number, now: number): void => {
    const job = slotJob[slot] as SimJob;
    const placements = slotPlacements[slot] ?? [];
    hostShare(job, placements, +1);
    for (const p of placements) {
      const ni = nodeIndex.get(p.nodeId) as number;
      const node = nodes[ni] as SchedNode;
      for (const d of p.devices) setFree(node, d, (node.freeMilli[d] as number) + p.milliPerDevice);
      nodeJobs[ni]?.delete(slot);
    }
    persistent?.release(job, placements);
    slotPlacements[slot] = undefined;
    const c = slotChip[slot] as number;
    allocMilli[c] = (allocMilli[c] as number) - (slotMilli[slot] as number);
    tenant(job.tenant).cardSec += ((slotMilli[slot] as number) / 1000) * (now - (slotStart[slot] as number));
    // Swap-remove from the running list.
    const ri = slotRunIdx[slot] as number;
    const last = running.length - 1;
    if (ri !== last) {
      running[ri] = running[last] as Running;
      runningSlot[ri] = runningSlot[last] as number;
      slotRunIdx[runningSlot[ri] as number] = ri;
    }
    running.pop();
    runningSlot.pop();
  };

  const freeSlot = (slot: number): void => {
    slotOf.delete((slotJob[slot] as SimJob).id);
    slotJob[slot] = undefined;
    slotState[slot] = SlotState.free;
    freeSlots.push(slot);
  };

  const requeue = (slot: number): void => {
    slotState[slot] = SlotState.pending;
    requeued.push(slotJob[slot] as SimJob);
    pendingCount++;
  };

  let dirty = false;
  let tickAt = Number.NEGATIVE_INFINITY;
  const markDirty = (now: number): void => {
    dirty = true;
    if (interval > 0) {
      const at = Math.ceil(now / interval) * interval;
      if (at > tickAt) {
        heap.push(at, TICK, 0);
        tickAt = at;
      }
    }
  };

  // CPU and memory follow the cards: each node gets its share of the job's ask (as the engine reserves it).
  const hostShare = (job: SimJob, placements: Placement[], sign: 1 | -1): void => {
    if (job.cpuMilli === undefined && job.memoryMiB === undefined) return;
    let cards = 0;
    for (const p of placements) cards += p.devices.length;
    for (const p of placements) {
      const node = nodes[nodeIndex.get(p.nodeId) as number] as SchedNode;
      const share = cards === 0 ? 1 : p.devices.length / cards;
      if (node.cpuMilliFree !== undefined && job.cpuMilli !== undefined) node.cpuMilliFree += sign * job.cpuMilli * share;
      if (node.memoryMiBFree !== undefined && job.memoryMiB !== undefined) node.memoryMiBFree += sign * job.memoryMiB * share;
    }
  };

  const nodeDown = (ni: number, now: number): void => {
    const node = nodes[ni] as SchedNode;
    if (!node.schedulable) return;
    for (const slot of [...(nodeJobs[ni] as Set<number>)]) {
      release(slot, now);
      counts.failures++;
      requeue(slot);
    }
    countNode(node, -1);
    node.schedulable = false;
    schedulableCards -= node.cards;
    persistent?.invalidate();
    markDirty(now);
  };
  const nodeUp = (ni: number, now: number): void => {
    const node = nodes[ni] as SchedNode;
    if (node.schedulable) return;
    node.schedulable = true;
    countNode(node, 1);
    schedulableCards += node.cards;
    persistent?.invalidate();
    markDirty(now);
  };

  for (const e of cfg.nodeEvents ?? []) {
    const ni = nodeIndex.get(e.nodeId);
    if (ni === undefined) continue;
    heap.push(e.timeSec, e.kind === 'down' ? EventKind.nodeDown : EventKind.nodeUp, ni);
  }
  const failRng = cfg.nodeFailures ? seededRng(cfg.nodeFailures.seed) : undefined;
  const expDraw = (mean: number): number => -Math.log(1 - (failRng as { next(): number }).next()) * mean;

  const it = cfg.jobs[Symbol.iterator]();
  let nextJob: SimJob | undefined = it.next().value as SimJob | undefined;
  let now = 0;

  const admit = (job: SimJob): void => {
    counts.seen++;
    if (slotOf.has(job.id)) {
      counts.rejected++;
      if (rejections.length < MAX_REJECTIONS) rejections.push({ jobId: job.id, reason: 'duplicate job id while the first is still live' });
      return;
    }
    let slot = freeSlots.pop();
    if (slot === undefined) {
      if (nextSlot === cap) grow();
      slot = nextSlot++;
    }
    slotJob[slot] = job;
    slotState[slot] = SlotState.pending;
    slotFailed[slot] = 0;
    slotFirstStart[slot] = Number.NaN;
    slotOf.set(job.id, slot);
    pendingJobs.push(job);
    pendingCount++;
    tenant(job.tenant).jobs++;
    if (watch.has(job.id)) watched[job.id] = { submitSec: job.submitTimeSec, startSec: null, endSec: null, chip: null, rejected: null };
    if (job.deadlineSec !== undefined) sloJobs++;
    if (job.submitTimeSec < firstSubmit) firstSubmit = job.submitTimeSec;
  };

  const reject = (slot: number, reason: string): void => {
    const job = slotJob[slot] as SimJob;
    counts.rejected++;
    if (rejections.length < MAX_REJECTIONS) rejections.push({ jobId: job.id, reason });
    const w = watched[job.id];
    if (w) w.rejected = reason;
    pendingCount--;
    freeSlot(slot);
  };

  const bind = (slot: number, chip: string, placements: Placement[], t: number): void => {
    const job = slotJob[slot] as SimJob;
    // Check every device first so that a bad decision changes nothing.
    let cards = 0;
    for (const p of placements) {
      const ni = nodeIndex.get(p.nodeId);
      const node = ni === undefined ? undefined : nodes[ni];
      if (!node || !node.schedulable || node.chip !== chip) {
        counts.invalidDecisions++;
        persistent?.invalidate();
        return;
      }
      for (const d of p.devices) {
        if (!((node.freeMilli[d] ?? -1) >= p.milliPerDevice)) {
          counts.invalidDecisions++;
          persistent?.invalidate();
          return;
        }
      }
      cards += p.devices.length;
    }
    const duration = cfg.durationOn?.(job, chip, cards) ?? job.durationSec;
    if (duration === undefined || !(duration >= 0) || !Number.isFinite(duration)) {
      persistent?.invalidate();
      reject(slot, `no run time known for ${job.id} on ${cards} x ${chip} (the trace gives none and the performance model has no estimate)`);
      return;
    }
    let milli = 0;
    for (const p of placements) {
      const ni = nodeIndex.get(p.nodeId) as number;
      const node = nodes[ni] as SchedNode;
      for (const d of p.devices) setFree(node, d, (node.freeMilli[d] as number) - p.milliPerDevice);
      milli += p.milliPerDevice * p.devices.length;
      nodeJobs[ni]?.add(slot);
    }
    hostShare(job, placements, -1);
    const c = chipIndex.get(chip) as number;
    allocMilli[c] = (allocMilli[c] as number) + milli;
    slotMilli[slot] = milli;
    slotChip[slot] = c;
    slotPlacements[slot] = placements;
    slotState[slot] = SlotState.running;
    slotStart[slot] = t;
    lastProgress = t;
    const w = watched[job.id];
    if (w) {
      w.startSec = t;
      w.chip = chip;
    }
    if (Number.isNaN(slotFirstStart[slot] as number)) {
      slotFirstStart[slot] = t;
      delay.push(t - job.submitTimeSec);
    }
    pendingCount--;
    slotRunIdx[slot] = running.length;
    // The job's own estimate (never the simulated true duration) feeds backfill, as it would in production.
    const run: Running = { jobId: job.id, tenant: job.tenant, queue: job.queue, priority: job.priority, startTimeSec: t, borrowed: false, placements, chip };
    // Set only when known (no spread of temporary objects: this runs once per bind).
    if (job.estimatedDurationSec !== undefined) run.estimatedDurationSec = job.estimatedDurationSec;
    if (job.minRuntimeSec !== undefined) run.minRuntimeSec = job.minRuntimeSec;
    running.push(run);
    runningSlot.push(slot);
    const fails = job.failAfterSec !== undefined && slotFailed[slot] === 0 && job.failAfterSec < duration;
    const end = t + (fails ? (job.failAfterSec as number) : duration);
    slotEnd[slot] = end;
    heap.push(end, fails ? EventKind.jobFailure : EventKind.completion, slot);
  };

  /** One scheduler call at `t`; true when it preempted (its preemptors bind in the next call). */
  const runSchedule = (t: number): boolean => {
    // Sweep entries that left the pending state once they outnumber the pending jobs (amortised O(1)).
    if (pendingJobs.length > 64 + 2 * pendingCount) pendingJobs = pendingJobs.filter(isPending);
    const queue: SchedJob[] = [];
    let seen: Set<SimJob> | undefined;
    if (requeued.length > 0) {
      requeued = requeued.filter(isPending);
      seen = new Set<SimJob>();
      for (const job of requeued) {
        if (queue.length >= window) break;
        if (!seen.has(job)) {
          queue.push(job);
          seen.add(job);
        }
      }
    }
    for (let i = 0; i < pendingJobs.length && queue.length < window; i++) {
      const job = pendingJobs[i] as SimJob;
      if (!seen?.has(job) && isPending(job)) queue.push(job);
    }
    if (queue.length === 0) return false;
    scheduleCalls++;
    let preempted = false;
    // Jobs whose preemptions were applied go first for a few calls, as in the control loop (Snapshot.nominated).
    const nominees: string[] = [];
    for (const [id, left] of nominated) {
      const slot = slotOf.get(id);
      if (left <= 0 || slot === undefined || slotState[slot] !== SlotState.pending) nominated.delete(id);
      else {
        nominated.set(id, left - 1);
        nominees.push(id);
      }
    }
    const result = persistent ? persistent.schedule(queue, t, nominees) : cfg.schedule({ nodes, running, nowSec: t, ...(cfg.queues ? { queues: cfg.queues } : {}), ...(nominees.length > 0 ? { nominated: nominees } : {}) }, queue, cfg.ctx as never);
    for (const d of result.decisions) {
      const slot = slotOf.get(d.jobId);
      if (slot === undefined) {
        counts.invalidDecisions++;
        continue;
      }
      if (d.kind === 'bind') {
        if (slotState[slot] !== SlotState.pending) counts.invalidDecisions++;
        else bind(slot, d.chip, d.placements, t);
      } else if (d.kind === 'reject') {
        if (slotState[slot] !== SlotState.pending) counts.invalidDecisions++;
        else reject(slot, d.reason);
      } else if (slotState[slot] === SlotState.running) {
        release(slot, t);
        counts.preemptions++;
        requeue(slot);
        nominated.set(d.forJobId, 3);
        preempted = true;
      } else counts.invalidDecisions++;
    }
    if (watch.size > 0) {
      for (const [id, reasons] of Object.entries(result.pending)) {
        if (!watch.has(id)) continue;
        const hist = (explain[id] ??= []);
        const prev = hist[hist.length - 1];
        if (!prev || JSON.stringify(prev.reasons) !== JSON.stringify(reasons)) hist.push({ tSec: t, reasons });
      }
    }
    return preempted;
  };

  const maxT = cfg.maxTimeSec ?? Number.POSITIVE_INFINITY;
  let progressAt = 0;
  for (;;) {
    const tArr = nextJob ? nextJob.submitTimeSec : Number.POSITIVE_INFINITY;
    const tEv = heap.peekTime();
    const t = Math.min(tArr, tEv);
    if (t === Number.POSITIVE_INFINITY || t > maxT) break;
    if (t < now) throw new Error(`trace is not in submission order: ${nextJob?.id ?? 'event'} at ${t}s after ${now}s`);
    advance(t);
    now = t;
    if (sampleEvery === 0 && started) {
      // First sample interval: a guess refined by doubling; one day of virtual time / 64.
      sampleEvery = 1350;
      nextSample = t;
    }
    while (now >= nextSample) {
      sample(nextSample);
      nextSample += sampleEvery;
    }
    // All events of this instant, arrivals last so that freed cards are visible to them.
    while (heap.size > 0 && heap.peekTime() === t) {
      const kind = heap.topKind();
      const p = heap.topPayload();
      heap.pop();
      if (kind === EventKind.completion || kind === EventKind.jobFailure) {
        if (slotState[p] !== SlotState.running || slotEnd[p] !== t) continue; // stale: preempted or failed earlier
        const job = slotJob[p] as SimJob;
        release(p, t);
        if (kind === EventKind.jobFailure) {
          counts.failures++;
          slotFailed[p] = 1;
          requeue(p);
        } else {
          const j = t - job.submitTimeSec;
          jct.push(j);
          counts.completed++;
          const acc = tenant(job.tenant);
          acc.completed++;
          acc.jctSum += j;
          if (job.deadlineSec !== undefined && j <= job.deadlineSec) sloMet++;
          const w = watched[job.id];
          if (w) w.endSec = t;
          lastEnd = Math.max(lastEnd, t);
          freeSlot(p);
        }
        markDirty(t);
      } else if (kind === EventKind.nodeDown) {
        nodeDown(p, t);
        if (failRng && cfg.nodeFailures) heap.push(t + cfg.nodeFailures.repairSec, EventKind.nodeUp, p);
      } else if (kind === EventKind.nodeUp) {
        nodeUp(p, t);
        if (failRng && cfg.nodeFailures) heap.push(t + expDraw(cfg.nodeFailures.mtbfSec), EventKind.nodeDown, p);
      } else if (kind === TICK) {
        // handled below
      }
    }
    while (nextJob && nextJob.submitTimeSec === t) {
      if (failRng && cfg.nodeFailures && counts.seen === 0) {
        for (let ni = 0; ni < nodes.length; ni++) heap.push(t + expDraw(cfg.nodeFailures.mtbfSec), EventKind.nodeDown, ni);
      }
      admit(nextJob);
      markDirty(t);
      nextJob = it.next().value as SimJob | undefined;
    }
    if (dirty && (interval === 0 || t >= tickAt)) {
      dirty = false;
      // Preemptions free room at once: call again at the same time so their preemptors bind now,
      // not at whatever event comes next (a few rounds at most, as chains of preemption are short).
      for (let round = 0; round < 4 && runSchedule(t); round++);
    }
    if (cfg.onProgress && counts.seen >= progressAt) {
      progressAt = counts.seen + 10000;
      cfg.onProgress({ nowSec: t, jobsSeen: counts.seen, jobsDone: counts.completed, pending: pendingCount, running: running.length });
    }
    // With random node churn the heap never empties: stop once the work is done, or when pending
    // jobs have made no progress for 30 virtual days with nothing running.
    if (failRng && !nextJob && running.length === 0 && (pendingCount === 0 || t - lastProgress > 30 * 86400)) break;
  }
  sample(now);

  const makespan = Math.max(0, (lastEnd || now) - (Number.isFinite(firstSubmit) ? firstSubmit : 0));
  let costTotal = 0;
  let costPartial = false;
  let energyTotal = 0;
  let energyPartial = false;
  const perChip = chips.map((chip, c) => {
    const busyCardHours = (busyMilliSec[c] as number) / 1000 / 3600;
    const price = cfg.pricePerCardHour?.[chip];
    const power = cfg.powerWPerCard?.[chip];
    const cost = price === undefined ? null : busyCardHours * price;
    const energyKWh = power === undefined ? null : (busyCardHours * power) / 1000;
    if (cost === null) costPartial = true;
    else costTotal += cost;
    if (energyKWh === null) energyPartial = true;
    else energyTotal += energyKWh;
    const cards = chipCards[c] as number;
    return { chip, cards, utilisation: cards > 0 && makespan > 0 ? (busyMilliSec[c] as number) / 1000 / (cards * makespan) : 0, busyCardHours, cost, energyKWh };
  });
  const totalCardSec = [...tenants.values()].reduce((s, a) => s + a.cardSec, 0);
  return {
    jobs: { ...counts, unfinished: pendingCount + running.length },
    jctSec: summary(jct),
    queueDelaySec: summary(delay),
    makespanSec: makespan,
    allocationRate: capArea > 0 ? allocArea / capArea : 0,
    fragmentation: fragN > 0 ? fragSum / fragN : 0,
    perChip,
    cost: cfg.pricePerCardHour ? costTotal : null,
    costPartial,
    energyKWh: cfg.powerWPerCard ? energyTotal : null,
    energyPartial,
    sloAttainment: sloJobs > 0 ? sloMet / sloJobs : null,
    perTenant: [...tenants.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, a]) => ({ tenant: name, jobs: a.jobs, completed: a.completed, cardHours: a.cardSec / 3600, share: totalCardSec > 0 ? a.cardSec / totalCardSec : 0, meanJctSec: a.completed > 0 ? a.jctSum / a.completed : null })),
    rejections,
    series,
    watched,
    explain,
    scheduleCalls,
  };
}
