import { describe, expect, it } from 'vitest';
import { job, node } from '../test-util/fixtures.js';
import { bound, occupy, reasons, run, running } from './test-helpers.js';

describe('backfill', () => {
  // n1: 8 H20s, R (6 cards) started at 0 and is estimated to run 1000 s; now = 100, 2 cards free.
  // HEAD (priority 10) needs all 8: blocked, earliest start t = 1000 (when R ends), on n1.
  const nodes = [node('n1', 'nvidia-h20', 8)];
  // R has a higher priority than HEAD, so HEAD cannot preempt it.
  const runs = [running('R', 'default', 't', 'n1', [0, 1, 2, 3, 4, 5], { startTimeSec: 0, estimatedDurationSec: 1000, priority: 20 })];
  const head = job('HEAD', { cards: 8, priority: 10 });

  it('lets a small job run only when it ends before the blocked head job can start', () => {
    const queue = [
      head,
      job('short', { priority: 5, estimatedDurationSec: 500 }), // ends at 600 <= 1000: backfilled
      job('long', { priority: 4, estimatedDurationSec: 5000 }), // would still run at 1000: waits
      job('unknown', { priority: 3 }), // no estimate: never backfilled past the reservation
    ];
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 100 }, queue);
    expect(bound(r)).toEqual(['short']);
    expect(reasons(r, 'long')).toBe('backfill: cards held for HEAD, which starts by t=1000s; this job would still run at t=5100s');
    expect(reasons(r, 'unknown')).toBe('backfill: cards held for HEAD, which starts by t=1000s; this job has no estimatedDurationSec');
  });

  it('two short jobs both fit before the head starts (the hold is re-taken minus what the first took)', () => {
    const queue = [head, job('s1', { priority: 5, estimatedDurationSec: 800 }), job('s2', { priority: 4, estimatedDurationSec: 900 }), job('s3', { priority: 3, estimatedDurationSec: 100 })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 100 }, queue);
    // s1 ends at 900, s2 at 1000 (= the head's start: allowed); s3 finds no free card left.
    expect(bound(r)).toEqual(['s1', 's2']);
    expect(reasons(r, 's3')).toContain('card-fit');
  });

  it('capacity outside the reservation is free for anyone', () => {
    // A second node n2 with 1 free card is not part of the head's reservation.
    const nodes2 = [...nodes, node('n2', 'nvidia-h20', 4)];
    const runs2 = [...runs, running('R2', 'default', 't', 'n2', [0, 1, 2], { startTimeSec: 0, priority: 20 })];
    const r = run({ nodes: occupy(nodes2, runs2), running: runs2, nowSec: 100 }, [head, job('unknown', { priority: 3 }), job('unknown2', { priority: 2 })]);
    expect(bound(r)).toEqual(['unknown']);
    expect(r.decisions.find((d) => d.kind === 'bind')).toMatchObject({ placements: [{ nodeId: 'n2' }] });
    expect(reasons(r, 'unknown2')).toContain('backfill: cards held');
  });

  it('when what blocks the head has no estimate, its start is unknown and no one may use its cards', () => {
    const runsNoEst = [running('R', 'default', 't', 'n1', [0, 1, 2, 3, 4, 5], { startTimeSec: 0, priority: 20 })];
    const r = run({ nodes: occupy(nodes, runsNoEst), running: runsNoEst, nowSec: 100 }, [head, job('short', { priority: 5, estimatedDurationSec: 1 })]);
    expect(bound(r)).toEqual([]);
    expect(reasons(r, 'short')).toBe('backfill: cards held for HEAD, which starts when running jobs without an estimate end; this job would still run at t=101s');
  });

  it('picks the reservation where the head starts earliest', () => {
    // n1 frees at 1000 (R), n2 at 300 (R2). The head (4 cards) reserves n2; a long job may use n1's free card.
    const nodes2 = [node('n1', 'nvidia-h20', 4), node('n2', 'nvidia-h20', 4)];
    const runs2 = [running('R', 'default', 't', 'n1', [0, 1, 2], { estimatedDurationSec: 1000, priority: 20 }), running('R2', 'default', 't', 'n2', [0, 1, 2], { estimatedDurationSec: 300, priority: 20 })];
    const r = run({ nodes: occupy(nodes2, runs2), running: runs2, nowSec: 100 }, [job('HEAD', { cards: 4, priority: 10 }), job('long', { priority: 1, estimatedDurationSec: 1e5 })]);
    expect(r.decisions.find((d) => d.kind === 'bind')).toMatchObject({ jobId: 'long', placements: [{ nodeId: 'n1' }] });
  });

  it('a job that preempted for itself keeps the room it made until the victims are gone', () => {
    // R has a lower priority now: HEAD preempts it, and the 2 free cards stay held for HEAD.
    const low = [{ ...(runs[0] as (typeof runs)[number]), priority: 0 }];
    const r = run({ nodes: occupy(nodes, low), running: low, nowSec: 100 }, [head, job('short', { priority: 5, estimatedDurationSec: 1 })]);
    expect(r.decisions.map((d) => `${d.kind}:${d.jobId}`)).toEqual(['preempt:R']);
    expect(reasons(r, 'short')).toBe('backfill: cards held for HEAD, which preempted room for itself; this job would still run at t=101s');
  });

  it('with backfill off, the long job takes the head job\'s cards', () => {
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 100 }, [head, job('long', { priority: 4, estimatedDurationSec: 5000 })], { maxReservations: 0 });
    expect(bound(r)).toEqual(['long']);
  });

  it('a gang head reserves across nodes of one cluster', () => {
    // Two 4-card nodes, each with 3 cards busy until 500 (A) and 800 (B). An 8-card gang starts at 800.
    // A 1-card job ending at 700 may run; one ending at 900 may not.
    const nodes2 = [node('n1', 'nvidia-h20', 4), node('n2', 'nvidia-h20', 4)];
    const runs2 = [running('A', 'default', 't', 'n1', [0, 1, 2], { estimatedDurationSec: 500, priority: 20 }), running('B', 'default', 't', 'n2', [0, 1, 2], { estimatedDurationSec: 800, priority: 20 })];
    const queue = [job('GANG', { cards: 8, gang: true, priority: 10 }), job('late', { priority: 5, estimatedDurationSec: 800 }), job('ok', { priority: 4, estimatedDurationSec: 600 })];
    const r = run({ nodes: occupy(nodes2, runs2), running: runs2, nowSec: 100 }, queue);
    expect(bound(r)).toEqual(['ok']);
  });
});
