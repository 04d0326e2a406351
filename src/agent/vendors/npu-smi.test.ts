import { describe, expect, it } from 'vitest';
import { readFixture } from '../testing/fixtures.js';
import { parseNpuSmi } from './npu-smi.js';

/**
 * npu-smi layouts beyond the shared captures. The layouts are as npu-smi prints them (Atlas A3
 * with "Chip Phy-ID" and two dies per NPU: vllm-ascend issue #2035, npu-smi 24.1.rc3; the 20.2
 * layout without a Hugepages column: gpustack's npu_smi test data); the figures are made up.
 */
const A3 = `+------------------------------------------------------------------------------------------------+
| npu-smi 24.1.rc3.7               Version: 24.1.rc3.7                                           |
+---------------------------+---------------+----------------------------------------------------+
| NPU   Name                | Health        | Power(W)    Temp(C)           Hugepages-Usage(page)|
| Chip  Phy-ID              | Bus-Id        | AICore(%)   Memory-Usage(MB)  HBM-Usage(MB)        |
+===========================+===============+====================================================+
| 0     Ascend910           | OK            | 170.1       37                0    / 0             |
| 0     0                   | 0000:9D:00.0  | 3           0    / 0          4000 / 65536         |
+------------------------------------------------------------------------------------------------+
| 0     Ascend910           | OK            | -           38                0    / 0             |
| 1     1                   | 0000:9F:00.0  | 0           0    / 0          3000 / 65536         |
+===========================+===============+====================================================+
| 1     Ascend910           | Alarm         | 180.2       39                0    / 0             |
| 0     2                   | 0000:99:00.0  | 0           0    / 0          3500 / 65536         |
+------------------------------------------------------------------------------------------------+
| 1     Ascend910           | OK            | -           40                0    / 0             |
| 1     3                   | 0000:9B:00.0  | 0           0    / 0          3100 / 65536         |
+===========================+===============+====================================================+
`;

const OLD_310 = `+------------------------------------------------------------------------------+
| npu-smi 20.2.0                       Version: 20.2.0                         |
+-------------------+-----------------+----------------------------------------+
| NPU     Name      | Health          | Power(W)          Temp(C)              |
| Chip    Device    | Bus-Id          | AICore(%)         Memory-Usage(MB)     |
+===================+=================+========================================+
| 215     310       | OK              | 12.5              50                   |
| 0       0         | 0000:DA:00.0    | 1                 2000 / 8192          |
+-------------------+-----------------+----------------------------------------+
| 215     310       | OK              | 12.6              51                   |
| 1       1         | 0000:DC:00.0    | 2                 2100 / 8192          |
+===================+=================+========================================+
`;

describe('npu-smi layouts', () => {
  it('Atlas A3: two dies per NPU, "Chip Phy-ID", power shown once per NPU', () => {
    const { devices } = parseNpuSmi(A3);
    expect(devices.map((d) => [d.index, d.cardIndex, d.chipIndex, d.physicalIndex])).toEqual([
      [0, 0, 0, 0],
      [1, 0, 1, 1],
      [2, 1, 0, 2],
      [3, 1, 1, 3],
    ]);
    expect(devices.every((d) => d.chip === 'ascend-910c' && d.model === 'Ascend910' && d.memoryTotalMiB === 65536)).toBe(true);
    expect(devices.map((d) => d.powerW)).toEqual([170.1, null, 180.2, null]);
    expect(devices[0]).toMatchObject({ memoryUsedMiB: 4000, utilizationPct: 3, temperatureC: 37, busId: '0000:9D:00.0' });
    expect(devices[2]).toMatchObject({ health: 'critical', healthRaw: 'Alarm' });
  });

  it('20.2 layout without a Hugepages column', () => {
    const { devices } = parseNpuSmi(OLD_310);
    expect(devices.map((d) => [d.index, d.chipIndex, d.physicalIndex, d.memoryUsedMiB, d.memoryTotalMiB, d.utilizationPct])).toEqual([
      [0, 0, 0, 2000, 8192, 1],
      [1, 1, 1, 2100, 8192, 2],
    ]);
    expect(devices.every((d) => d.chip === 'ascend-310' && d.cardIndex === 215)).toBe(true);
  });

  it('takes logic ids and chip names from `info -m` when the capture has it', () => {
    // The 310 capture's "Device" column says 3..6; `info -m` on such hosts gives logic ids 0..3 and
    // names the chips "MiniD" (plus an Mcu row without a logic id).
    const mapping = [
      'NPU ID                         Chip ID                        Chip Logic ID                  Chip Name',
      '6                              0                              0                              MiniD',
      '6                              1                              1                              MiniD',
      '6                              2                              2                              MiniD',
      '6                              3                              3                              MiniD',
      '6                              4                              -                              Mcu',
    ].join('\n');
    const { devices, warnings } = parseNpuSmi(`${readFixture('npu-smi-310-atlas800-3000.txt')}\n${mapping}\n`);
    expect(devices.map((d) => [d.index, d.physicalIndex, d.model, d.chip])).toEqual([
      [0, 3, '310', 'ascend-310'],
      [1, 4, '310', 'ascend-310'],
      [2, 5, '310', 'ascend-310'],
      [3, 6, '310', 'ascend-310'],
    ]);
    expect(warnings).toEqual([]);
  });
});
