import { describe, expect, it } from 'vitest';
import { readFixture } from '../testing/fixtures.js';
import { parseNpuSmi } from './npu-smi.js';
import { parseNvidiaSmi } from './nvidia-smi.js';

/** Topology matrices in the layouts the tools print (tabs in nvidia-smi, spaces in npu-smi); the links are made up. */
describe('topology matrices', () => {
  it('nvidia-smi topo -m after a CSV query: NVLink classes per peer, NIC columns ignored', () => {
    const csv = [
      'index, name, pci.bus_id, memory.total [MiB], memory.used [MiB]',
      '0, NVIDIA H800, 00000000:18:00.0, 81559 MiB, 0 MiB',
      '1, NVIDIA H800, 00000000:2A:00.0, 81559 MiB, 10 MiB',
    ].join('\n');
    const topo = [
      '\tGPU0\tGPU1\tNIC0\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID',
      'GPU0\t X \tNV8\tPXB\t0-47,96-143\t0\t\tN/A',
      'GPU1\tNV8\t X \tSYS\t48-95,144-191\t1\t\tN/A',
      'NIC0\tPXB\tSYS\t X ',
      '',
      'Legend:',
      '  X    = Self',
    ].join('\n');
    const { devices, warnings } = parseNvidiaSmi(`${csv}\n\n${topo}\n`);
    expect(warnings).toEqual([]);
    expect(devices.map((d) => d.chip)).toEqual(['nvidia-h800', 'nvidia-h800']);
    expect(devices[0]?.topology).toEqual({ peers: [{ peerIndex: 1, link: 'NV8' }], ports: [], cpuAffinity: '0-47,96-143', numaNode: 0 });
    expect(devices[1]?.topology).toEqual({ peers: [{ peerIndex: 0, link: 'NV8' }], ports: [], cpuAffinity: '48-95,144-191', numaNode: 1 });
  });

  it('npu-smi info -t topo after info: HCCS links by NPU', () => {
    const topo = [
      '           NPU0       NPU1       NPU2       NPU3       NPU4       NPU5       NPU6       NPU7       CPU Affinity',
      'NPU0       X          HCCS       HCCS       HCCS       HCCS       HCCS       HCCS       HCCS       0-23',
      'NPU1       HCCS       X          HCCS       HCCS       HCCS       HCCS       HCCS       HCCS       0-23',
      '',
      'Legend:',
    ].join('\n');
    const { devices } = parseNpuSmi(`${readFixture('npu-smi.txt')}\n${topo}\n`);
    expect(devices[0]?.topology?.peers).toHaveLength(7);
    expect(devices[0]?.topology?.peers.every((p) => p.link === 'HCCS')).toBe(true);
    expect(devices[1]?.topology?.peers.map((p) => p.peerIndex)).toEqual([0, 2, 3, 4, 5, 6, 7]);
    expect(devices[1]?.topology?.cpuAffinity).toBe('0-23');
    expect(devices[2]?.topology).toBeNull();
  });
});
