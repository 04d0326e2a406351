import { describe, expect, it } from 'vitest';
import { node } from '../test-util/fixtures.js';
import { ClusterState } from './cluster-state.js';
import { Transaction } from './transaction.js';

describe('transaction', () => {
  it('rolls back every reservation and all derived counters', () => {
    const state = new ClusterState([node('a', 'x', 4, { cpuMilliFree: 1000 }), node('b', 'x', 4)]);
    const before = { free: state.freeMilli.slice(), whole: state.freeWhole.slice(), chip: state.chipFreeWhole.slice(), cpu: state.cpuFree.slice() };
    const txn = new Transaction(state);
    txn.reserve(0, [0, 1], 1000, 500, 0, 2);
    txn.reserve(1, [3], 250, 0, 0, 0);
    expect(state.freeWhole[0]).toBe(2);
    expect(state.freeMilliSum[1]).toBe(3750);
    expect(state.chipFreeWhole[0]).toBe(5);
    expect(state.tagCounts[0]?.get(2)).toBe(1);
    txn.rollback();
    expect(state.freeMilli).toEqual(before.free);
    expect(state.freeWhole).toEqual(before.whole);
    expect(state.chipFreeWhole).toEqual(before.chip);
    expect(state.cpuFree).toEqual(before.cpu);
    expect(state.tagCounts[0]?.size).toBe(0);
  });
  it('keeps reservations on commit and reports them as placements', () => {
    const state = new ClusterState([node('a', 'x', 4)]);
    const txn = new Transaction(state);
    txn.reserve(0, [2], 300, 0, 0, 0);
    expect(txn.placements()).toEqual([{ nodeId: 'a', devices: [2], milliPerDevice: 300 }]);
    txn.commit();
    expect(state.free(0, 2)).toBe(700);
    expect(state.freeWhole[0]).toBe(3);
  });
});
