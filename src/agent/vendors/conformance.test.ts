import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../device-record.js';
import { readFixture, smiFixtures, toolOfFixture } from '../testing/fixtures.js';
import { findAdapter } from './registry.js';

/**
 * Conformance suite: every capture in ../shared/fixtures/smi is a case, with the figures read off
 * the capture by hand. `all` holds for every device; `devices` pins single devices by position.
 */
interface Case {
  count: number;
  all?: Partial<DeviceRecord>;
  devices?: Record<number, Omit<Partial<DeviceRecord>, 'versions'> & { versions?: Partial<DeviceRecord['versions']> }>;
  /** Every listed pattern must match some warning. */
  warnings?: RegExp[];
  /** No warning at all. */
  clean?: boolean;
  check?: (devices: DeviceRecord[]) => void;
}

const CASES: Record<string, Case> = {
  'nvidia-smi.txt': {
    count: 1,
    clean: true,
    devices: {
      // "|   0  NVIDIA H200   On  |   00000000:83:00.0 Off |   0 |" / "| N/A 28C P0 77W / 700W | 0MiB / 143771MiB | 0% Default |"
      0: {
        index: 0,
        model: 'NVIDIA H200',
        chip: 'nvidia-h200',
        busId: '00000000:83:00.0',
        temperatureC: 28,
        powerW: 77,
        powerCapW: 700,
        memoryUsedMiB: 0,
        memoryTotalMiB: 143771,
        utilizationPct: 0,
        health: 'ok',
        healthBasis: 'derived',
        versions: { tool: '590.48.01', driver: '590.48.01', sdkName: 'CUDA', sdk: '13.1' },
      },
    },
    check: (d) => expect(d[0]?.errors.eccUncorrectedVolatile).toBe(0),
  },
  'nvidia-smi-query-gpu-csv.txt': {
    count: 1,
    clean: true,
    devices: {
      0: {
        index: 0,
        model: 'NVIDIA H200',
        chip: 'nvidia-h200',
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        serial: '0000000000000',
        busId: '00000000:83:00.0',
        memoryTotalMiB: 143771,
        memoryUsedMiB: 0,
        utilizationPct: 0,
        temperatureC: 28,
        // power.draw [W] = 77.71 W; enforced.power.limit [W] = 700.00 W
        powerW: 77.71,
        powerCapW: 700,
        health: 'ok',
        versions: { driver: '590.48.01' },
      },
    },
    check: (d) => expect(d[0]?.errors).toMatchObject({ eccUncorrectedVolatile: 0, eccCorrectedVolatile: 0, eccMode: 'Enabled' }),
  },
  'nvidia-smi-q-x.txt': {
    // The telegraf fixture keeps one <gpu> of the four the header announces.
    count: 1,
    warnings: [/says 4 attached GPUs but lists 1/],
    devices: {
      0: {
        index: 0,
        model: 'NVIDIA A100-SXM4-80GB',
        chip: 'nvidia-a100',
        uuid: 'GPU-513536b6-7d19-9063-b049-1e69664bb298',
        serial: '1650522003820',
        busId: '00000000:01:00.0',
        memoryTotalMiB: 81920,
        memoryUsedMiB: 50,
        // <gpu_util>N/A</gpu_util> under MIG: not shown, so null.
        utilizationPct: null,
        temperatureC: 27,
        powerW: 67.03,
        powerCapW: 500,
        health: 'ok',
        versions: { driver: '535.54.03', sdk: '12.2' },
      },
    },
    check: (d) => {
      const gpu = d[0];
      expect(gpu?.partitions).toHaveLength(4);
      expect(gpu?.partitions.map((p) => p.gpuInstanceId)).toEqual([3, 4, 5, 6]);
      expect(gpu?.partitions[0]).toMatchObject({ index: 0, computeInstanceId: 0, memoryTotalMiB: 19968, memoryUsedMiB: 12 });
      expect(gpu?.errors).toMatchObject({ eccUncorrectedVolatile: 0, eccCorrectedVolatile: 0, eccUncorrectedAggregate: 0, eccMode: 'Enabled' });
    },
  },
  'ppu-smi.txt': {
    count: 1,
    clean: true,
    devices: {
      0: {
        index: 0,
        model: 'PPU-ZW810E',
        chip: 'thead-ppu',
        busId: '00000000:00:11.0',
        temperatureC: 26,
        powerW: 57,
        powerCapW: 400,
        memoryUsedMiB: 2,
        memoryTotalMiB: 98304,
        utilizationPct: 0,
        health: 'ok',
        // "HGGC Version: N/A" stays null.
        versions: { tool: '1.17', driver: '2.1.1-rbd225', sdkName: 'HGGC', sdk: null },
      },
    },
  },
  'ppu-smi-2card-processes-doc.txt': {
    count: 2,
    clean: true,
    all: { model: 'PPU-ZW810E', chip: 'thead-ppu', memoryTotalMiB: 98304, powerCapW: 400 },
    devices: {
      0: { index: 0, busId: '00000000:08:00.0', temperatureC: 24, powerW: 74, memoryUsedMiB: 49, utilizationPct: 4, versions: { tool: '1.28', driver: '2.1.0-dbda51', sdk: '13.0' } },
      1: { index: 1, busId: '00000000:7E:00.0', temperatureC: 23, powerW: 77, memoryUsedMiB: 9, utilizationPct: 0, processes: [] },
    },
    // Process rows "| 0  N/A  N/A  525179  C  hggc_test1  48MiB |" belong to PPU 0.
    check: (d) =>
      expect(d[0]?.processes).toEqual([
        { pid: 525179, name: 'hggc_test1', memoryUsedMiB: 48 },
        { pid: 525179, name: 'hggc_test2', memoryUsedMiB: 48 },
      ]),
  },
  'ppu-smi-icn-topo-doc.txt': {
    // -L lists two PPUs; icn -s comes from another host (other UUIDs), so it is not attached;
    // topo -m has no UUIDs and attaches by index; PPU2..7 are not listed devices.
    count: 2,
    all: { model: 'PPU', chip: 'thead-ppu', memoryTotalMiB: null },
    warnings: [/icn -s names PPU 0 .*no listed device matches/, /topology matrix lists PPU7/],
    devices: {
      0: { index: 0, uuid: 'GPU-019ea108-c110-0828-0000-0000c07e1a46' },
      1: { index: 1, uuid: 'GPU-019ea108-c120-040c-0000-0000c0267f1e' },
    },
    check: (d) => {
      expect(d[0]?.partitions).toEqual([]);
      expect(d[1]?.partitions.map((p) => [p.index, p.profile, p.uuid])).toEqual([
        [0, 'g1.c1.i1', 'MIG-79c62632-04cc-574b-af7b-cb2e307121c85'],
        [1, 'g1.c0.i0', 'MIG-79c62632-04cc-574b-af7b-cb2e307121c84'],
      ]);
      // Row "PPU0  X  ICN2  SYS  ICN1  SYS  SYS  ICN2  SYS  0-47,96-143  0"
      expect(d[0]?.topology?.peers).toEqual([
        { peerIndex: 1, link: 'ICN2' },
        { peerIndex: 2, link: 'SYS' },
        { peerIndex: 3, link: 'ICN1' },
        { peerIndex: 4, link: 'SYS' },
        { peerIndex: 5, link: 'SYS' },
        { peerIndex: 6, link: 'ICN2' },
        { peerIndex: 7, link: 'SYS' },
      ]);
      expect(d[0]?.topology).toMatchObject({ cpuAffinity: '0-47,96-143', numaNode: 0, ports: [] });
    },
  },
  'npu-smi.txt': {
    count: 8,
    clean: true,
    all: { model: '910B3', chip: 'ascend-910b', memoryTotalMiB: 65536, health: 'ok', healthRaw: 'OK', healthBasis: 'reported', chipIndex: 0, utilizationPct: 0, processes: [] },
    devices: {
      // "| 0  910B3 | OK | 102.8  55  0 / 0 |" / "| 0 | 0000:C1:00.0 | 0  0 / 0  3338 / 65536 |"
      0: { index: 0, cardIndex: 0, busId: '0000:C1:00.0', powerW: 102.8, temperatureC: 55, memoryUsedMiB: 3338, versions: { tool: '23.0.7', driver: '23.0.7', sdkName: 'CANN' } },
      7: { index: 7, cardIndex: 7, busId: '0000:42:00.0', powerW: 105.1, temperatureC: 59, memoryUsedMiB: 3338 },
    },
  },
  'npu-smi-910A-atlas800-9010.txt': {
    count: 8,
    all: { model: 'xxx', chip: null, memoryTotalMiB: 32768, memoryUsedMiB: 0 },
    warnings: [/model "xxx" is masked/],
    devices: {
      0: { index: 0, busId: '0000:C1:00.0', powerW: 70.5, temperatureC: 42, health: 'ok' },
      // NPU 3 and 7 print "Warning" with ~205 W.
      3: { index: 3, health: 'warning', healthRaw: 'Warning', powerW: 206.9, temperatureC: 39 },
      7: { index: 7, health: 'warning', powerW: 203.2, busId: '0000:02:00.0' },
    },
    check: (d) => {
      expect(d.every((x) => x.flags.includes('model-masked'))).toBe(true);
      // Four 686 MB processes per NPU in the process table.
      expect(d.every((x) => x.processes.length === 4 && x.processes.every((p) => p.memoryUsedMiB === 686 && p.name === 'hlt_host_devmm_'))).toBe(true);
      expect(d[0]?.processes.map((p) => p.pid)).toEqual([37656, 37664, 37640, 37648]);
    },
  },
  'npu-smi-info-m-910A.txt': {
    count: 8,
    clean: true,
    all: { model: 'Ascend 910A', chip: 'ascend-910a', chipIndex: 0, memoryTotalMiB: null, powerW: null },
    check: (d) => {
      expect(d.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(d.map((x) => x.cardIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    },
  },
  'npu-smi-310-atlas800-3000.txt': {
    // One 310 card (NPU 6) with four chips, "Device" 3..6 (physical ids); 8192 MB DDR each, no HBM.
    // Logic ids follow table order (0..3; gpustack's `info -m` for this host says the same).
    count: 4,
    warnings: [/logic ids taken from table order/],
    all: { model: '310', chip: 'ascend-310', cardIndex: 6, memoryTotalMiB: 8192, powerW: 12.8, health: 'ok' },
    devices: {
      0: { index: 0, chipIndex: 0, physicalIndex: 3, memoryUsedMiB: 2703, temperatureC: 73, busId: '0000:89:00.0', versions: { tool: '21.0.4', driver: '21.0.4.B030' } },
      3: { index: 3, chipIndex: 3, physicalIndex: 6, memoryUsedMiB: 2867, temperatureC: 65, busId: '0000:8C:00.0' },
    },
  },
  'mx-smi.txt': {
    count: 8,
    clean: true,
    // v2.1.6: "Temp  Power" (no cap), no state column.
    all: { model: 'MXC550', chip: 'metax-c550', memoryTotalMiB: 65536, memoryUsedMiB: 810, powerCapW: null, health: 'unknown', utilizationPct: 0 },
    devices: {
      0: { index: 0, busId: '0000:2a:00.0', temperatureC: 31, powerW: 44, versions: { tool: '2.1.6', driver: '2.5.014', sdkName: 'MACA', sdk: '2.23.0.1018' } },
      7: { index: 7, busId: '0000:da:00.0', temperatureC: 30, powerW: 47 },
    },
  },
  'mx-smi-C550-v2.2.4.txt': {
    count: 8,
    clean: true,
    // v2.2.4: "Pwr:Usage/Cap", "GPU-State: Available".
    all: { model: 'MetaX C550', chip: 'metax-c550', memoryTotalMiB: 65536, memoryUsedMiB: 858, powerCapW: 450, health: 'ok', healthRaw: 'Available' },
    devices: {
      0: { index: 0, busId: '0000:0f:00.0', temperatureC: 29, powerW: 53, versions: { tool: '2.2.4', driver: '2.15.9', sdk: '2.32.0.6' } },
      5: { index: 5, busId: '0000:ae:00.0', temperatureC: 32, powerW: 55 },
    },
  },
  'brsmi.txt': {
    count: 1,
    clean: true,
    devices: {
      // "|  0  Biren106B | 00000000:90:00.0 | 0 |" / "| 30  P0  35W / 300W | 0MiB / 32512MiB | 0%  Default |"
      0: {
        index: 0,
        model: 'Biren106B',
        chip: 'biren-106b',
        busId: '00000000:90:00.0',
        temperatureC: 30,
        powerW: 35,
        powerCapW: 300,
        memoryUsedMiB: 0,
        memoryTotalMiB: 32512,
        utilizationPct: 0,
        health: 'ok',
        versions: { tool: '1.11.0', driver: '1.11.0', sdkName: 'SUPA', sdk: '1.11' },
      },
    },
  },
  'mthreads-gmi.txt': {
    count: 8,
    clean: true,
    all: { model: 'MTT S5000', chip: 'mthreads-s5000', memoryTotalMiB: 81920, memoryUsedMiB: 0, utilizationPct: 0, powerW: null },
    devices: {
      0: { index: 0, busId: '00000000:18:00.0', temperatureC: 48, versions: { tool: '2.4.1', driver: '5.1.0-server', sdkName: 'MUSA' } },
      5: { index: 5, busId: '00000000:ba:00.0', temperatureC: 50 },
    },
    check: (d) => expect(d[0]?.errors.eccMode).toBe('On-die, EDC'),
  },
  'mthreads-gmi-S4000-faq.txt': {
    // Misconfigured host: 32768 MiB reported on a 48 GB card, and used (44302) above total.
    count: 1,
    warnings: [/44302 MiB exceeds the reported total 32768 MiB/],
    devices: {
      0: { index: 0, model: 'MTT S4000', chip: 'mthreads-s4000', memoryTotalMiB: 32768, memoryUsedMiB: 44302, utilizationPct: 88, temperatureC: 65, busId: '00000000:08:00.0', flags: ['used-exceeds-total'], versions: { tool: '1.12.2', driver: '1.2.0' } },
    },
  },
  'efsmi.txt': {
    count: 2,
    clean: true,
    all: { model: 'S60', chip: 'enflame-s60', powerCapW: 300, memoryUsedMiB: null, utilizationPct: 0 },
    devices: {
      0: { index: 0, busId: '00:01:00.0', temperatureC: 39, powerW: 105, memoryTotalMiB: 49120, serial: 'A073640510015', versions: { tool: '1.2.0.301', driver: '1.2.0.301' } },
      // ECC enabled on the second card: 42976 MiB visible.
      1: { index: 1, busId: '00:09:00.0', temperatureC: 46, powerW: 128, memoryTotalMiB: 42976, serial: 'C807J40510285' },
    },
    check: (d) => expect(d.map((x) => x.errors.eccMode)).toEqual(['Disable', 'Enable']),
  },
  'cnmon.txt': {
    // One MLU370-X8 card listed as two chips of 23374 MiB.
    count: 2,
    clean: true,
    all: { model: 'MLU370-X8', chip: 'cambricon-mlu370-x8', memoryTotalMiB: 23374, memoryUsedMiB: 0, powerW: 106, powerCapW: 250, utilizationPct: 0, health: 'unknown' },
    devices: {
      0: { index: 0, busId: '0000:39:00.0', temperatureC: 32, versions: { tool: '5.10.13', driver: '5.10.13', sdkName: 'NeuWare' } },
      1: { index: 1, busId: '0000:3D:00.0', temperatureC: 39 },
    },
  },
  'cnmon-8card-masked-paddlenlp.txt': {
    count: 8,
    // Masked model and total ("MLUXXX-XX", "xxxxx MiB"): null, never guessed.
    all: { model: 'MLUXXX-XX', chip: null, memoryTotalMiB: null, memoryUsedMiB: 0, powerCapW: 550, utilizationPct: 0, health: 'ok', healthBasis: 'derived' },
    warnings: [/"MLUXXX-XX" is masked/],
    devices: {
      0: { index: 0, busId: '0000:4F:00.0', temperatureC: 35, powerW: 105, versions: { tool: '5.10.31' } },
      3: { index: 3, busId: '0000:73:00.0', temperatureC: 34, powerW: 109 },
    },
  },
  'hy-smi.txt': {
    // The default view shows no model and no memory size.
    count: 4,
    clean: true,
    all: { model: null, chip: null, memoryTotalMiB: null, memoryUsedMiB: null, powerCapW: 800, utilizationPct: 0 },
    devices: {
      0: { index: 0, temperatureC: 49, powerW: 118 },
      3: { index: 3, temperatureC: 49, powerW: 138 },
    },
  },
  'hy-smi-json-rocm-smi.txt': {
    count: 1,
    warnings: [/"DCU xxxx" is masked/],
    devices: {
      0: { index: 0, model: 'DCU xxxx', chip: null, serial: 'TPXxxxx', uuid: '7100fa8866904061', powerW: 80, temperatureC: 41, utilizationPct: 0, memoryTotalMiB: 65520, memoryUsedMiB: 2 },
    },
  },
  'xpu-smi.txt': {
    count: 8,
    clean: true,
    all: { model: 'P800 OAM', chip: 'kunlunxin-p800', memoryTotalMiB: 98304, memoryUsedMiB: 0, powerCapW: 400, utilizationPct: 0, health: 'ok' },
    devices: {
      0: { index: 0, busId: '00000000:03:00.0', temperatureC: 37, powerW: 88, versions: { driver: '5.0.21.21', sdkName: 'XPU-RT', sdk: '5.0.21' } },
      7: { index: 7, busId: '00000000:A5:00.0', temperatureC: 40, powerW: 87 },
    },
  },
  'xpu-smi-legacy-R300.txt': {
    count: 2,
    clean: true,
    all: { model: 'R300', chip: 'kunlunxin-r300', memoryTotalMiB: 32768, memoryUsedMiB: 0, utilizationPct: 0, temperatureC: null, powerW: null },
    devices: {
      0: { index: 0, busId: '0000:53:00.0', versions: { driver: '4.0', sdk: '4.31' } },
      1: { index: 1, busId: '0000:56:00.0' },
    },
  },
  'ixsmi.txt': {
    count: 16,
    clean: true,
    all: { model: 'Iluvatar BI-V150', chip: 'iluvatar-bi-v150', memoryTotalMiB: 32768, memoryUsedMiB: 116, utilizationPct: 0 },
    devices: {
      // Power "N/A / N/A" on even GPUs: null, not 0.
      0: { index: 0, powerW: null, powerCapW: null, temperatureC: 32, busId: '00000000:13:00.0', versions: { tool: '4.1.0', driver: '4.1.0', sdk: '10.2' } },
      1: { index: 1, powerW: 93, powerCapW: 350, temperatureC: 30 },
      15: { index: 15, powerW: 94, powerCapW: 350, busId: '00000000:67:00.0' },
    },
    check: (d) => expect(d.filter((x) => x.powerW === null).map((x) => x.index)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]),
  },
  'teco-smi.txt': {
    count: 2,
    clean: true,
    all: { model: 'TECO_AICARD_01', chip: 'tecorigin-t100', memoryTotalMiB: 65536, memoryUsedMiB: 0, health: 'ok', healthRaw: 'OK', powerCapW: null, utilizationPct: 0 },
    devices: {
      0: { index: 0, busId: '00000000:0C:00.0', temperatureC: 40, powerW: 90, versions: { tool: '1.15.0', driver: '3.2.0', sdkName: 'SDAA', sdk: '3.2.0' } },
      1: { index: 1, busId: '00000000:10:00.0', temperatureC: 38, powerW: 88 },
    },
  },
};

describe('vendor parser conformance over ../shared/fixtures/smi', () => {
  const files = smiFixtures();

  it('finds the shared captures and has a case for every one', () => {
    expect(files.length).toBeGreaterThanOrEqual(24);
    expect(files.filter((f) => !(f in CASES))).toEqual([]);
  });

  for (const file of files) {
    it(`${file}`, () => {
      const c = CASES[file];
      if (!c) throw new Error(`no expectations for ${file}`);
      const adapter = findAdapter(toolOfFixture(file));
      if (!adapter) throw new Error(`no adapter for ${file}`);
      const result = adapter.parse(readFixture(file));
      expect(result.devices).toHaveLength(c.count);
      for (const d of result.devices) {
        expect(d.source).toBe(adapter.tool);
        expect(d.simulated).toBe(false);
        if (c.all) expect(d).toMatchObject(c.all);
      }
      for (const [pos, want] of Object.entries(c.devices ?? {})) expect(result.devices[Number(pos)]).toMatchObject(want);
      if (c.clean) expect(result.warnings).toEqual([]);
      for (const re of c.warnings ?? []) expect(result.warnings.some((w) => re.test(w))).toBe(true);
      c.check?.(result.devices);
    });
  }
});
