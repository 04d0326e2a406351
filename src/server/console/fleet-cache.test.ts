import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlane, type TestPlane } from '../test-support.js';
import { FleetCache } from './fleet-cache.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await testPlane();
  await plane.store.registerNode({ id: 'n1', cluster: 'c', chip: 'nvidia-h20', devices: [{ index: 0 }, { index: 1 }] }, { id: 'setup', role: 'system' });
});
afterAll(async () => plane.close());

describe('FleetCache', () => {
  it('shares one read between concurrent callers and reuses it while young', async () => {
    let reads = 0;
    const counting = new Proxy(plane.store, {
      get(target, prop, receiver) {
        if (prop === 'listDevices') reads++;
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    let now = 1_000;
    const cache = new FleetCache(counting, () => now, 1000);
    const [a, b] = await Promise.all([cache.read(), cache.read()]);
    expect(reads).toBe(1);
    expect(a).toBe(b);
    expect(a.devices).toHaveLength(2);
    now += 1000; // exactly maxAgeMs old: still young
    await cache.read();
    expect(reads).toBe(1);
    now += 1;
    const c = await cache.read();
    expect(reads).toBe(2);
    expect(c.atMs).toBe(2_001);
    await cache.read(0);
    expect(reads).toBe(2); // same clock reading: age 0 is young enough
  });
});
