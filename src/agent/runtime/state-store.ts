import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TesseraError } from '../../lib/errors.js';
import type { LogStream } from './log-buffer.js';

/**
 * The agent's small local state file (`<state-dir>/agent-state.json`): which assignments it has
 * started, their process ids, exit statuses not yet reported and how far their logs were sent.
 * It is what makes "an assignment starts at most once" hold across agent restarts: a task is
 * recorded (phase `starting`) and the file synced before its process is spawned, so a crash at any
 * point leaves either no record (never started) or a record (never started again).
 * Writes are atomic: temp file, fsync, rename, fsync of the folder.
 */
export const TaskPhase = {
  starting: 'starting',
  running: 'running',
  exited: 'exited',
} as const;
export type TaskPhase = (typeof TaskPhase)[keyof typeof TaskPhase];

export interface TaskExit {
  code: number | null;
  signal: string | null;
  message: string | null;
  endedAtMs: number;
}

export interface TaskRecord {
  jobId: string;
  attempt: number;
  nodeRank: number;
  phase: TaskPhase;
  pid: number | null;
  dir: string;
  startedAtMs: number;
  exit: TaskExit | null;
  /** The control plane took the `running` report. */
  reportedRunning: boolean;
  /** The control plane took the exit report (or none is owed: the task was stopped on its request). */
  reportedExit: boolean;
  /** The control plane asked for the task to stop (cancelled, preempted, moved, lost). */
  stopRequested: boolean;
  /** Log file offsets delivered (or dropped) per stream, and the next log sequence number. */
  logOffsets: Record<LogStream, number>;
  nextLogSeq: number;
  /** Every byte of output was sent after the exit. */
  logsDone: boolean;
  /** The engine and container name when the task runs in a container (stopped through the engine too). */
  container?: { program: string; name: string } | null;
  /** Inference replicas: the TCP port given to the task, kept so a restarted agent probes the same one. */
  replicaPort?: number | null;
  /** The base URL once the replica answered its readiness probe. */
  endpointUrl?: string | null;
  /** The control plane took the endpoint report (or refused it for good). */
  reportedEndpoint?: boolean;
}

export interface AgentState {
  version: 1;
  nodeId: string;
  tasks: TaskRecord[];
  /** Keys (`jobId#attempt`) of tasks finished and reported; never started again. Most recent last. */
  finished: string[];
}

/** How many finished keys are remembered; an attempt older than this has long been settled by the server. */
export const FINISHED_MEMORY = 10_000;

export const taskKey = (jobId: string, attempt: number): string => `${jobId}#${attempt}`;

export class StateStore {
  readonly file: string;
  private state: AgentState;

  constructor(
    readonly dir: string,
    nodeId: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'agent-state.json');
    this.state = load(this.file, nodeId);
  }

  get tasks(): readonly TaskRecord[] {
    return this.state.tasks;
  }

  get nodeId(): string {
    return this.state.nodeId;
  }

  find(jobId: string, attempt: number): TaskRecord | undefined {
    return this.state.tasks.find((t) => t.jobId === jobId && t.attempt === attempt);
  }

  /** True when this assignment was ever started on this node (running, finished or in doubt). */
  everStarted(jobId: string, attempt: number): boolean {
    return this.find(jobId, attempt) !== undefined || this.state.finished.includes(taskKey(jobId, attempt));
  }

  /** Records a task about to start and syncs the file; only then may its process be spawned. */
  begin(t: Pick<TaskRecord, 'jobId' | 'attempt' | 'nodeRank' | 'dir' | 'startedAtMs'>): TaskRecord {
    if (this.everStarted(t.jobId, t.attempt)) throw new TesseraError('conflict', `assignment ${taskKey(t.jobId, t.attempt)} was already started on this node`);
    const rec: TaskRecord = { ...t, phase: TaskPhase.starting, pid: null, exit: null, reportedRunning: false, reportedExit: false, stopRequested: false, logOffsets: { stdout: 0, stderr: 0 }, nextLogSeq: 1, logsDone: false };
    this.state.tasks.push(rec);
    this.save();
    return rec;
  }

  /** Applies a change to a task record and saves. */
  update(rec: TaskRecord, change: Partial<TaskRecord>): void {
    Object.assign(rec, change);
    this.save();
  }

  /** Drops a settled task (exit reported, logs sent), remembering its key. */
  retire(rec: TaskRecord): void {
    this.state.tasks = this.state.tasks.filter((t) => t !== rec);
    this.state.finished.push(taskKey(rec.jobId, rec.attempt));
    if (this.state.finished.length > FINISHED_MEMORY) this.state.finished.splice(0, this.state.finished.length - FINISHED_MEMORY);
    this.save();
  }

  save(): void {
    writeAtomic(this.file, `${JSON.stringify(this.state)}\n`);
  }
}

function load(file: string, nodeId: string): AgentState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { version: 1, nodeId, tasks: [], finished: [] };
  }
  let v: AgentState;
  try {
    v = JSON.parse(text) as AgentState;
  } catch {
    throw new TesseraError('invalid_input', `${file} is not valid JSON; it is the agent's record of started work, so it is not overwritten: inspect it, then move it away to start afresh`);
  }
  if (v.version !== 1 || !Array.isArray(v.tasks) || !Array.isArray(v.finished)) throw new TesseraError('invalid_input', `${file}: unknown state format (version ${String(v.version)})`);
  if (v.nodeId !== nodeId) throw new TesseraError('conflict', `--state-dir ${dirname(file)} belongs to node ${v.nodeId}, not ${nodeId}; give each node its own state folder`);
  return v;
}

export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  try {
    const dfd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some filesystems cannot sync a folder; the rename is still atomic.
  }
}
