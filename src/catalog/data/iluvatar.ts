/**
 * Iluvatar CoreX (天数智芯). The BI-V150 card shows as two 32 GB GPUs: the record describes the
 * card (64 GB), with `devicesPerCard: 2` for what ixsmi and a scheduler see.
 */
import { k, link, peak, u, type RawSoftware } from './builders.js';

export const file = 'src/catalog/data/iluvatar.ts';

const software: RawSoftware = {
  stack: 'corex',
  smiTool: 'ixsmi',
  k8sResources: ['iluvatar.com/gpu'],
  visibilityEnv: ['CUDA_VISIBLE_DEVICES', 'ILUVATAR_VISIBLE_DEVICES'],
  runtimeEnv: ['IX_VISIBLE_DEVICES'],
  devicePaths: [],
};

const softwareNote = 'CUDA-compatible toolkit under /usr/local/corex [I3]; HAMi exposes iluvatar.ai/<model>-vgpu [G4]. PCI vendor 1e3e [G5].';

export const records: unknown[] = [
  {
    id: 'iluvatar-bi-v150',
    vendor: 'iluvatar',
    names: { en: 'Iluvatar CoreX BI-V150', zh: '天数智芯 天垓 BI-V150' },
    aliases: ['bi-v150', 'bi150', 'biv150'],
    devicesPerCard: 2,
    memoryGiB: k(64, 'I4', 'declared', '"BI150 64GB 8-card machine" [I4]; ixsmi shows two GPUs of 32768 MiB per card [I3]'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({}),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: k(350, 'I3', 'declared', 'ixsmi shows a 350 W cap on the first GPU of each card and N/A on the second; read here as the card cap (our reading)'),
    formFactor: 'PCIe card',
    cardsPerServer: k(8, 'I3,I4', 'declared', '8 cards = 16 GPUs per host'),
    software,
    prices: [],
    notes: ['This record describes the card; it shows as two 32 GB GPUs, each a schedulable device with half the card memory.', softwareNote],
  },
  {
    id: 'iluvatar-bi-v100',
    vendor: 'iluvatar',
    names: { en: 'Iluvatar BI-V100 (Big Island)', zh: '天数智芯 天垓100' },
    aliases: ['bi-v100', 'bi100'],
    memoryGiB: k(32, 'I1,I2', 'press'),
    memoryType: 'HBM2',
    memBandwidthGBps: k(1200, 'I1,I2', 'press'),
    densePeak: peak({
      fp32Tflops: k(37, 'I1,I2', 'press'),
      bf16Tflops: k(147, 'I1,I2', 'press'),
      fp16Tflops: k(147, 'I1,I2', 'press'),
      int8Tops: k(295, 'I1,I2', 'press'),
    }),
    cardLink: link(null),
    hostLink: link('PCIe 4.0 x16'),
    tdpW: k(300, 'I1,I2', 'press'),
    formFactor: 'PCIe 4.0 x16 dual-slot card',
    cardsPerServer: u(),
    software,
    prices: [],
    notes: [softwareNote],
  },
  {
    id: 'iluvatar-mr-v100',
    vendor: 'iluvatar',
    names: { en: 'Iluvatar MR-V100', zh: '天数智芯 智铠100' },
    aliases: ['mr-v100', 'mr100'],
    memoryGiB: u('n/f'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({}),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: u('n/f'),
    formFactor: null,
    cardsPerServer: u(),
    software,
    prices: [],
    notes: ['Inference part; no specification found.', softwareNote],
  },
];
