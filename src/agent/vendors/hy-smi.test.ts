import { describe, expect, it } from 'vitest';
import { parseHySmi } from './hy-smi.js';

/** rocm-smi/hy-smi JSON variants (key spellings as rocm-smi 6.x and DTK print them; figures made up). */
describe('hy-smi / rocm-smi JSON', () => {
  it('reads byte-sized VRAM keys in either case and the system driver version', () => {
    const json = JSON.stringify({
      card0: {
        'Card Series': 'K100_AI',
        'VRAM Total Memory (B)': '68702699520',
        'VRAM Total Used Memory (B)': '1073741824',
        'HCU use (%)': '12',
        'Current Socket Graphics Package Power (W)': '150.0',
        'Max Graphics Package Power (W)': '400.0',
        'Temperature (Sensor junction) (C)': '50.0',
        'PCI Bus': '0000:9F:00.0',
      },
      system: { 'Driver version': '6.3.14' },
    });
    const { devices } = parseHySmi(json);
    // 68702699520 B = 65520 MiB; 1073741824 B = 1024 MiB.
    expect(devices[0]).toMatchObject({
      index: 0,
      chip: 'hygon-k100-ai',
      memoryTotalMiB: 65520,
      memoryUsedMiB: 1024,
      utilizationPct: 12,
      powerW: 150,
      powerCapW: 400,
      temperatureC: 50,
      busId: '0000:9F:00.0',
    });
    expect(devices[0]?.versions.driver).toBe('6.3.14');
  });

  it('takes the chip from the GFX version when the series is masked, keeping the printed model', () => {
    const { devices, warnings } = parseHySmi(JSON.stringify({ card0: { 'Card Series': 'DCU xxxx', 'GFX Version': 'gfx928' } }));
    expect(devices[0]).toMatchObject({ model: 'DCU xxxx', chip: 'hygon-k100-ai' });
    expect(warnings.some((w) => /taken from GFX version gfx928/.test(w))).toBe(true);
  });

  it('merges the default table and the JSON of one host by card index', () => {
    const table = ['DCU     Temp     AvgPwr     Perf     PwrCap     VRAM%      DCU%      Mode', '0       49.0C    118.0W     auto     800.0W     0%         0%        Normal', '======'].join('\n');
    const json = JSON.stringify({ card0: { 'Card Series': 'K100_AI', 'vram Total Memory (MiB)': '65520', 'vram Total Used Memory (MiB)': '2' } });
    const { devices } = parseHySmi(`${table}\n${json}`);
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ temperatureC: 49, powerW: 118, powerCapW: 800, model: 'K100_AI', chip: 'hygon-k100-ai', memoryTotalMiB: 65520, memoryUsedMiB: 2 });
  });
});
