import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { builtinRegistry } from '../plugins/index.js';
import { builtinProfiles } from '../profiles.js';
import { loadProfile } from './profile.js';
import { Registry } from './registry.js';

describe('registry', () => {
  it('refuses a duplicate plugin name', () => {
    const r = builtinRegistry();
    expect(() => r.register('best-fit', () => ({ name: 'best-fit' }))).toThrow(/already registered/);
  });
  it('refuses a non-kebab-case name', () => {
    expect(() => new Registry().register('BestFit', () => ({ name: 'BestFit' }))).toThrow(/kebab-case/);
  });
  it('names the known plugins when asked for an unknown one', () => {
    expect(() => builtinRegistry().create('nope')).toThrow(/unknown plugin "nope".*best-fit/);
  });
  it('validates plugin arguments in the factory', () => {
    expect(() => builtinRegistry().create('fgd', { resolution: 'fine' })).toThrow(/argument "resolution" must be one of int, exact/);
    expect(() => builtinRegistry().create('best-fit', { maxCpuMilli: -1 })).toThrow(/maxCpuMilli/);
    expect(() => builtinRegistry().create('best-fit', { typo: 1 })).toThrow(/has no argument "typo"/);
  });
});

describe('profiles', () => {
  it('builds every built-in profile', () => {
    for (const spec of Object.values(builtinProfiles)) expect(loadProfile(structuredClone(spec), builtinRegistry()).name).toBe(spec.name);
  });
  it('reports an unknown plugin with its path', () => {
    try {
      loadProfile({ name: 'p', reserve: 'best-device', filter: ['card-fit', 'gpu-magic'] }, builtinRegistry());
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues[0]).toMatchObject({ path: '/filter/1', message: expect.stringContaining('unknown plugin "gpu-magic"') });
    }
  });
  it('refuses bad weights with the field path', () => {
    for (const weight of [0, -1, 'heavy']) {
      try {
        loadProfile({ name: 'p', reserve: 'best-device', score: [{ name: 'best-fit', weight }] }, builtinRegistry());
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).issues.some((i) => i.path.startsWith('/score/0'))).toBe(true);
      }
    }
  });
  it('refuses a plugin at an extension point it does not implement', () => {
    expect(() => loadProfile({ name: 'p', reserve: 'best-device', score: ['card-fit'] }, builtinRegistry())).toThrow(/does not implement the score extension point/);
  });
  it('refuses a plugin listed twice and unknown fields', () => {
    expect(() => loadProfile({ name: 'p', reserve: 'best-device', filter: ['card-fit', 'card-fit'] }, builtinRegistry())).toThrow(/listed twice/);
    expect(() => loadProfile({ name: 'p', reserve: 'best-device', scores: [] }, builtinRegistry())).toThrow(ValidationError);
  });
  it('shares one plugin instance across extension points', () => {
    const p = loadProfile(structuredClone(builtinProfiles.fgd!), builtinRegistry());
    expect(p.reserve).toBe(p.score[0]?.plugin);
  });
});
