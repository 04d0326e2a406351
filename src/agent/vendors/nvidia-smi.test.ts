import { describe, expect, it } from 'vitest';
import { parseNvidiaSmi } from './nvidia-smi.js';

/**
 * nvidia-smi table layouts beyond the shared captures: the 470-era layout (narrower columns, a
 * cut model name) and the MIG devices table. Layouts as nvidia-smi prints them; figures made up.
 */
const OLD_LAYOUT = `+-----------------------------------------------------------------------------+
| NVIDIA-SMI 470.82.01    Driver Version: 470.82.01    CUDA Version: 11.4     |
|-------------------------------+----------------------+----------------------+
| GPU  Name        Persistence-M| Bus-Id        Disp.A | Volatile Uncorr. ECC |
| Fan  Temp  Perf  Pwr:Usage/Cap|         Memory-Usage | GPU-Util  Compute M. |
|                               |                      |               MIG M. |
|===============================+======================+======================|
|   0  Tesla V100-SXM2...  On   | 00000000:00:1E.0 Off |                    0 |
| N/A   34C    P0    37W / 300W |      0MiB / 32510MiB |      0%      Default |
|                               |                      |                  N/A |
+-------------------------------+----------------------+----------------------+
|   1  Tesla V100-SXM2...  On   | 00000000:00:1F.0 Off |                    2 |
| N/A   36C    P0    39W / 300W |    812MiB / 32510MiB |     57%      Default |
|                               |                      |                  N/A |
+-------------------------------+----------------------+----------------------+
`;

const MIG = `+-----------------------------------------------------------------------------+
| NVIDIA-SMI 525.60.13    Driver Version: 525.60.13    CUDA Version: 12.0     |
|-------------------------------+----------------------+----------------------+
| GPU  Name        Persistence-M| Bus-Id        Disp.A | Volatile Uncorr. ECC |
| Fan  Temp  Perf  Pwr:Usage/Cap|         Memory-Usage | GPU-Util  Compute M. |
|                               |                      |               MIG M. |
|===============================+======================+======================|
|   0  NVIDIA A100-SXM...  On   | 00000000:07:00.0 Off |                    0 |
| N/A   30C    P0    52W / 400W |     45MiB / 81920MiB |     N/A      Default |
|                               |                      |              Enabled |
+-------------------------------+----------------------+----------------------+

+-----------------------------------------------------------------------------+
| MIG devices:                                                                |
+------------------+----------------------+-----------+-----------------------+
| GPU  GI  CI  MIG |         Memory-Usage |        Vol|         Shared        |
|      ID  ID  Dev |           BAR1-Usage | SM     Unc| CE  ENC  DEC  OFA  JPG|
|                  |                      |        ECC|                       |
|==================+======================+===========+=======================|
|  0    1   0   0  |     25MiB / 40192MiB | 42      0 |  3   0    2    0    0 |
|                  |      0MiB / 65535MiB |           |                       |
+------------------+----------------------+-----------+-----------------------+
|  0    5   0   1  |     10MiB / 19968MiB | 28      0 |  2   0    1    0    0 |
|                  |      0MiB / 32767MiB |           |                       |
+------------------+----------------------+-----------+-----------------------+

+-----------------------------------------------------------------------------+
| Processes:                                                                  |
|  GPU   GI   CI        PID   Type   Process name                  GPU Memory |
|        ID   ID                                                   Usage      |
|=============================================================================|
|    0    1    0      12345      C   python                             22MiB |
+-----------------------------------------------------------------------------+
`;

describe('nvidia-smi table layouts', () => {
  it('470-era layout: cut names, an ECC count that makes the device a warning', () => {
    const { devices, warnings } = parseNvidiaSmi(OLD_LAYOUT);
    expect(warnings).toEqual([]);
    expect(devices).toHaveLength(2);
    // "Tesla V100-SXM2..." does not say 16 or 32 GB; 32510 MiB does.
    expect(devices[0]).toMatchObject({ index: 0, model: 'Tesla V100-SXM2...', chip: 'nvidia-v100-32g', temperatureC: 34, powerW: 37, powerCapW: 300, memoryTotalMiB: 32510, health: 'ok' });
    expect(devices[1]).toMatchObject({ index: 1, utilizationPct: 57, memoryUsedMiB: 812, health: 'warning', healthBasis: 'derived' });
    expect(devices[1]?.errors.eccUncorrectedVolatile).toBe(2);
    expect(devices[0]?.versions).toEqual({ tool: '470.82.01', driver: '470.82.01', sdkName: 'CUDA', sdk: '11.4' });
  });

  it('MIG devices table: instances nested under their GPU; the process table is not a device', () => {
    const { devices } = parseNvidiaSmi(MIG);
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ chip: 'nvidia-a100', utilizationPct: null, memoryTotalMiB: 81920 });
    expect(devices[0]?.partitions).toEqual([
      { index: 0, uuid: null, profile: null, gpuInstanceId: 1, computeInstanceId: 0, memoryTotalMiB: 40192, memoryUsedMiB: 25 },
      { index: 1, uuid: null, profile: null, gpuInstanceId: 5, computeInstanceId: 0, memoryTotalMiB: 19968, memoryUsedMiB: 10 },
    ]);
    expect(devices[0]?.processes).toEqual([{ pid: 12345, name: 'python', memoryUsedMiB: 22 }]);
  });
});

describe('nvidia-smi -L', () => {
  it('lists GPUs with UUIDs and MIG instances; a table in the same capture takes the UUIDs', () => {
    const list = [
      'GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-11111111-2222-3333-4444-555555555555)',
      '  MIG 3g.40gb     Device  0: (UUID: MIG-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee)',
      '  MIG 2g.20gb     Device  1: (UUID: MIG-ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee)',
      'GPU 1: NVIDIA A100-SXM4-80GB (UUID: GPU-66666666-2222-3333-4444-555555555555)',
    ].join('\n');
    const alone = parseNvidiaSmi(list).devices;
    expect(alone.map((d) => [d.index, d.chip, d.uuid])).toEqual([
      [0, 'nvidia-a100', 'GPU-11111111-2222-3333-4444-555555555555'],
      [1, 'nvidia-a100', 'GPU-66666666-2222-3333-4444-555555555555'],
    ]);
    expect(alone[0]?.partitions.map((p) => [p.index, p.profile])).toEqual([
      [0, '3g.40gb'],
      [1, '2g.20gb'],
    ]);
    const combined = parseNvidiaSmi(`${MIG}\n${list}\n`).devices;
    expect(combined).toHaveLength(1);
    expect(combined[0]?.uuid).toBe('GPU-11111111-2222-3333-4444-555555555555');
    // The MIG table's instances gain the UUIDs the list gives them.
    expect(combined[0]?.partitions.map((p) => [p.gpuInstanceId, p.uuid])).toEqual([
      [1, 'MIG-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'],
      [5, 'MIG-ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee'],
    ]);
  });
});
