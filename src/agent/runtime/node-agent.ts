import { readdirSync, rmSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ChipSpec } from '../../catalog/index.js';
import { isTesseraError } from '../../lib/errors.js';
import type { DeviceRecord } from '../device-record.js';
import { locate, runCommand } from '../probe.js';
import { Runtime } from '../run-env.js';
import { Backoff } from './backoff.js';
import { containerName, planLaunch } from './launch-plan.js';
import { TaskProcess, readExitStatus, readShimPid, taskFiles, type ExitStatus } from './process-runner.js';
import { FailureKind, ProtocolError, type AgentCounters, type Assignment, type HeartbeatReply, type ProtocolClient, type Registration, type Telemetry } from './protocol-client.js';
import { INFERENCE_KIND, freePort, replicaUrl, waitReady } from './replica-endpoint.js';
import { DEFAULT_OUTPUT_LIMITS, RunningTask, type OutputLimits } from './running-task.js';
import { StateStore, TaskPhase, type TaskExit } from './state-store.js';

/**
 * The node agent's run loop: register, heartbeat with telemetry, take assignments (verified, then
 * acknowledged, recorded, started: at most once, also across restarts), stream their output,
 * report running and exit, stop what the control plane no longer assigns (SIGTERM, grace,
 * SIGKILL of the process group). With the control plane unreachable, running work carries on;
 * exit reports wait in the state file and output in bounded buffers, and both go out after
 * reconnecting, with exponential backoff and jitter between attempts.
 *
 * Inference replicas get a free port (`PORT`, `TESSERA_REPLICA_PORT`); once the engine answers its
 * readiness probe the endpoint is reported like the other queued reports (kept in the state file,
 * retried across outages). It leaves the control plane's list when the replica's exit is reported,
 * since only running replicas' endpoints are listed.
 */
export type AgentLogLevel = 'info' | 'warn' | 'error';
export type AgentLog = (level: AgentLogLevel, message: string, fields?: Record<string, unknown>) => void;

export interface NodeAgentOptions {
  client: ProtocolClient;
  registration: Registration;
  chip: ChipSpec;
  devices: readonly DeviceRecord[];
  stateDir: string;
  runtime?: Runtime;
  /** Address of this node for other ranks (used when the server names no rank-0 node). */
  advertiseAddr: string;
  /** Variables every task inherits (PATH, HOME, ...), without the agent's secrets. */
  baseEnv: Record<string, string>;
  /** Heartbeat at least this often (seconds), even when the server asks for less. */
  heartbeatSec?: number;
  /** Time a task gets between SIGTERM and SIGKILL. */
  graceSec?: number;
  maxBackoffSec?: number;
  /** Bytes of output per task held in memory for the control plane before the oldest is dropped. */
  logBufferBytes?: number;
  /** Unread bytes of a task's output file (per stream) before the oldest unread ones are skipped. */
  logBacklogBytes?: number;
  /** How often output and reports are sent while connected. */
  flushMs?: number;
  /** Folders (output files) of finished tasks kept on the node for local inspection; older ones are removed. */
  keepFinishedTaskDirs?: number;
  telemetry?: () => Telemetry[];
  /** Whether a container engine program (docker, nerdctl) can be run here. */
  engineAvailable?: (program: string) => boolean;
  log?: AgentLog;
  random?: () => number;
  /** How long an inference replica may take to answer `/v1/models` or `/health` before the agent gives up on it (seconds). */
  replicaReadyTimeoutSec?: number;
  /** Longest pause between readiness probes (milliseconds); they start at 200 ms and double. */
  replicaProbeMaxIntervalMs?: number;
}

/** Log chunks per request (the protocol allows 500), and their JSON text well under the control plane's 1 MiB body limit. */
const MAX_CHUNKS_PER_REQUEST = 200;
const MAX_JSON_CHARS_PER_REQUEST = 512 * 1024;

export class NodeAgent {
  readonly state: StateStore;
  private readonly tasks = new Map<string, RunningTask>();
  private readonly backoff: Backoff;
  private readonly log: AgentLog;
  private readonly limits: OutputLimits;
  private registered = false;
  private online = false;
  private intervalMs: number;
  private stopping = false;
  private wakeUp: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;
  /** Counters for tests and the agent's own status line. */
  readonly stats = { heartbeats: 0, heartbeatFailures: 0, started: 0, refused: 0, reportsSent: 0, chunksSent: 0, endpointsReported: 0 };
  /** Output dropped by tasks already retired, so the counters sent with heartbeats cover the agent's life. */
  private readonly retiredDrops = { chunks: 0, bytes: 0 };

  constructor(private readonly o: NodeAgentOptions) {
    this.state = new StateStore(o.stateDir, o.registration.id);
    this.log = o.log ?? (() => {});
    this.backoff = new Backoff({ baseMs: 500, maxMs: (o.maxBackoffSec ?? 30) * 1000, random: o.random ?? Math.random });
    this.intervalMs = (o.heartbeatSec ?? 5) * 1000;
    this.limits = { bufferBytes: o.logBufferBytes ?? DEFAULT_OUTPUT_LIMITS.bufferBytes, backlogBytes: o.logBacklogBytes ?? DEFAULT_OUTPUT_LIMITS.backlogBytes };
  }

  get nodeId(): string {
    return this.o.registration.id;
  }

  get connected(): boolean {
    return this.online;
  }

  /** Tasks this agent knows (running, or ended with reports still owed). */
  get taskList(): readonly RunningTask[] {
    return [...this.tasks.values()];
  }

  /** Picks up tasks recorded by an earlier agent process on this node, then runs the loop until `stop()`. */
  start(): Promise<void> {
    this.recover();
    this.loopDone = this.loop();
    return this.loopDone;
  }

  /**
   * Ends the loop after one last attempt to send what is owed. Tasks keep running unless
   * `stopTasks` (then each gets SIGTERM, the grace period, SIGKILL); a later agent adopts them.
   */
  async stop(stopTasks = false): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loopDone;
    if (stopTasks) await Promise.all(this.taskList.filter((t) => t.live && t.proc).map((t) => this.stopTask(t, 'the agent is shutting down')));
    this.tailAll();
    if (this.online) await this.flush().catch(() => undefined);
  }

  private wake(): void {
    this.wakeUp?.();
  }

  private async loop(): Promise<void> {
    let nextBeatAt = 0;
    while (!this.stopping) {
      this.tailAll();
      if (Date.now() >= nextBeatAt) {
        const ok = await this.beat();
        nextBeatAt = Date.now() + (ok ? this.intervalMs : this.backoff.next());
      }
      if (this.online && !this.stopping) {
        try {
          await this.flush();
        } catch (e) {
          this.onFailure(e, 'sending reports');
        }
      }
      if (this.stopping) break;
      const sleepMs = Math.max(0, Math.min(this.o.flushMs ?? 250, nextBeatAt - Date.now()));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sleepMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  /** One heartbeat (registering first when needed); false when the control plane could not be reached. */
  private async beat(): Promise<boolean> {
    try {
      if (!this.registered) {
        const reg = await this.o.client.register(this.o.registration);
        this.registered = true;
        this.setInterval(reg.heartbeatIntervalSec);
        this.log('info', `registered as ${reg.nodeId} with ${this.o.client.server}`, { heartbeatIntervalSec: reg.heartbeatIntervalSec, nodeLeaseSec: reg.nodeLeaseSec, devices: this.o.registration.devices.length, chip: this.o.registration.chip });
      }
      const running = [...new Set(this.taskList.filter((t) => t.live).map((t) => t.rec.jobId))];
      const reply = await this.o.client.heartbeat(this.nodeId, this.o.telemetry?.() ?? [], running, undefined, this.counters());
      this.stats.heartbeats++;
      if (!this.online) this.log('info', `connected to ${this.o.client.server}`, { queuedTasks: this.taskList.filter((t) => !t.rec.reportedExit).length });
      this.online = true;
      this.backoff.reset();
      this.setInterval(reply.heartbeatIntervalSec);
      await this.apply(reply);
      return true;
    } catch (e) {
      this.stats.heartbeatFailures++;
      this.onFailure(e, 'heartbeat');
      return false;
    }
  }

  /** Dropped output and reports still owed, for the heartbeat: how far behind this node's view of its work is. */
  counters(): AgentCounters {
    let droppedLogChunks = this.retiredDrops.chunks;
    let droppedLogBytes = this.retiredDrops.bytes;
    let queuedReports = 0;
    let queuedLogChunks = 0;
    for (const t of this.taskList) {
      droppedLogChunks += t.buffer.dropped.chunks;
      droppedLogBytes += t.buffer.dropped.bytes;
      queuedLogChunks += t.buffer.size;
      if (!t.rec.reportedRunning && t.rec.pid !== null && !t.rec.stopRequested) queuedReports++;
      if (t.rec.exit && !t.rec.reportedExit) queuedReports++;
    }
    return { droppedLogChunks, droppedLogBytes, queuedReports, queuedLogChunks };
  }

  private setInterval(serverSec: number): void {
    const own = this.o.heartbeatSec;
    const sec = own !== undefined ? Math.min(own, serverSec) : serverSec;
    if (Number.isFinite(sec) && sec > 0) this.intervalMs = sec * 1000;
  }

  private onFailure(e: unknown, what: string): void {
    if (e instanceof ProtocolError) {
      if (e.kind === FailureKind.unregistered) {
        this.registered = false;
        this.log('warn', `${what}: the control plane does not know this node; registering again`);
        return;
      }
      if (this.online || e.kind !== FailureKind.retry) this.log(e.kind === FailureKind.auth ? 'error' : 'warn', `${what}: ${e.message}`);
      if (e.kind === FailureKind.retry || e.kind === FailureKind.auth) this.online = false;
      return;
    }
    this.online = false;
    this.log('error', `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }

  /** Acts on a heartbeat reply: stops what is no longer assigned, starts what is new. */
  private async apply(reply: HeartbeatReply): Promise<void> {
    const details = new Map((Array.isArray(reply.stopDetails) ? reply.stopDetails : []).map((d) => [d.jobId, d]));
    for (const jobId of reply.stop) {
      const d = details.get(jobId);
      const graceSec = typeof d?.graceSec === 'number' && Number.isFinite(d.graceSec) && d.graceSec >= 0 ? d.graceSec : undefined;
      for (const t of this.taskList) if (t.rec.jobId === jobId && t.live) void this.stopTask(t, d?.reason ? `the control plane says stop: ${d.reason}` : 'the control plane no longer assigns it to this node', graceSec);
    }
    for (const a of reply.assignments) {
      if (!isAssignment(a)) {
        this.log('warn', 'ignoring a malformed assignment from the control plane', { assignment: a as unknown });
        continue;
      }
      // An older attempt of the same job still running here ends first; the new one starts after.
      const older = this.taskList.filter((t) => t.rec.jobId === a.jobId && t.rec.attempt !== a.attempt && t.live);
      if (older.length > 0) {
        for (const t of older) void this.stopTask(t, `attempt ${a.attempt} replaces it`);
        continue;
      }
      if (this.state.everStarted(a.jobId, a.attempt)) continue;
      await this.startAssignment(a);
    }
  }

  private async startAssignment(assigned: Assignment): Promise<void> {
    // Check before acknowledging: an assignment this node cannot run is refused, not taken.
    let plan: ReturnType<typeof planLaunch> | null = null;
    let refusal: string | null = null;
    let a = assigned;
    let replicaPort: number | null = null;
    try {
      if (a.kind === INFERENCE_KIND) {
        // The engine listens where the agent will probe it; the job's own PORT, if it sets one, yields.
        replicaPort = await freePort();
        a = { ...a, env: { ...a.env, PORT: String(replicaPort), TESSERA_REPLICA_PORT: String(replicaPort) } };
      }
      plan = planLaunch({ assignment: a, nodeId: this.nodeId, chip: this.o.chip, hostDevices: this.o.devices, runtime: this.o.runtime ?? Runtime.process, advertiseAddr: this.o.advertiseAddr, baseEnv: this.o.baseEnv });
      if (plan.container && this.o.engineAvailable && !this.o.engineAvailable(plan.program)) {
        refusal = `${plan.program} is not installed on node ${this.nodeId} (not found on PATH), so the ${this.o.runtime} runtime cannot start containers here; the command would be: ${plan.program} ${plan.args.join(' ')}`;
      }
    } catch (e) {
      if (isTesseraError(e)) refusal = e.message;
      else if (replicaPort === null && a.kind === INFERENCE_KIND) refusal = `no free TCP port for the replica: ${e instanceof Error ? e.message : String(e)}`;
      else throw e;
    }
    if (!a.acknowledged) {
      try {
        await this.o.client.ack(this.nodeId, a.jobId, a.attempt);
      } catch (e) {
        if (e instanceof ProtocolError && e.kind === FailureKind.rejected) {
          this.log('warn', `assignment ${a.jobId} attempt ${a.attempt} refused at acknowledgement: ${e.message}`);
          return;
        }
        throw e;
      }
    }
    const dir = join(this.o.stateDir, 'tasks', `${a.jobId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${a.attempt}`);
    const rec = this.state.begin({ jobId: a.jobId, attempt: a.attempt, nodeRank: a.nodeRank, dir, startedAtMs: Date.now() });
    if (replicaPort !== null) this.state.update(rec, { replicaPort, endpointUrl: null, reportedEndpoint: false });
    const task = new RunningTask(rec, this.limits);
    this.tasks.set(task.key, task);
    if (refusal !== null || plan === null) {
      this.stats.refused++;
      this.log('warn', `assignment ${a.jobId} attempt ${a.attempt} cannot run here: ${refusal}`);
      this.ended(task, { code: 127, signal: null, message: refusal ?? 'no launch plan', endedAtMs: Date.now() });
      return;
    }
    for (const note of plan.notes) task.buffer.push('stderr', `[tessera agent] ${note}\n`, 0, 0);
    if (plan.container) this.state.update(rec, { container: { program: plan.container.program, name: containerName(a.jobId, a.attempt) } });
    try {
      const proc = TaskProcess.start({ dir, program: plan.program, args: plan.args, env: plan.env });
      task.proc = proc;
      this.state.update(rec, { pid: proc.pid, phase: TaskPhase.running });
      this.stats.started++;
      this.log('info', `started ${a.jobId} attempt ${a.attempt} (rank ${a.nodeRank}/${a.nodeCount}) on devices ${a.devices.join(',')}`, { pid: proc.pid, program: plan.program });
      this.watch(task, proc);
      if (replicaPort !== null) void this.awaitReplica(task);
    } catch (e) {
      this.ended(task, { code: 127, signal: null, message: `could not start: ${e instanceof Error ? e.message : String(e)}`, endedAtMs: Date.now() });
    }
  }

  /** Probes a replica until it answers, then queues its endpoint report; a later agent re-probes what this one did not finish. */
  private async awaitReplica(task: RunningTask): Promise<void> {
    const rec = task.rec;
    if (!rec.replicaPort || rec.endpointUrl) return;
    const url = replicaUrl(this.o.advertiseAddr, rec.replicaPort);
    const r = await waitReady(url, {
      timeoutSec: this.o.replicaReadyTimeoutSec ?? 900,
      maxIntervalMs: this.o.replicaProbeMaxIntervalMs ?? 5000,
      alive: () => task.live && !rec.stopRequested && !this.stopping,
    });
    if (r.ready) {
      this.state.update(rec, { endpointUrl: url, reportedEndpoint: false });
      this.log('info', `${rec.jobId} attempt ${rec.attempt} answers at ${url} (${r.path} after ${(r.waitedMs / 1000).toFixed(1)} s)`);
      task.buffer.push('stderr', `[tessera agent] replica ready at ${url} (${r.path} answered)\n`, 0, 0);
      this.wake();
    } else if (task.live && !rec.stopRequested && !this.stopping) {
      // Left running (its output may say why) but never routed to: the gateway only sees reported endpoints.
      this.log('warn', `${rec.jobId} attempt ${rec.attempt} is not ready at ${url}: ${r.why}; its endpoint is not reported`);
      task.buffer.push('stderr', `[tessera agent] replica not ready at ${url}: ${r.why}; it gets no traffic\n`, 0, 0);
    }
  }

  private watch(task: RunningTask, proc: TaskProcess): void {
    void proc.wait().then((s) => {
      this.ended(task, exitOf(s));
      this.wake();
    });
  }

  private ended(task: RunningTask, exit: TaskExit): void {
    if (task.rec.exit) return;
    task.tail();
    this.state.update(task.rec, { exit, phase: TaskPhase.exited, logOffsets: task.buffer.delivered() });
    this.log('info', `${task.rec.jobId} attempt ${task.rec.attempt} ended: ${describeExit(exit)}`);
  }

  /** Stops a task once: repeated requests (every heartbeat lists it) join the stop under way. */
  private stopTask(task: RunningTask, why: string, graceSec?: number): Promise<void> {
    task.stopping ??= this.doStop(task, why, graceSec);
    return task.stopping;
  }

  /** `graceSec`: the job's own grace period when the control plane sent one, else the agent's. */
  private async doStop(task: RunningTask, why: string, graceSec?: number): Promise<void> {
    if (!task.rec.stopRequested) {
      this.state.update(task.rec, { stopRequested: true });
      this.log('info', `stopping ${task.rec.jobId} attempt ${task.rec.attempt}: ${why}`);
    }
    const graceMs = (graceSec ?? this.o.graceSec ?? 10) * 1000;
    // A container's engine client forwards SIGTERM, but SIGKILL of the client would leave the
    // container running: the engine is told to stop it as well, with the same grace period.
    if (task.rec.container && task.live) void this.stopContainer(task.rec.container, graceMs);
    if (task.proc) await task.proc.stop(graceMs + (task.rec.container ? 5000 : 0));
    else if (task.live) this.ended(task, { code: null, signal: null, message: `stopped before it ran: ${why}`, endedAtMs: Date.now() });
  }

  /** Keeps the node's disk bounded: the output files of all but the most recent finished tasks go. */
  private pruneTaskDirs(): void {
    const root = join(this.o.stateDir, 'tasks');
    const active = new Set(this.taskList.map((t) => t.rec.dir));
    let dirs: { path: string; mtimeMs: number }[];
    try {
      dirs = readdirSync(root)
        .map((name) => join(root, name))
        .filter((path) => !active.has(path))
        .map((path) => ({ path, mtimeMs: statSync(path).mtimeMs }));
    } catch {
      return;
    }
    const keep = this.o.keepFinishedTaskDirs ?? 50;
    dirs.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const d of dirs.slice(keep)) rmSync(d.path, { recursive: true, force: true });
  }

  private async stopContainer(c: { program: string; name: string }, graceMs: number): Promise<void> {
    const path = locate([c.program], (this.o.baseEnv.PATH ?? '').split(delimiter).filter((d) => d !== ''));
    if (!path) {
      this.log('error', `cannot stop container ${c.name}: ${c.program} is not on PATH`);
      return;
    }
    const r = await runCommand(path, ['stop', '--time', String(Math.ceil(graceMs / 1000)), c.name], graceMs + 30_000, this.o.baseEnv);
    if (r.report.exitCode !== 0) this.log('warn', `${c.program} stop ${c.name} failed: ${r.report.message ?? `exit ${r.report.exitCode ?? r.report.signal ?? 'unknown'}`}`);
  }

  /** Tasks recorded by an earlier agent process: adopt the live ones, settle the rest. Never restarts any. */
  private recover(): void {
    for (const rec of this.state.tasks) {
      const task = new RunningTask(rec, this.limits);
      this.tasks.set(task.key, task);
      if (rec.exit) continue;
      // The agent may have died between spawning and recording the pid: the shim wrote it too.
      const pid = rec.pid ?? readShimPid(rec.dir);
      if (pid === null) {
        this.ended(task, { code: null, signal: null, message: 'the agent stopped while starting this task; it is not started again', endedAtMs: Date.now() });
        continue;
      }
      if (rec.pid === null) this.state.update(rec, { pid, phase: TaskPhase.running });
      const proc = TaskProcess.adopt(pid, rec.dir);
      if (proc) {
        task.proc = proc;
        this.log('info', `adopted ${rec.jobId} attempt ${rec.attempt} (pid ${pid}), still running from before the agent restarted`);
        this.watch(task, proc);
        if (rec.replicaPort && !rec.endpointUrl) void this.awaitReplica(task);
        if (rec.stopRequested) void this.stopTask(task, 'a stop was under way when the agent restarted');
        continue;
      }
      const s = readExitStatus(taskFiles(rec.dir).status);
      this.ended(task, s ? exitOf(s) : { code: null, signal: null, message: 'the task ended while no agent was watching it; its exit status is unknown', endedAtMs: Date.now() });
    }
  }

  private tailAll(): void {
    for (const t of this.tasks.values()) t.tail();
  }

  /** Sends what is owed, task by task: running, output, exit. Throws on a retryable failure. */
  private async flush(): Promise<void> {
    for (const task of this.taskList) {
      const rec = task.rec;
      const quiet = rec.stopRequested;
      // A task that never got a process (refused, lost while starting) owes only its exit report.
      if (!rec.reportedRunning && !quiet && rec.pid !== null) {
        await this.report(task, { attempt: rec.attempt, state: 'running' });
        this.state.update(rec, { reportedRunning: true });
      }
      if (rec.endpointUrl && !rec.reportedEndpoint && rec.reportedRunning && task.live && !quiet) await this.reportEndpoint(task, rec.endpointUrl);
      await this.sendLogs(task);
      if (rec.exit && !rec.reportedExit && task.caughtUp() && task.buffer.size === 0) {
        if (!quiet) {
          const e = rec.exit;
          const ok = e.code === 0 && e.signal === null;
          await this.report(task, { attempt: rec.attempt, state: ok ? 'succeeded' : 'failed', ...(wireExitCode(e) !== null ? { exitCode: wireExitCode(e)! } : {}), ...(e.signal !== null ? { signal: e.signal } : {}), ...(ok ? {} : { message: describeExit(e).slice(0, 2000) }) });
        }
        this.state.update(rec, { reportedExit: true, logsDone: true, logOffsets: task.buffer.delivered() });
      }
      if (rec.reportedExit) {
        this.retiredDrops.chunks += task.buffer.dropped.chunks;
        this.retiredDrops.bytes += task.buffer.dropped.bytes;
        this.state.retire(rec);
        this.tasks.delete(task.key);
        this.pruneTaskDirs();
      }
    }
  }

  private async report(task: RunningTask, r: Parameters<ProtocolClient['status']>[2]): Promise<void> {
    try {
      const res = await this.o.client.status(this.nodeId, task.rec.jobId, r);
      this.stats.reportsSent++;
      if (res.stop && task.live) void this.stopTask(task, `the control plane answered the ${r.state} report with stop (job ${res.state})`);
    } catch (e) {
      if (e instanceof ProtocolError && e.kind === FailureKind.rejected) {
        this.log('warn', `the control plane refused the ${r.state} report of ${task.rec.jobId}: ${e.message}`);
        return;
      }
      throw e;
    }
  }

  private async reportEndpoint(task: RunningTask, url: string): Promise<void> {
    const rec = task.rec;
    try {
      await this.o.client.endpoint(rec.jobId, rec.attempt, url);
      this.stats.endpointsReported++;
      this.log('info', `reported endpoint ${url} of ${rec.jobId} attempt ${rec.attempt}`);
    } catch (e) {
      if (!(e instanceof ProtocolError && e.kind === FailureKind.rejected)) throw e;
      // Not a replica of a service, or the job moved to another attempt: retrying cannot help.
      this.log('warn', `the control plane refused the endpoint of ${rec.jobId}: ${e.message}`);
    }
    this.state.update(rec, { reportedEndpoint: true });
  }

  private async sendLogs(task: RunningTask): Promise<void> {
    const rec = task.rec;
    for (;;) {
      // Output is read as it is sent: the file holds the rest, so nothing is lost while the control plane keeps up.
      if (task.buffer.size === 0) task.tail();
      const batch = task.buffer.peek(MAX_CHUNKS_PER_REQUEST, MAX_JSON_CHARS_PER_REQUEST);
      if (batch.length === 0) return;
      // Each rank numbers its own chunks from 1; the control plane keys them by rank as well.
      const chunks = batch.map((c, i) => ({ seq: rec.nextLogSeq + i, stream: c.stream, text: c.text }));
      try {
        await this.o.client.logs(this.nodeId, rec.jobId, rec.attempt, chunks, rec.nodeRank);
        this.stats.chunksSent += chunks.length;
      } catch (e) {
        if (!(e instanceof ProtocolError && e.kind === FailureKind.rejected)) throw e;
        // The server no longer takes this attempt's output (job moved on): it is dropped, not retried forever.
        this.log('warn', `the control plane refused output of ${rec.jobId} attempt ${rec.attempt}: ${e.message}`);
      }
      task.buffer.commit(batch);
      // Saved with every batch, so a restarted agent resumes where the control plane's copy ends
      // (only a batch stored but not yet saved when the agent died is read and sent again).
      this.state.update(rec, { nextLogSeq: rec.nextLogSeq + batch.length, logOffsets: task.buffer.delivered() });
    }
  }
}

function exitOf(s: ExitStatus): TaskExit {
  return { code: s.code, signal: s.signal, message: s.error, endedAtMs: s.endedAtMs };
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

/** The exit code the protocol carries: the code, or 128 + the signal number as shells report it. */
function wireExitCode(e: TaskExit): number | null {
  if (e.code !== null) return Math.max(-255, Math.min(255, e.code));
  if (e.signal !== null) return 128 + (SIGNAL_NUMBERS[e.signal] ?? 0);
  return null;
}

export function describeExit(e: TaskExit): string {
  const what = e.signal !== null ? `killed by ${e.signal}` : e.code !== null ? `exit code ${e.code}` : 'exit status unknown';
  return e.message ? `${what}: ${e.message}` : what;
}

function isAssignment(a: unknown): a is Assignment {
  if (typeof a !== 'object' || a === null) return false;
  const x = a as Record<string, unknown>;
  const ints = (v: unknown): boolean => Array.isArray(v) && v.every((n) => Number.isInteger(n) && (n as number) >= 0);
  return (
    typeof x.jobId === 'string' &&
    x.jobId !== '' &&
    Number.isInteger(x.attempt) &&
    (x.attempt as number) >= 1 &&
    Array.isArray(x.command) &&
    x.command.every((c) => typeof c === 'string') &&
    typeof x.env === 'object' &&
    x.env !== null &&
    Object.values(x.env).every((v) => typeof v === 'string') &&
    typeof x.chip === 'string' &&
    ints(x.devices) &&
    Number.isInteger(x.nodeRank) &&
    Number.isInteger(x.nodeCount) &&
    (x.nodeRank as number) >= 0 &&
    (x.nodeRank as number) < (x.nodeCount as number) &&
    (x.nodes === undefined || (Array.isArray(x.nodes) && x.nodes.every((n) => typeof n === 'string')))
  );
}
