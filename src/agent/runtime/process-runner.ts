import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs one task as a child process in its own process group, so that cancellation reaches every
 * process the task started and an agent restart does not take the task down with it.
 *
 * The agent does not spawn the task directly but through a tiny supervisor (the "shim", the same
 * idea as containerd-shim): `node -e <SHIM> <status-file> <program> <args...>`. The shim is the
 * process-group leader; it starts the task, ignores the termination signals the group receives
 * (the task decides how to react to them), and when the task ends writes its exit code or signal
 * to the status file (temp + rename). The task's stdout and stderr go to files, never to pipes:
 * a slow or absent agent can never block the task, and a restarted agent can read on from where
 * it stopped and still learn the exit status of a task it did not start.
 */
const SHIM = `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const [statusFile, program, ...args] = process.argv.slice(1);
fs.writeFileSync(statusFile + '.pid', String(process.pid));
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => {});
const write = (status) => {
  const tmp = statusFile + '.tmp';
  fs.writeFileSync(tmp, JSON.stringify({ ...status, endedAtMs: Date.now() }));
  fs.renameSync(tmp, statusFile);
};
let child;
try {
  child = spawn(program, args, { stdio: 'inherit' });
} catch (e) {
  process.stderr.write('tessera: cannot start ' + program + ': ' + e.message + '\\n');
  write({ code: 127, signal: null, error: e.message });
  process.exit(127);
}
child.on('error', (e) => {
  process.stderr.write('tessera: cannot start ' + program + ': ' + e.message + '\\n');
  write({ code: 127, signal: null, error: e.message });
  process.exit(127);
});
child.on('exit', (code, signal) => {
  write({ code, signal, error: null });
  process.exit(code === null ? 128 : code);
});
`;

export interface ExitStatus {
  /** Exit code, or null when a signal ended the task. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it could not start or how it was lost; null for an ordinary exit. */
  error: string | null;
  endedAtMs: number;
}

export interface TaskFiles {
  dir: string;
  stdout: string;
  stderr: string;
  status: string;
  /** Written by the shim as it starts: finds a task whose pid the agent had no time to record. */
  shimPid: string;
}

export function taskFiles(dir: string): TaskFiles {
  const status = join(dir, 'exit-status.json');
  return { dir, stdout: join(dir, 'stdout.log'), stderr: join(dir, 'stderr.log'), status, shimPid: `${status}.pid` };
}

/** The pid the shim wrote when it started, or null (it never started). */
export function readShimPid(dir: string): number | null {
  try {
    const n = Number(readFileSync(taskFiles(dir).shimPid, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

export interface StartOptions {
  dir: string;
  program: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd?: string;
}

/** A started (or adopted) task: its process group, and its end as a promise. */
export class TaskProcess {
  private ended: ExitStatus | null = null;
  private readonly waiters: ((s: ExitStatus) => void)[] = [];
  private poll: NodeJS.Timeout | null = null;

  private constructor(
    readonly pid: number,
    readonly files: TaskFiles,
  ) {}

  /** Starts the shim (and through it the task) in a new process group. */
  static start(o: StartOptions): TaskProcess {
    const files = taskFiles(o.dir);
    mkdirSync(o.dir, { recursive: true });
    const out = openSync(files.stdout, 'a');
    const err = openSync(files.stderr, 'a');
    try {
      const child = spawn(process.execPath, ['-e', SHIM, files.status, o.program, ...o.args], {
        detached: true,
        stdio: ['ignore', out, err],
        env: o.env,
        ...(o.cwd ? { cwd: o.cwd } : {}),
      });
      if (child.pid === undefined) throw new Error(`could not start the task supervisor (${process.execPath})`);
      const task = new TaskProcess(child.pid, files);
      child.on('exit', (code, signal) => task.settle(code, signal));
      child.on('error', (e) => task.finish({ code: 127, signal: null, error: e.message, endedAtMs: Date.now() }));
      // The agent may exit while tasks run on; they must not hold its event loop open.
      child.unref();
      return task;
    } finally {
      closeSync(out);
      closeSync(err);
    }
  }

  /**
   * Takes over a task a previous agent process started: watches the status file and whether the
   * shim is still alive. Null when `pid` is not that task's shim any more (it ended, or the pid
   * was reused); the caller then reads the status file.
   */
  static adopt(pid: number, dir: string, pollMs = 250): TaskProcess | null {
    const files = taskFiles(dir);
    if (!isShimOf(pid, files.status)) return null;
    const task = new TaskProcess(pid, files);
    task.poll = setInterval(() => {
      if (existsSync(files.status) || !isShimOf(pid, files.status)) task.settle(null, null);
    }, pollMs);
    task.poll.unref();
    return task;
  }

  get exited(): ExitStatus | null {
    return this.ended;
  }

  wait(): Promise<ExitStatus> {
    if (this.ended) return Promise.resolve(this.ended);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Sends a signal to the whole process group; false when the group is gone. */
  signal(sig: NodeJS.Signals): boolean {
    try {
      process.kill(-this.pid, sig);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Cancellation: SIGTERM to the whole group, then SIGKILL to the group if the task has not
   * ended after `graceMs`. Resolves with the exit status.
   */
  async stop(graceMs: number): Promise<ExitStatus> {
    if (this.ended) return this.ended;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const status = await this.wait();
    clearTimeout(timer);
    return status;
  }

  private settle(shimCode: number | null, shimSignal: NodeJS.Signals | null): void {
    const fromFile = readExitStatus(this.files.status);
    if (fromFile) return this.finish(fromFile);
    // No status file: the shim itself was killed (SIGKILL of the group), or vanished while no agent watched.
    if (shimSignal) return this.finish({ code: null, signal: shimSignal, error: null, endedAtMs: Date.now() });
    this.finish({ code: shimCode, signal: null, error: shimCode === null ? 'the task ended while no agent was watching it; its exit status is unknown' : null, endedAtMs: Date.now() });
  }

  private finish(s: ExitStatus): void {
    if (this.ended) return;
    this.ended = s;
    if (this.poll) clearInterval(this.poll);
    // Whatever the task left behind in its group (background children) ends with it.
    this.signal('SIGKILL');
    for (const w of this.waiters.splice(0)) w(s);
  }
}

export function readExitStatus(file: string): ExitStatus | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<ExitStatus>;
    return {
      code: typeof v.code === 'number' ? v.code : null,
      signal: typeof v.signal === 'string' ? (v.signal as NodeJS.Signals) : null,
      error: typeof v.error === 'string' ? v.error : null,
      endedAtMs: typeof v.endedAtMs === 'number' ? v.endedAtMs : Date.now(),
    };
  } catch {
    return null;
  }
}

/** True when `pid` is alive and is the shim writing `statusFile` (Linux: /proc; elsewhere: alive). */
function isShimOf(pid: number, statusFile: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: alive but another user's, so not our shim.
    return false;
  }
  if (!existsSync('/proc')) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\u0000').includes(statusFile);
  } catch {
    return false;
  }
}
