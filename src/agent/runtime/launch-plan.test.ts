import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../catalog/index.js';
import { simulatedDevices } from '../simulated.js';
import { Runtime } from '../run-env.js';
import { containerName, derivedPort, DERIVED_PORT_BASE, DERIVED_PORT_SPAN, planLaunch, type LaunchInput } from './launch-plan.js';
import type { Assignment } from './protocol-client.js';

const catalog = builtinCatalog();
const ascend = catalog.get('ascend-910b');
const h20 = catalog.get('nvidia-h20');

const assignment = (over: Partial<Assignment> = {}): Assignment => ({
  jobId: 'job-abc',
  attempt: 1,
  name: 'train',
  kind: 'training',
  command: ['python', 'train.py', '--epochs', '2'],
  env: { TESSERA_JOB_ID: 'job-abc', USER_VAR: 'x' },
  image: 'registry/ascend-pytorch:24.0',
  chip: 'ascend-910b',
  devices: [2, 3],
  milliPerDevice: 1000,
  nodeRank: 0,
  nodeCount: 1,
  acknowledged: false,
  state: 'Scheduled',
  ...over,
});

const input = (a: Assignment, over: Partial<LaunchInput> = {}): LaunchInput => ({
  assignment: a,
  nodeId: 'node-a',
  chip: a.chip === 'nvidia-h20' ? h20 : ascend,
  hostDevices: simulatedDevices([{ chip: a.chip === 'nvidia-h20' ? h20 : ascend, count: 8 }]),
  runtime: Runtime.process,
  advertiseAddr: '10.0.0.7',
  baseEnv: { PATH: '/usr/bin', HOME: '/home/u' },
  ...over,
});

describe('launch plan as a child process', () => {
  it("sets the vendor's visibility variables to the assigned host devices, rank and torchrun variables, job env", () => {
    const p = planLaunch(input(assignment()));
    expect(p.program).toBe('python');
    expect(p.args).toEqual(['train.py', '--epochs', '2']);
    expect(p.container).toBeNull();
    expect(p.env).toMatchObject({
      PATH: '/usr/bin',
      HOME: '/home/u',
      ASCEND_RT_VISIBLE_DEVICES: '2,3',
      NPU_VISIBLE_DEVICES: '2,3',
      WORLD_SIZE: '1',
      RANK: '0',
      LOCAL_RANK: '0',
      NODE_RANK: '0',
      MASTER_ADDR: '127.0.0.1',
      PET_NNODES: '1',
      PET_NPROC_PER_NODE: '2',
      USER_VAR: 'x',
      TESSERA_NODE_ID: 'node-a',
    });
    expect(p.env.CUDA_VISIBLE_DEVICES).toBeUndefined();
  });

  it("points every rank of a multi-node job at rank 0's node on one derived port", () => {
    const nodes = ['node-a', 'node-b'];
    const r0 = planLaunch(input(assignment({ nodeCount: 2, nodeRank: 0, nodes })));
    const r1 = planLaunch(input(assignment({ nodeCount: 2, nodeRank: 1, nodes }), { nodeId: 'node-b', advertiseAddr: '10.0.0.8' }));
    expect([r0.masterAddr, r1.masterAddr]).toEqual(['node-a', 'node-a']);
    expect(r0.masterPort).toBe(r1.masterPort);
    expect(r1.env).toMatchObject({ WORLD_SIZE: '2', RANK: '1', NODE_RANK: '1', PET_NODE_RANK: '1', MASTER_PORT: String(r0.masterPort) });
  });

  it('uses the rendezvous the job declares, and its own address as rank 0 when the server names no nodes', () => {
    const declared = planLaunch(input(assignment({ nodeCount: 2, nodeRank: 1, env: { MASTER_ADDR: 'head.example', MASTER_PORT: '29501' } })));
    expect(declared.env).toMatchObject({ MASTER_ADDR: 'head.example', MASTER_PORT: '29501', PET_MASTER_ADDR: 'head.example' });
    expect(planLaunch(input(assignment({ nodeCount: 2, nodeRank: 0 }))).masterAddr).toBe('10.0.0.7');
    expect(() => planLaunch(input(assignment({ nodeCount: 2, nodeRank: 1 })))).toThrow(/cannot tell where rank 0 runs/);
  });

  it('refuses an assignment this node cannot have been given', () => {
    expect(() => planLaunch(input(assignment({ devices: [7, 8] })))).toThrow(/device\(s\) 8/);
    expect(() => planLaunch(input(assignment(), { chip: h20 }))).toThrow(/for chip ascend-910b, but this node has nvidia-h20/);
    expect(() => planLaunch(input(assignment({ nodeCount: 2, nodeRank: 1, nodes: ['node-a', 'node-z'] })))).toThrow(/names node-z as rank 1, not this node/);
    expect(() => planLaunch(input(assignment({ command: [] })))).toThrow(/no command/);
  });
});

describe('launch plan as a container', () => {
  it('docker on Ascend: the assigned /dev/davinciN nodes, the shared nodes and driver mounts, a stable name', () => {
    const p = planLaunch(input(assignment({ nodeCount: 2, nodes: ['node-a', 'node-b'] }), { runtime: Runtime.docker }));
    expect(p.program).toBe('docker');
    const args = p.args;
    expect(args.slice(0, 2)).toEqual(['run', '--rm']);
    expect(args).toContain('/dev/davinci2');
    expect(args).toContain('/dev/davinci3');
    expect(args).not.toContain('/dev/davinci0');
    expect(args).toContain('/dev/davinci_manager');
    expect(args).toContain('/usr/local/Ascend/driver:/usr/local/Ascend/driver:ro');
    expect(args[args.indexOf('--name') + 1]).toBe(containerName('job-abc', 1));
    expect(args[args.indexOf('--network') + 1]).toBe('host');
    // The container sees its two devices as 0,1; the runtime variable names the host's.
    expect(args).toContain('ASCEND_RT_VISIBLE_DEVICES=0,1');
    expect(args).toContain('ASCEND_VISIBLE_DEVICES=2,3');
    expect(args.slice(-5)).toEqual(['registry/ascend-pytorch:24.0', 'python', 'train.py', '--epochs', '2']);
    // Task variables travel as -e flags, not as the docker client's own environment.
    expect(p.env.ASCEND_RT_VISIBLE_DEVICES).toBeUndefined();
  });

  it('physical ids name the device nodes where they differ from the logic ids', () => {
    const host = simulatedDevices([{ chip: ascend, count: 8 }]).map((d) => ({ ...d, physicalIndex: (d.index ?? 0) + 3 }));
    const p = planLaunch(input(assignment(), { runtime: Runtime.docker, hostDevices: host }));
    expect(p.args).toContain('/dev/davinci5');
    expect(p.args).toContain('/dev/davinci6');
    expect(p.args).not.toContain('/dev/davinci2');
  });

  it('containerd uses nerdctl; NVIDIA uses --gpus with the host indices', () => {
    const a = assignment({ chip: 'nvidia-h20', devices: [0, 5], image: 'nvcr.io/nvidia/pytorch:24.05-py3' });
    const p = planLaunch(input(a, { runtime: Runtime.containerd }));
    expect(p.program).toBe('nerdctl');
    expect(p.args[p.args.indexOf('--gpus') + 1]).toBe('"device=0,5"');
    expect(p.args).toContain('CUDA_VISIBLE_DEVICES=0,1');
    expect(p.args).not.toContain('--network');
  });

  it('an inference replica in a container shares the host network, so it answers on the port the agent picked', () => {
    const a = assignment({ chip: 'nvidia-h20', devices: [0], image: 'vllm/vllm-openai:v0.6.3', kind: 'inference', env: { PORT: '31234', TESSERA_MODEL: 'llama-3.1-8b' } });
    const p = planLaunch(input(a, { runtime: Runtime.docker }));
    expect(p.args[p.args.indexOf('--network') + 1]).toBe('host');
    expect(p.args).toContain('PORT=31234');
    expect(p.args).toContain('TESSERA_MODEL=llama-3.1-8b');
  });

  it('a container task needs an image for the stack', () => {
    expect(() => planLaunch(input(assignment({ image: null }), { runtime: Runtime.docker }))).toThrow(/needs a container image/);
  });
});

describe('derivedPort', () => {
  it('is the same for every rank, in range, and changes with the attempt', () => {
    const p = derivedPort('job-abc', 1);
    expect(derivedPort('job-abc', 1)).toBe(p);
    expect(p).toBeGreaterThanOrEqual(DERIVED_PORT_BASE);
    expect(p).toBeLessThan(DERIVED_PORT_BASE + DERIVED_PORT_SPAN);
    const ports = new Set(Array.from({ length: 20 }, (_, i) => derivedPort('job-abc', i + 1)));
    expect(ports.size).toBeGreaterThan(15);
  });
});
