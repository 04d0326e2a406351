import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskProcess } from './process-runner.js';

/** Alive and not a zombie (a killed orphan stays a zombie until its new parent reaps it). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

describe('TaskProcess (real child processes)', () => {
  let dir: string;
  const started: TaskProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-task-'));
  });
  afterEach(() => {
    for (const t of started.splice(0)) t.signal('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const start = (script: string, env: Record<string, string> = {}): TaskProcess => {
    const t = TaskProcess.start({ dir, program: 'sh', args: ['-c', script], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
    started.push(t);
    return t;
  };

  it('reports the exit code and writes stdout and stderr to files', async () => {
    const t = start('echo out; echo err >&2; exit 3');
    expect(await t.wait()).toMatchObject({ code: 3, signal: null, error: null });
    expect(readFileSync(t.files.stdout, 'utf8')).toBe('out\n');
    expect(readFileSync(t.files.stderr, 'utf8')).toBe('err\n');
  });

  it('reports the signal that ended the task', async () => {
    const t = start('kill -SEGV $$');
    expect(await t.wait()).toMatchObject({ code: null, signal: 'SIGSEGV' });
  });

  it('passes exactly the environment it is given', async () => {
    const t = start('echo "$ONLY_THIS:${HOME:-none}"', { ONLY_THIS: 'yes' });
    await t.wait();
    expect(readFileSync(t.files.stdout, 'utf8')).toBe('yes:none\n');
  });

  it('cancels with SIGTERM first: a task that handles it exits on its own terms', async () => {
    const t = start("trap 'echo bye; exit 0' TERM; echo ready; sleep 30 & wait");
    while (!readFileSync(t.files.stdout, 'utf8').includes('ready')) await new Promise((r) => setTimeout(r, 20));
    expect(await t.stop(10_000)).toMatchObject({ code: 0, signal: null });
    expect(readFileSync(t.files.stdout, 'utf8')).toContain('bye');
  });

  it('SIGKILLs the whole process group, grandchildren included, when SIGTERM is ignored past the grace period', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const t = start(`trap '' TERM; sleep 30 & echo $! > ${pidFile}; wait`);
    let grandchild = 0;
    while (!grandchild) {
      await new Promise((r) => setTimeout(r, 20));
      grandchild = Number(readFileSync(pidFile, { encoding: 'utf8', flag: 'a+' }).trim()) || 0;
    }
    expect(alive(grandchild)).toBe(true);
    const s = await t.stop(200);
    expect(s.signal).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
    expect(alive(grandchild)).toBe(false);
  });

  it('reports a program that does not exist as exit 127 with the reason', async () => {
    const t = TaskProcess.start({ dir, program: '/nonexistent/tool', args: [], env: {} });
    started.push(t);
    const s = await t.wait();
    expect(s.code).toBe(127);
    expect(s.error).toMatch(/ENOENT/);
    expect(readFileSync(t.files.stderr, 'utf8')).toMatch(/cannot start \/nonexistent\/tool/);
  });

  it('a later agent adopts a running task by pid and still learns its exit code; a foreign pid is not adopted', async () => {
    const t = start('sleep 0.3; exit 4');
    const adopted = TaskProcess.adopt(t.pid, dir, 20);
    expect(adopted).not.toBeNull();
    expect(await adopted!.wait()).toMatchObject({ code: 4, signal: null });
    expect(TaskProcess.adopt(process.pid, dir)).toBeNull();
  });
});
