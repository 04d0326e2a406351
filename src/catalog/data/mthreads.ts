/** Moore Threads (摩尔线程). S4000 from launch coverage; S5000 from 2026 press (unverified). */
import { conflict, k, link, peak, u, type RawSoftware } from './builders.js';

export const file = 'src/catalog/data/mthreads.ts';

const software: RawSoftware = {
  stack: 'musa',
  smiTool: 'mthreads-gmi',
  k8sResources: ['mthreads.com/gpu'],
  visibilityEnv: ['MUSA_VISIBLE_DEVICES', 'CUDA_VISIBLE_DEVICES'],
  runtimeEnv: ['MTHREADS_VISIBLE_DEVICES'],
  devicePaths: [],
};

const softwareNote = 'HAMi resources: mthreads.com/vgpu, mthreads.com/sgpu-memory, mthreads.com/sgpu-core [G4]. gpustack misspells the runtime variable METHERDS_VISIBLE_DEVICES [G1]. PCI vendor 1ed5 [G5].';

export const records: unknown[] = [
  {
    id: 'mthreads-s4000',
    vendor: 'mthreads',
    names: { en: 'Moore Threads MTT S4000', zh: '摩尔线程 MTT S4000' },
    aliases: ['s4000', 'mtt-s4000'],
    memoryGiB: k(48, 'MT1,MT2', 'press', '384-bit bus'),
    memoryType: 'GDDR6',
    memBandwidthGBps: k(768, 'MT1,MT2', 'press'),
    densePeak: peak({
      fp32Tflops: k(25, 'MT1', 'press'),
      tf32Tflops: k(50, 'MT1', 'press'),
      bf16Tflops: k(100, 'MT1,MT2b', 'press'),
      fp16Tflops: k(100, 'MT1,MT2b', 'press'),
      fp8Tflops: u('n/f'),
      int8Tops: k(200, 'MT1', 'press'),
    }),
    cardLink: link(
      'MTLink 1.0',
      conflict(k(240, 'MT1', 'press'), [k(768, 'MT2c', 'press', 'equals the memory bandwidth; likely confused with it')], 'MT1 reports the launch figure; some outlets quote 768 GB/s, which is the memory bandwidth'),
    ),
    hostLink: link('PCIe 5.0 x16'),
    tdpW: u('n/f'),
    formFactor: 'PCIe 5.0 x16 card',
    cardsPerServer: k(8, 'MT1,MT2b', 'press', 'MCCX D800 / KUAE servers'),
    software,
    prices: [],
    notes: ['A misconfigured IOMMU made mthreads-gmi show 32768 MiB on this 48 GB card: reported capacity is not the datasheet value.', softwareNote],
  },
  {
    id: 'mthreads-s5000',
    vendor: 'mthreads',
    names: { en: 'Moore Threads MTT S5000', zh: '摩尔线程 MTT S5000' },
    aliases: ['s5000', 'mtt-s5000'],
    memoryGiB: k(80, 'MT3,MT4', 'press', 'mthreads-gmi reports 81920 MiB [MT5]'),
    memoryType: null,
    memBandwidthGBps: k(1600, 'MT3,MT4', 'press'),
    densePeak: peak({
      fp8Tflops: k(1000, 'MT3', 'press', 'vendor claim via press ("about 1,000 TFLOPS")'),
    }),
    cardLink: link('MTLink', k(784, 'MT3', 'press', 'an 8 x S5000 capture showed no active MTLink (NODE/SYS distances) [MT6]')),
    hostLink: link('x16', u('mthreads-gmi shows an x16 host link [MT5]; generation not stated')),
    tdpW: u('n/f'),
    formFactor: null,
    cardsPerServer: k(8, 'MT5,MT6', 'declared', 'real 8-card hosts'),
    software,
    prices: [],
    notes: ['mthreads-gmi writes memory as 0MiB(81920MiB); a used value can exceed the total [MT5].', softwareNote],
  },
];
