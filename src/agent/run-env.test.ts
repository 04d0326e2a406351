import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import { isTesseraError } from '../lib/errors.js';
import { rankEnv, runEnv, type RankInfo } from './run-env.js';

const catalog = builtinCatalog();
const chip = (id: string) => catalog.get(id);
const rank: RankInfo = { masterAddr: '10.0.0.1', masterPort: 29500, worldSize: 16, rank: 9, localRank: 1, nodeRank: 1 };
const RANK_VARS = { MASTER_ADDR: '10.0.0.1', MASTER_PORT: '29500', WORLD_SIZE: '16', RANK: '9', LOCAL_RANK: '1', NODE_RANK: '1' };

describe('run environment as a child process (host indices)', () => {
  it.each([
    ['nvidia-h20', { CUDA_VISIBLE_DEVICES: '2,3' }],
    ['thead-ppu', { CUDA_VISIBLE_DEVICES: '2,3' }],
    ['ascend-910b', { ASCEND_RT_VISIBLE_DEVICES: '2,3', NPU_VISIBLE_DEVICES: '2,3' }],
    ['biren-106b', { SUPA_VISIBLE_DEVICES: '2,3' }],
    ['metax-c550', { CUDA_VISIBLE_DEVICES: '2,3', MACA_VISIBLE_DEVICES: '2,3' }],
    ['mthreads-s5000', { MUSA_VISIBLE_DEVICES: '2,3', CUDA_VISIBLE_DEVICES: '2,3' }],
    ['enflame-s60', { TOPS_VISIBLE_DEVICES: '2,3' }],
    ['cambricon-mlu370-x8', { MLU_VISIBLE_DEVICES: '2,3' }],
    ['hygon-k100-ai', { HIP_VISIBLE_DEVICES: '2,3' }],
    ['kunlunxin-p800', { XPU_VISIBLE_DEVICES: '2,3', CUDA_VISIBLE_DEVICES: '2,3' }],
    ['iluvatar-bi-v150', { CUDA_VISIBLE_DEVICES: '2,3', ILUVATAR_VISIBLE_DEVICES: '2,3' }],
    ['tecorigin-t100', { SDAA_VISIBLE_DEVICES: '2,3' }],
  ])('%s', (id, visibility) => {
    const result = runEnv({ chip: chip(id), devices: [2, 3], rank });
    expect(result.env).toEqual({ ...visibility, ...RANK_VARS });
    // The catalog's primary variable comes first.
    expect(Object.keys(result.env)[0]).toBe(chip(id).software.visibilityEnv[0]);
    expect(result.container).toBeNull();
    expect(result.notes).toEqual([]);
  });

  it('says so when the catalog knows no visibility variable', () => {
    const result = runEnv({ chip: chip('zhonghao-chana'), devices: [0] });
    expect(result.env).toEqual({});
    expect(result.notes[0]).toMatch(/no device-visibility variable/);
  });

  it('keeps job variables but never lets them override the computed ones', () => {
    const result = runEnv({ chip: chip('ascend-910b'), devices: [5], jobEnv: { HCCL_CONNECT_TIMEOUT: '1200', ASCEND_RT_VISIBLE_DEVICES: '0,1,2,3' } });
    expect(result.env).toEqual({ HCCL_CONNECT_TIMEOUT: '1200', ASCEND_RT_VISIBLE_DEVICES: '5', NPU_VISIBLE_DEVICES: '5' });
  });
});

describe('run environment in a container', () => {
  it('Ascend: davinci nodes for the assigned chips plus the management nodes and driver mounts', () => {
    const r = runEnv({ chip: chip('ascend-910b'), devices: [4, 6], runtime: 'docker', image: 'cann:8.0', command: ['python', 'train.py'] });
    expect(r.container?.program).toBe('docker');
    expect(r.container?.devices).toEqual(['/dev/davinci4', '/dev/davinci6', '/dev/davinci_manager', '/dev/devmm_svm', '/dev/hisi_hdc']);
    expect(r.container?.mounts.map((m) => m.source)).toEqual(['/usr/local/Ascend/driver', '/usr/local/dcmi', '/usr/local/bin/npu-smi', '/etc/ascend_install.info']);
    // Inside, the two chips are 0 and 1; the runtime-level variable keeps host ids.
    expect(r.env).toEqual({ ASCEND_RT_VISIBLE_DEVICES: '0,1', NPU_VISIBLE_DEVICES: '0,1' });
    expect(r.container?.env).toEqual({ ASCEND_RT_VISIBLE_DEVICES: '0,1', NPU_VISIBLE_DEVICES: '0,1', ASCEND_VISIBLE_DEVICES: '4,6' });
    expect(r.container?.args).toEqual([
      'run', '--rm',
      '--device', '/dev/davinci4', '--device', '/dev/davinci6', '--device', '/dev/davinci_manager', '--device', '/dev/devmm_svm', '--device', '/dev/hisi_hdc',
      '-v', '/usr/local/Ascend/driver:/usr/local/Ascend/driver:ro', '-v', '/usr/local/dcmi:/usr/local/dcmi:ro', '-v', '/usr/local/bin/npu-smi:/usr/local/bin/npu-smi:ro', '-v', '/etc/ascend_install.info:/etc/ascend_install.info:ro',
      '-e', 'ASCEND_RT_VISIBLE_DEVICES=0,1', '-e', 'ASCEND_VISIBLE_DEVICES=4,6', '-e', 'NPU_VISIBLE_DEVICES=0,1',
      'cann:8.0', 'python', 'train.py',
    ]);
    expect(r.notes).toEqual([]);
  });

  it('Ascend 310: device nodes and ASCEND_VISIBLE_DEVICES by physical id, the process variable by position', () => {
    const r = runEnv({ chip: chip('ascend-310'), devices: [0, 1], physicalIds: [3, 4], runtime: 'docker', image: 'cann' });
    expect(r.container?.devices.slice(0, 2)).toEqual(['/dev/davinci3', '/dev/davinci4']);
    expect(r.container?.env).toMatchObject({ ASCEND_VISIBLE_DEVICES: '3,4', ASCEND_RT_VISIBLE_DEVICES: '0,1' });
    expect(() => runEnv({ chip: chip('ascend-310'), devices: [0, 1], physicalIds: [3], runtime: 'docker', image: 'cann' })).toThrow(/one id per assigned device/);
  });

  it('NVIDIA: --gpus with host ids, no raw device nodes, nerdctl for containerd', () => {
    const r = runEnv({ chip: chip('nvidia-h20'), devices: [1, 7], runtime: 'containerd', image: 'cuda:12', rank });
    expect(r.container?.program).toBe('nerdctl');
    expect(r.container?.devices).toEqual([]);
    expect(r.container?.args.slice(0, 4)).toEqual(['run', '--rm', '--gpus', '"device=1,7"']);
    expect(r.container?.env).toMatchObject({ CUDA_VISIBLE_DEVICES: '0,1', NVIDIA_VISIBLE_DEVICES: '1,7', RANK: '9' });
  });

  it.each([
    ['thead-ppu', [2], ['/dev/alixpu_ppu2', '/dev/alixpu']],
    ['biren-106b', [0, 1], ['/dev/biren/card_0', '/dev/biren/card_1']],
    ['kunlunxin-p800', [3], ['/dev/xpu3', '/dev/xpuctrl']],
    ['tecorigin-t100', [1], ['/dev/tcaicard1']],
    ['cambricon-mlu590', [0, 2], ['/dev/cambricon_dev0', '/dev/cambricon_dev2', '/dev/cambricon_ctl']],
  ])('%s on %j: per-device nodes %j, renumbered inside', (id, devices, nodes) => {
    const r = runEnv({ chip: chip(id), devices, runtime: 'docker', image: 'img' });
    expect(r.container?.devices).toEqual(nodes);
    expect(r.env[chip(id).software.visibilityEnv[0] ?? '']).toBe(devices.map((_, i) => i).join(','));
    expect(r.notes).toEqual([]);
  });

  it('Hygon: shared /dev/kfd and /dev/dri only, so the container sees every DCU and keeps host ids', () => {
    const r = runEnv({ chip: chip('hygon-k100-ai'), devices: [3], runtime: 'docker', image: 'dtk:24.04' });
    expect(r.container?.devices).toEqual(['/dev/kfd', '/dev/dri', '/dev/mkfd']);
    expect(r.container?.mounts).toEqual([{ source: '/opt/hyhal', target: '/opt/hyhal', readOnly: true }]);
    expect(r.container?.args).toContain('video');
    expect(r.env).toEqual({ HIP_VISIBLE_DEVICES: '3' });
    expect(r.container?.env).toEqual({ HIP_VISIBLE_DEVICES: '3', HYGON_VISIBLE_DEVICES: '3' });
    expect(r.notes[0]).toMatch(/not limited to the assigned devices/);
  });

  it('Moore Threads: no device nodes known, relies on the container toolkit variable', () => {
    const r = runEnv({ chip: chip('mthreads-s5000'), devices: [6], runtime: 'docker', image: 'musa' });
    expect(r.container?.devices).toEqual([]);
    expect(r.container?.env).toEqual({ MUSA_VISIBLE_DEVICES: '6', CUDA_VISIBLE_DEVICES: '6', MTHREADS_VISIBLE_DEVICES: '6' });
    expect(r.notes[0]).toMatch(/MTHREADS_VISIBLE_DEVICES/);
  });

  it('refuses a container task without an image', () => {
    expect(() => runEnv({ chip: chip('enflame-s60'), devices: [0], runtime: 'docker' })).toThrow(/needs a container image for the topsrider stack/);
  });
});

describe('rank variables', () => {
  it('sets the six torchrun variables, and LOCAL_WORLD_SIZE when known', () => {
    expect(rankEnv({ ...rank, localWorldSize: 8 })).toEqual({ ...RANK_VARS, LOCAL_WORLD_SIZE: '8' });
  });

  it.each([
    [{ rank: 16 }, /rank 16 must be in 0..15/],
    [{ masterPort: 70000 }, /masterPort 70000/],
    [{ worldSize: 0, rank: 0, localRank: 0, nodeRank: 0 }, /worldSize 0/],
    [{ masterAddr: ' ' }, /masterAddr is empty/],
  ])('rejects %j', (patch, message) => {
    try {
      rankEnv({ ...rank, ...patch });
      expect.unreachable();
    } catch (e) {
      expect(isTesseraError(e)).toBe(true);
      expect((e as Error).message).toMatch(message);
    }
  });

  it('rejects empty, negative and repeated device lists', () => {
    expect(() => runEnv({ chip: chip('nvidia-h20'), devices: [] })).toThrow(/at least one assigned device/);
    expect(() => runEnv({ chip: chip('nvidia-h20'), devices: [-1] })).toThrow(/non-negative integers/);
    expect(() => runEnv({ chip: chip('nvidia-h20'), devices: [1, 1] })).toThrow(/must not repeat/);
  });
});
