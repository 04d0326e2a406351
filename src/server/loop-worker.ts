/**
 * Runs the scheduling loop on a worker thread with its own database connection, so reading a
 * 50,000-job snapshot and running the engine never stall the API's event loop. The worker reports
 * each cycle back; this side feeds the API's metrics and readiness and forwards pokes.
 */
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { LoopHandle } from './app.js';
import type { ServerMetrics } from './metrics.js';
import type { CycleReport } from './sched-loop.js';

export interface LoopWorkerOptions {
  db?: string;
  dataDir: string;
  profile?: string;
  intervalMs?: number;
  seed?: number;
  nodeLeaseSec: number;
}

/** What the worker sends after each cycle. */
export interface CycleMessage {
  type: 'cycle';
  role: 'leader' | 'standby';
  report: CycleReport;
  queueDepth: { tenant: string; queue: string; state: string; n: number }[];
  allocated: { chip: string; cards: number }[];
  total: { chip: string; cards: number }[];
}

export class LoopWorker implements LoopHandle {
  private worker: Worker | null = null;
  private lastRole: 'leader' | 'standby' | 'off' = 'off';
  private sawCycle = false;
  private pokeSent = false;
  lastReport: CycleReport | null = null;

  constructor(
    private readonly o: LoopWorkerOptions,
    private readonly metrics: ServerMetrics,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Starts the worker; resolves once it has opened its store. */
  start(): Promise<void> {
    const worker = new Worker(new URL('./loop-worker-main.js', import.meta.url), { workerData: this.o });
    this.worker = worker;
    worker.on('error', (e) => this.log.error({ err: e }, 'scheduling worker failed'));
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (m: { type: string; message?: string }) => {
        if (m.type === 'started') resolve();
        else if (m.type === 'cycle') this.onCycle(m as unknown as CycleMessage);
        else if (m.type === 'log') this.log.warn({ worker: true }, m.message ?? '');
      });
    });
  }

  private onCycle(m: CycleMessage): void {
    this.sawCycle = true;
    this.lastRole = m.role;
    this.lastReport = m.report;
    const x = this.metrics;
    x.leader.set(m.role === 'leader' ? 1 : 0);
    if (!m.report.leader) return;
    x.cycleSeconds.observe(m.report.totalMs / 1000);
    for (const [kind, n] of [['bind', m.report.binds], ['preempt', m.report.preempts], ['reject', m.report.rejects]] as const) if (n > 0) x.decisions.inc({ kind }, n);
    if (m.report.refused > 0) x.refused.inc(m.report.refused);
    x.queueDepth.reset();
    for (const d of m.queueDepth) x.queueDepth.set({ tenant: d.tenant, queue: d.queue, state: d.state }, d.n);
    x.allocatedCards.reset();
    for (const a of m.allocated) x.allocatedCards.set({ chip: a.chip }, a.cards);
    x.totalCards.reset();
    for (const t of m.total) x.totalCards.set({ chip: t.chip }, t.cards);
  }

  /** Forwards pokes at most once per 10 ms: a submission storm pokes thousands of times a second, the loop needs one. */
  poke(): void {
    if (this.pokeSent || !this.worker) return;
    this.pokeSent = true;
    this.worker.postMessage({ type: 'poke' });
    setTimeout(() => (this.pokeSent = false), 10).unref();
  }

  role(): 'leader' | 'standby' | 'off' {
    return this.worker ? this.lastRole : 'off';
  }

  ready(): boolean {
    return this.worker !== null && this.sawCycle;
  }

  async stop(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.worker = null;
    const done = new Promise<void>((resolve) => {
      w.on('message', (m: { type: string }) => m.type === 'stopped' && resolve());
      w.once('exit', () => resolve());
    });
    w.postMessage({ type: 'stop' });
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
    await w.terminate();
  }
}
