import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import { parseSimulatedSpec, simulatedDevices } from './simulated.js';

const catalog = builtinCatalog();

describe('simulated devices', () => {
  it('builds labelled devices from the catalog, indices counted per vendor stack', () => {
    const devices = simulatedDevices(parseSimulatedSpec('simulated:ascend-910bx2,nvidia-h20x1,910bx1', catalog));
    expect(devices.map((d) => [d.chip, d.index])).toEqual([
      ['ascend-910b', 0],
      ['ascend-910b', 1],
      ['nvidia-h20', 0],
      ['ascend-910b', 2],
    ]);
    for (const d of devices) {
      expect(d.simulated).toBe(true);
      expect(d.source).toBe('simulated');
      expect(d.model).toMatch(/^simulated /);
      expect(d.uuid).toMatch(/^SIM-/);
    }
    // 64 GiB = 65536 MiB for the 910B; 96 GiB = 98304 MiB for the H20.
    expect(devices[0]).toMatchObject({ model: 'simulated Huawei Ascend 910B', memoryTotalMiB: 65536, memoryUsedMiB: 0, health: 'ok' });
    expect(devices[2]).toMatchObject({ memoryTotalMiB: 98304 });
  });

  it('keeps unknown catalog figures null', () => {
    // The catalog does not know the MetaX N260's memory.
    const [n260] = simulatedDevices(parseSimulatedSpec('simulated:metax-n260', catalog));
    expect(n260).toMatchObject({ chip: 'metax-n260', memoryTotalMiB: null });
  });

  it.each([
    ['ascend-910bx8', /must look like simulated:/],
    ['simulated:', /names no chip/],
    ['simulated:foo-x2', /unknown chip "foo-"/],
    ['simulated:nvidia-h20x0', /at least 1/],
    ['simulated:nvidia-h20x5000', /at most 1024/],
  ])('rejects %s', (spec, message) => {
    expect(() => parseSimulatedSpec(spec, catalog)).toThrow(message);
  });
});
