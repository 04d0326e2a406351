import { describe, expect, it } from 'vitest';
import { ValidationError } from '../lib/errors.js';
import { imageForStack, parseJobSpec } from './job-spec.js';
import { parseServiceSpec } from './service-spec.js';

describe('job spec', () => {
  it('fills defaults for the minimal submission', () => {
    const spec = parseJobSpec({ name: 'x', kind: 'batch', command: ['sleep', '1'], resources: { count: 1 } });
    expect(spec.resources).toEqual({ count: 1, milliPerCard: 1000, gang: false, chips: { kind: 'any' }, cpuMilli: null, memoryMiB: null });
    expect(spec.tenant).toBe('default');
    expect(spec.queue).toBe('default');
    expect(spec.retry.maxAttempts).toBe(3);
  });
  it('defaults gang to true for multi-card jobs', () => {
    expect(parseJobSpec({ name: 'x', kind: 'training', command: ['t'], resources: { count: 8 } }).resources.gang).toBe(true);
  });
  it('names every failing field path', () => {
    try {
      parseJobSpec({ name: '', kind: 'nope', command: [], resources: { count: 0 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const paths = (e as ValidationError).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['/name', '/kind', '/command', '/resources/count']));
    }
  });
  it('refuses unknown fields and fractional multi-card jobs', () => {
    expect(() => parseJobSpec({ name: 'x', kind: 'batch', command: ['a'], resources: { count: 1 }, colour: 'red' })).toThrow(ValidationError);
    expect(() => parseJobSpec({ name: 'x', kind: 'batch', command: ['a'], resources: { count: 2, milliPerCard: 500 } })).toThrow('/resources/milliPerCard');
  });
  it('accepts each chip request form and picks images per stack', () => {
    for (const chips of [{ kind: 'pinned', chip: 'ascend-910b' }, { kind: 'any-of', chips: ['nvidia-h20', 'thead-ppu'] }, { kind: 'any-stack', stacks: ['cann'] }, { kind: 'any' }]) {
      expect(parseJobSpec({ name: 'x', kind: 'finetune', command: ['a'], resources: { count: 1, chips } }).resources.chips).toEqual(chips);
    }
    const spec = parseJobSpec({ name: 'x', kind: 'batch', command: ['a'], resources: { count: 1 }, image: 'base:1', images: { cann: 'ascend:1' } });
    expect(imageForStack(spec, 'cann')).toBe('ascend:1');
    expect(imageForStack(spec, 'cuda')).toBe('base:1');
  });
});

describe('service spec', () => {
  it('parses with defaults and rejects bad replicas', () => {
    const s = parseServiceSpec({ name: 'chat', model: { name: 'qwen2.5-7b' }, replicas: 2, slo: { ttftMsP99: 500 } });
    expect(s.cardsPerReplica).toBe(1);
    expect(s.command).toEqual(['serve', 'qwen2.5-7b']);
    expect(() => parseServiceSpec({ name: 'chat', model: { name: 'm' }, replicas: -1 })).toThrow('/replicas');
  });
});
