import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../plugins/index.js';
import { resolveProfile } from '../schedule.js';
import { queueingProfile, resolveQueueingProfile, tenantFairProfile } from './profiles.js';
import { queueingRegistry, registerQueueing } from './register.js';

describe('queueing profiles and registry', () => {
  it('builds tenant-fair around the fast placement and tenant-fair-fgd around default', () => {
    const fair = resolveProfile(tenantFairProfile(), queueingRegistry());
    expect(fair.queueSort?.name).toBe('drf-order');
    expect(fair.preFilter.map((p) => p.name)).toEqual(['job-shape', 'chip-eligibility', 'never-fits', 'queue-quota', 'backfill', 'shape-memo']);
    expect(fair.postFilter.map((p) => p.name)).toEqual(['queue-preemption', 'backfill', 'shape-memo']);
    expect(fair.maxFeasibleNodes).toBe(64);
    const fgd = queueingProfile('tenant-fair-fgd');
    expect(fgd.prepare).toEqual(['queue-quota', 'drf-order', 'queue-preemption', 'backfill', 'fgd']);
    expect(fgd.reserve).toBe('fgd');
  });

  it('passes options to the plugins as their arguments', () => {
    const spec = tenantFairProfile('fast', { h20eq: { 'nvidia-h100': 3 }, minRuntimeSec: 60, reclaim: 'lower-priority', maxReservations: 2, historyWeight: 0.5, shareBasis: 'h20eq' });
    expect(spec.pluginArgs).toEqual({
      'queue-quota': { h20eq: { 'nvidia-h100': 3 } },
      'queue-preemption': { minRuntimeSec: 60, reclaim: 'lower-priority' },
      backfill: { maxReservations: 2 },
      'drf-order': { historyWeight: 0.5, shareBasis: 'h20eq' },
    });
    expect(() => resolveProfile(spec, queueingRegistry())).not.toThrow();
  });

  it('bad arguments fail with one sentence naming the plugin and field', () => {
    expect(() => resolveProfile(tenantFairProfile('fast', { reclaim: 'some' as 'any' }), queueingRegistry())).toThrow('plugin "queue-preemption": argument "reclaim" must be one of any, lower-priority, never, got "some"');
    expect(() => resolveProfile(tenantFairProfile('fast', { historyWeight: 2 }), queueingRegistry())).toThrow('plugin "drf-order": argument "historyWeight" must be a number in [0, 1], got 2');
    expect(() => queueingProfile('nope')).toThrow('unknown queueing profile "nope"; known: tenant-fair, tenant-fair-fgd');
  });

  it('the registry refuses a second registration, and names outside the queueing set resolve to null', () => {
    expect(() => registerQueueing(queueingRegistry())).toThrow('plugin "backfill" is already registered');
    expect(registerQueueing(builtinRegistry()).has('queue-quota')).toBe(true);
    expect(resolveQueueingProfile('fast')).toBeNull();
    expect(resolveQueueingProfile('tenant-fair')?.name).toBe('tenant-fair');
  });
});
