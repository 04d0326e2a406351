import { describe, expect, it } from 'vitest';
import { job, node } from '../test-util/fixtures.js';
import { bound, chipOf, occupy, q, reasons, run, running } from './test-helpers.js';

const B = 'ascend-910b';
const pinned = (chip: string) => ({ kind: 'pinned', chip }) as const;

describe('queue-quota: nominal quota per chip type', () => {
  // team-a: 4 x 910b, no borrowing; the H20s are not governed by any queue, so they are unlimited.
  const nodes = [node('b1', B, 8), node('b2', B, 8), node('h1', 'nvidia-h20', 8)];
  const queues = [q('team-a', { tenant: 'a', quota: { [B]: { nominal: 4, borrowingLimit: 0 } } })];
  const a = (id: string, extra: Parameters<typeof job>[1]) => job(id, { tenant: 'a', queue: 'team-a', ...extra });

  it('binds within quota, holds the job that would pass it, and says why', () => {
    const r = run({ nodes, queues }, [a('a1', { cards: 4, chips: pinned(B), priority: 2 }), a('a2', { cards: 2, chips: pinned(B), priority: 1 })]);
    expect(bound(r)).toEqual(['a1']);
    expect(reasons(r, 'a2')).toBe('queue-quota: queue team-a: quota for ascend-910b exhausted (4/4 cards, borrowing not allowed; job needs 2)');
  });

  it('an ungoverned chip is not limited, and a job accepting both chips is placed where quota allows', () => {
    const r = run({ nodes, queues }, [a('a1', { cards: 4, chips: pinned(B), priority: 3 }), a('a2', { cards: 6, chips: pinned('nvidia-h20'), priority: 2 }), a('a3', { cards: 2, chips: { kind: 'any-of', chips: [B, 'nvidia-h20'] }, priority: 1 })]);
    expect(bound(r)).toEqual(['a1', 'a2', 'a3']);
    expect(chipOf(r, 'a3')).toBe('nvidia-h20');
  });

  it('counts running work against the quota', () => {
    const runs = [running('r1', 'team-a', 'a', 'b1', [0, 1, 2], { chip: B })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, queues }, [a('a1', { cards: 2, chips: pinned(B) })]);
    expect(bound(r)).toEqual([]);
    expect(reasons(r, 'a1')).toContain('(3/4 cards, borrowing not allowed; job needs 2)');
  });

  it('fractional shares count by their share', () => {
    // Four half cards = 2 cards of quota; with 3.5 in use, a fifth half card still fits, a sixth does not.
    const runs = [running('r1', 'team-a', 'a', 'b1', [0, 1, 2], { chip: B })];
    const half = (id: string, p: number) => a(id, { cards: 1, milliPerCard: 500, chips: pinned(B), priority: p });
    const r = run({ nodes: occupy(nodes, runs), running: runs, queues }, [half('h1', 3), half('h2', 2), half('h3', 1)]);
    expect(bound(r)).toEqual(['h1', 'h2']);
    expect(reasons(r, 'h3')).toContain('(4/4 cards');
  });
});

describe('queue-quota: H20-equivalent quota', () => {
  // 12 H20-eq with an H100 worth 3 H20s: 4 H100 cards use it all (4 x 3 = 12).
  const nodes = [node('g1', 'nvidia-h100', 8), node('h1', 'nvidia-h20', 8)];
  const queues = [q('team-a', { tenant: 'a', quota: { h20eq: 12 } })];
  const a = (id: string, extra: Parameters<typeof job>[1]) => job(id, { tenant: 'a', queue: 'team-a', ...extra });

  it('weights cards by the h20eq table', () => {
    const r = run({ nodes, queues }, [a('a1', { cards: 4, chips: pinned('nvidia-h100'), priority: 1 }), a('a2', { cards: 1, chips: pinned('nvidia-h20') })], { h20eq: { 'nvidia-h100': 3, 'nvidia-h20': 1 } });
    expect(bound(r)).toEqual(['a1']);
    expect(reasons(r, 'a2')).toBe('queue-quota: queue team-a: quota for h20eq exhausted (12/12 H20-eq cards, borrowing not allowed; job needs 1)');
  });

  it('counts 1 per card without a table, and says so', () => {
    const r = run({ nodes, queues }, [a('a1', { cards: 8, chips: pinned('nvidia-h100'), priority: 1 }), a('a2', { cards: 6, chips: pinned('nvidia-h20') })]);
    expect(bound(r)).toEqual(['a1']);
    expect(reasons(r, 'a2')).toContain('(8/12 H20-eq cards (1 per card: no h20eq table given), borrowing not allowed; job needs 6)');
  });

  it('an any-of job goes to the chip whose H20-eq cost still fits', () => {
    // 3 H100 = 9 H20-eq in use; 2 more H100 would be 15 > 12, 2 H20 are 11: placed on H20.
    const runs = [running('r1', 'team-a', 'a', 'g1', [0, 1, 2], { chip: 'nvidia-h100' })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, queues }, [a('a1', { cards: 2, chips: { kind: 'any-of', chips: ['nvidia-h100', 'nvidia-h20'] } })], { h20eq: { 'nvidia-h100': 3 } });
    expect(chipOf(r, 'a1')).toBe('nvidia-h20');
  });
});

describe('queue-quota: borrowing and lending in a cohort', () => {
  const nodes = [node('b1', B, 8), node('b2', B, 8)];
  const a = (id: string, cards: number, p = 0) => job(id, { tenant: 'a', queue: 'team-a', cards, chips: pinned(B), priority: p });

  it('borrows unused quota of a sibling up to the borrowing limit, and refuses beyond', () => {
    // team-a: 4 nominal + up to 4 borrowed from team-b's unused 8 => 8 at most.
    const queues = [q('org'), q('team-a', { parent: 'org', tenant: 'a', quota: { [B]: { nominal: 4, borrowingLimit: 4 } } }), q('team-b', { parent: 'org', tenant: 'b', quota: { [B]: 8 } })];
    const r = run({ nodes, queues }, [a('a1', 4, 3), a('a2', 4, 2), a('a3', 2, 1)]);
    expect(bound(r)).toEqual(['a1', 'a2']);
    expect(reasons(r, 'a3')).toBe('queue-quota: queue team-a: quota for ascend-910b exhausted (4/4 cards, borrowing limit 4 reached; job needs 2)');
  });

  it('a lender lends at most its lending limit', () => {
    // team-b lends at most 2 of its 8: team-a (no borrowing limit) reaches 4 + 2 = 6 and no more.
    const queues = [q('org'), q('team-a', { parent: 'org', tenant: 'a', quota: { [B]: 4 } }), q('team-b', { parent: 'org', tenant: 'b', quota: { [B]: { nominal: 8, lendingLimit: 2 } } })];
    const r = run({ nodes, queues }, [a('a1', 4, 3), a('a2', 2, 2), a('a3', 1, 1)]);
    expect(bound(r)).toEqual(['a1', 'a2']);
    expect(reasons(r, 'a3')).toBe('queue-quota: queue team-a: quota for ascend-910b exhausted (4/4 cards; cohort org has no unused quota left to lend: 0 more available, job needs 1)');
  });

  it('nothing is borrowed from a sibling that uses its quota', () => {
    const queues = [q('org'), q('team-a', { parent: 'org', tenant: 'a', quota: { [B]: 4 } }), q('team-b', { parent: 'org', tenant: 'b', quota: { [B]: 8 } })];
    const runs = [running('rb', 'team-b', 'b', 'b2', [0, 1, 2, 3, 4, 5, 6, 7], { chip: B })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, queues }, [a('a1', 4, 1), a('a2', 1)]);
    expect(bound(r)).toEqual(['a1']);
    expect(reasons(r, 'a2')).toContain('cohort org has no unused quota left to lend: 0 more available');
  });

  it('nested queues: a tenant queue with its own borrowing limit keeps its teams inside its quota', () => {
    // tenant-x (8, may not borrow) = x-train 4 + x-infer 4; tenant-y 8 unused. x-train borrows x-infer's
    // unused 4 (inside tenant-x) but not tenant-y's.
    const queues = [
      q('org'),
      q('tenant-x', { parent: 'org', tenant: 'x', quota: { [B]: { nominal: 8, borrowingLimit: 0 } } }),
      q('x-train', { parent: 'tenant-x', quota: { [B]: 4 } }),
      q('x-infer', { parent: 'tenant-x', quota: { [B]: 4 } }),
      q('tenant-y', { parent: 'org', tenant: 'y', quota: { [B]: 8 } }),
    ];
    const x = (id: string, cards: number, p: number) => job(id, { tenant: 'x', queue: 'x-train', cards, chips: pinned(B), priority: p });
    const r = run({ nodes, queues }, [x('x1', 4, 3), x('x2', 4, 2), x('x3', 1, 1)]);
    expect(bound(r)).toEqual(['x1', 'x2']);
    expect(reasons(r, 'x3')).toBe('queue-quota: queue x-train: quota for ascend-910b exhausted (4/4 cards; queue tenant-x would pass its borrowing limit of 0: 0 more available, job needs 1)');
  });

  it('a job quota allows but no node can place does not hold quota or block its queue', () => {
    // Each node has 4 of 8 cards busy (another tenant, no estimate). team-a's 8-card job cannot be
    // placed; its 2-card job still runs. Quota is counted at placement, so the big job reserves nothing.
    const queues = [q('team-a', { tenant: 'a', quota: { [B]: 8 } }), q('team-z', { tenant: 'z' })];
    const runs = [running('z1', 'team-z', 'z', 'b1', [0, 1, 2, 3], { chip: B }), running('z2', 'team-z', 'z', 'b2', [0, 1, 2, 3], { chip: B })];
    const other = job('other', { tenant: 'z', queue: 'team-z', cards: 2, chips: pinned(B) });
    const r = run({ nodes: occupy(nodes, runs), running: runs, queues }, [a('big', 8, 5), a('small', 2, 1), other]);
    expect(bound(r).sort()).toEqual(['other', 'small']);
    expect(reasons(r, 'big')).toContain('card-fit: not enough free cards');
  });
});

describe('queue-quota: queues a job may use', () => {
  const nodes = [node('b1', B, 8)];
  const queues = [q('org', { tenant: 'a' }), q('team-a', { parent: 'org' })];

  it('an unknown queue, an inner queue and another tenant\'s queue are explained', () => {
    const r = run({ nodes, queues }, [job('j1', { tenant: 'a', queue: 'nope' }), job('j2', { tenant: 'a', queue: 'org' }), job('j3', { tenant: 'b', queue: 'team-a' })]);
    expect(bound(r)).toEqual([]);
    expect(reasons(r, 'j1')).toBe('queue-quota: queue nope is not configured');
    expect(reasons(r, 'j2')).toBe('queue-quota: queue org has child queues; submit to one of them (team-a)');
    expect(reasons(r, 'j3')).toBe('queue-quota: queue team-a belongs to tenant a, not b');
  });

  it('bad configuration is refused with every problem and its path', () => {
    const bad = [q('x', { parent: 'y' }), q('x'), q('z', { quota: { [B]: { nominal: 2, lendingLimit: 3 } } }), q('w', { weight: -1 })];
    expect(() => run({ nodes, queues: bad }, [job('j')])).toThrow(/invalid queue configuration/);
    try {
      run({ nodes, queues: bad }, [job('j')]);
    } catch (e) {
      const text = String((e as { issues?: unknown[] }).issues?.map((i) => JSON.stringify(i)).join('\n'));
      expect(text).toContain('is defined twice');
      expect(text).toContain('names parent \\"y\\", which is not defined');
      expect(text).toContain('lendingLimit 3 exceeds nominal 2');
      expect(text).toContain('/queues/3/weight');
    }
  });

  it('children promising more than their parent is refused', () => {
    const over = [q('p', { quota: { [B]: 4 } }), q('c1', { parent: 'p', quota: { [B]: 3 } }), q('c2', { parent: 'p', quota: { [B]: 3 } })];
    expect(() => run({ nodes, queues: over }, [job('j', { queue: 'c1', tenant: 'p' })])).toThrow(/children's nominal quotas add up to 6, more than its own 4/);
  });

  it('a bad h20eq table is one sentence', () => {
    expect(() => run({ nodes, queues }, [job('j')], { h20eq: { 'nvidia-h100': -2 } })).toThrow('plugin "queue-quota": h20eq.nvidia-h100 must be a number in (0, 1000], got -2');
  });
});
