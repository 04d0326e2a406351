import { describe, expect, it } from 'vitest';
import type { Quota } from './queue-config.js';
import { QuotaTree } from './quota-tree.js';

const quota = (nominal: number, borrowingLimit = Infinity, lendingLimit = Infinity): Map<string, Quota> => new Map([['x', { nominal, borrowingLimit, lendingLimit }]]);
const node = (name: string) => ({ name, tenant: name, weight: 1, priority: 0, pastShare: 0 });

describe('QuotaTree', () => {
  // root (no borrowing) -> pool P (stated 10: children 3 + 3, so 4 of its own shared by them) -> A, B
  //                     -> C (4, lends at most 1)
  function tree() {
    const t = new QuotaTree(['x']);
    const root = t.addNode(node('root'), 0, quota(14, 0));
    const p = t.addNode(node('P'), root, quota(10));
    const a = t.addNode(node('A'), p, quota(3));
    const b = t.addNode(node('B'), p, quota(3));
    const c = t.addNode(node('C'), root, quota(4, Infinity, 1));
    expect(t.finish()).toEqual([]);
    return { t, root, p, a, b, c };
  }

  it('within nominal is always admitted', () => {
    const { t, a } = tree();
    expect(t.check(a, 0, 3)).toBeNull();
  });

  it('a leaf borrows its parent pool, then its siblings, then the cousins within their lending limit', () => {
    const { t, a } = tree();
    // A: 3 own + P's own pool 4 + B's unused 3 = 10 inside P; + C lends at most 1 = 11. Root cannot borrow.
    expect(t.check(a, 0, 11)).toBeNull();
    expect(t.check(a, 0, 12)).toEqual({ at: 1, kind: 'cohort-exhausted' });
    expect(t.headroom(a, 0)).toBe(11);
    t.add(a, 0, 11);
    expect(t.usageOf(1, 0)).toBe(11);
    expect(t.check(a, 0, 0.5)).not.toBeNull();
  });

  it('a sibling within nominal may reclaim what was lent, and then nobody may borrow', () => {
    const { t, a, b } = tree();
    t.add(a, 0, 11);
    // B asks for its own 3: guaranteed, though A holds them (preemption frees them).
    expect(t.check(b, 0, 3)).toBeNull();
    t.add(b, 0, 3);
    // Now P needs 3 + 1 beyond what it has; further borrowing by A fails even for a little.
    expect(t.check(a, 0, 0.1)?.kind).toBe('cohort-exhausted');
    // Giving back makes room again: A releases 4.
    t.add(a, 0, -4);
    expect(t.check(a, 0, 1)).toBeNull();
  });

  it('the borrowing limit of an inner node caps its whole subtree', () => {
    const t = new QuotaTree(['x']);
    const root = t.addNode(node('root'), 0, quota(0, 0));
    const p = t.addNode(node('P'), root, quota(4, 1));
    const a = t.addNode(node('A'), p, quota(4));
    t.addNode(node('Q'), root, quota(10));
    t.finish();
    expect(t.check(a, 0, 5)).toBeNull();
    expect(t.check(a, 0, 6)).toEqual({ at: p, kind: 'borrowing-limit' });
    expect(t.headroom(a, 0)).toBe(5);
  });

  it('an ungoverned resource is never limited', () => {
    const t = new QuotaTree(['x', 'y']);
    const a = t.addNode(node('A'), 0, quota(1, 0));
    t.finish();
    expect(t.check(a, 1, 1e6)).toBeNull();
    expect(t.check(a, 0, 2)?.kind).toBe('borrowing-limit');
  });

  it('children promising more than a stated parent are reported', () => {
    const t = new QuotaTree(['x']);
    const p = t.addNode(node('P'), 0, quota(4));
    t.addNode(node('A'), p, quota(3));
    t.addNode(node('B'), p, quota(3));
    expect(t.finish()).toEqual([{ node: 'P', resource: 'x', children: 6, nominal: 4 }]);
  });
});
