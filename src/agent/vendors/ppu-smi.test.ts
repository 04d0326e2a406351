import { describe, expect, it } from 'vitest';
import { readFixture } from '../testing/fixtures.js';
import { parsePpuSmi } from './ppu-smi.js';

/** ppu-smi sections combined the way the agent runs them (layouts from the PPU-SMI guide; figures made up). */
describe('ppu-smi sections', () => {
  it('icn -s links attach to the table device of the same index, and a matching -L gives the UUID', () => {
    const table = readFixture('ppu-smi.txt');
    const list = 'PPU 0: PPU-ZW810E (UUID: GPU-aaaa-0000)';
    const icn = ['PPU 0: PPU-ZW810E (UUID: GPU-aaaa-0000)', '    Link 0: 50 GB/s', '    Link 1: <inactive>', '    Link 2: 400 Gb/s'].join('\n');
    const { devices, warnings } = parsePpuSmi(`${table}\n${list}\n\n${icn}\n`);
    expect(warnings).toEqual([]);
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ index: 0, uuid: 'GPU-aaaa-0000', memoryTotalMiB: 98304 });
    // 400 Gb/s = 50 GB/s.
    expect(devices[0]?.topology?.ports).toEqual([
      { port: 0, active: true, bandwidthGBps: 50 },
      { port: 1, active: false, bandwidthGBps: null },
      { port: 2, active: true, bandwidthGBps: 50 },
    ]);
  });

  it('a capture of icn -s alone lists its devices with their links', () => {
    const icn = readFixture('ppu-smi-icn-topo-doc.txt').split('\n');
    const start = icn.findIndex((l) => /# ppu-smi icn -s/.test(l));
    const end = icn.findIndex((l, i) => i > start && /# ppu-smi topo -m/.test(l));
    const { devices } = parsePpuSmi(icn.slice(start, end).join('\n'));
    expect(devices.map((d) => [d.index, d.uuid, d.topology?.ports.filter((p) => p.active).length])).toEqual([
      [0, 'GPU-019ea108-c180-040a-0000-000000000000', 5],
      [1, 'GPU-019ea108-c180-060c-0000-000000000000', 2],
    ]);
  });
});
