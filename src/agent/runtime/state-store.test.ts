import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore, TaskPhase } from './state-store.js';

describe('StateStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-agent-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records a task on disk before it starts, and a new process sees it (at most once across restarts)', () => {
    const s = new StateStore(dir, 'n1');
    const rec = s.begin({ jobId: 'job-1', attempt: 1, nodeRank: 0, dir: join(dir, 't'), startedAtMs: 1 });
    const onDisk = JSON.parse(readFileSync(s.file, 'utf8')) as { tasks: { jobId: string; phase: string }[] };
    expect(onDisk.tasks).toEqual([expect.objectContaining({ jobId: 'job-1', phase: TaskPhase.starting })]);
    s.update(rec, { pid: 1234, phase: TaskPhase.running });
    const again = new StateStore(dir, 'n1');
    expect(again.find('job-1', 1)).toMatchObject({ pid: 1234, phase: 'running' });
    expect(again.everStarted('job-1', 1)).toBe(true);
    expect(again.everStarted('job-1', 2)).toBe(false);
    expect(() => again.begin({ jobId: 'job-1', attempt: 1, nodeRank: 0, dir, startedAtMs: 2 })).toThrow(/already started/);
  });

  it('remembers retired tasks so they never start again', () => {
    const s = new StateStore(dir, 'n1');
    s.retire(s.begin({ jobId: 'job-2', attempt: 3, nodeRank: 1, dir, startedAtMs: 1 }));
    const again = new StateStore(dir, 'n1');
    expect(again.tasks).toEqual([]);
    expect(again.everStarted('job-2', 3)).toBe(true);
  });

  it('writes atomically: no temp file is left behind', () => {
    const s = new StateStore(dir, 'n1');
    s.begin({ jobId: 'job-3', attempt: 1, nodeRank: 0, dir, startedAtMs: 1 });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it("refuses another node's state folder and a damaged file, rather than forgetting started work", () => {
    new StateStore(dir, 'n1').save();
    expect(() => new StateStore(dir, 'n2')).toThrow(/belongs to node n1/);
    writeFileSync(join(dir, 'agent-state.json'), '{"version":1,"nodeId":"n1","tas');
    expect(() => new StateStore(dir, 'n1')).toThrow(/not valid JSON/);
  });
});
