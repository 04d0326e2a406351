import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { parseOpenbNodes, parseOpenbPods, totalMilli } from './index.js';

const NODES = `sn,cpu_milli,memory_mib,gpu,model
n1,64000,262144,2,P100
n2,96000,786432,8,G2
`;
const PODS = `name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
p1,12000,16384,1,1000,,LS,Running,0,1,0
p2,6000,12288,1,460,V100M16|V100M32||,LS,Running,0,1,0
p3,8000,30517,0,0,,BE,Running,0,1,0
p4,4000,1024,2,1500,nan,LS,Running,0,1,0
`;

describe('openb parsing', () => {
  it('reads nodes and maps models to chip ids', () => {
    const nodes = parseOpenbNodes(NODES, 'n.csv');
    expect(nodes).toEqual([
      { name: 'n1', cpuMilli: 64000, memoryMiB: 262144, gpus: 2, model: 'P100', chip: 'nvidia-p100' },
      { name: 'n2', cpuMilli: 96000, memoryMiB: 786432, gpus: 8, model: 'G2', chip: 'openb-g2' },
    ]);
  });

  it('normalises pods as pod_csv_to_yaml.py does', () => {
    const [p1, p2, p3, p4] = parseOpenbPods(PODS, 'p.csv');
    expect(p1).toMatchObject({ gpus: 1, milliPerGpu: 1000, spec: '', chips: null });
    // empty spec parts are dropped; the spec constrains to those models
    expect(p2).toMatchObject({ gpus: 1, milliPerGpu: 460, spec: 'V100M16|V100M32', chips: ['nvidia-v100-16g', 'nvidia-v100-32g'] });
    expect(p3).toMatchObject({ gpus: 0, milliPerGpu: 0, chips: null });
    // gpu_milli above 1000 becomes 1000; "nan" spec means any
    expect(p4).toMatchObject({ gpus: 2, milliPerGpu: 1000, spec: '', chips: null });
    expect([p1, p2, p3, p4].map((p) => totalMilli(p!))).toEqual([1000, 460, 0, 2000]);
  });

  it('accepts a pod list without gpu_spec (the multigpu variants)', () => {
    const pods = parseOpenbPods('name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,1000,100,4,1000\n');
    expect(pods[0]).toMatchObject({ gpus: 4, chips: null });
  });

  it('reports bad fields with file and line', () => {
    try {
      parseOpenbPods(PODS.replace('p3,8000', 'p3,lots'), 'p.csv');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues[0]).toMatchObject({ file: 'p.csv', line: 4, path: 'cpu_milli', message: expect.stringContaining('"lots"') });
    }
    expect(() => parseOpenbNodes('sn,cpu_milli,gpu,model\nx,1,1,T4\n', 'n.csv')).toThrow(/missing column memory_mib/);
    expect(() => parseOpenbNodes(`${NODES}n1,1,1,1,T4\n`, 'n.csv')).toThrow(/duplicate node name n1/);
    expect(() => parseOpenbPods('name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,1,1\n', 'p.csv')).toThrow(/p.csv:2.*expected 5 fields/);
  });
});
