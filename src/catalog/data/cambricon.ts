/** Cambricon (寒武纪). The MLU370-X8 is a dual-chip card: figures are per card, devices per chip. */
import { k, link, peak, u, type RawSoftware } from './builders.js';

export const file = 'src/catalog/data/cambricon.ts';

const software: RawSoftware = {
  stack: 'neuware',
  smiTool: 'cnmon',
  k8sResources: ['cambricon.com/mlu'],
  visibilityEnv: ['MLU_VISIBLE_DEVICES'],
  runtimeEnv: ['CAMBRICON_VISIBLE_DEVICES'],
  devicePaths: [],
};

const softwareNote = 'HAMi exposes cambricon.com/vmlu (needs cnmon set -c N -smlu on) [G4]. PCI vendor cabc [G5].';

export const records: unknown[] = [
  {
    id: 'cambricon-mlu370-x8',
    vendor: 'cambricon',
    names: { en: 'Cambricon MLU370-X8', zh: '寒武纪 思元370-X8' },
    aliases: ['mlu370', 'mlu370-x8'],
    devicesPerCard: 2,
    memoryGiB: k(48, 'C1,C2', 'press', 'two chips; cnmon reports 23374 MiB per chip [cnmon.txt]'),
    memoryType: 'LPDDR5',
    memBandwidthGBps: k(614.4, 'C1', 'press'),
    densePeak: peak({
      fp32Tflops: k(32, 'C1', 'press'),
      bf16Tflops: k(96, 'C1', 'press'),
      fp16Tflops: k(96, 'C1', 'press'),
      fp8Tflops: u('not listed [C1]'),
      int8Tops: k(256, 'C1', 'press', 'INT4 512, INT16 128'),
    }),
    cardLink: link('MLU-Link', k(200, 'C1,C2', 'press', 'per card; a 4-card bridge gives an 8-chip full mesh')),
    hostLink: link('PCIe 4.0 x16'),
    tdpW: k(250, 'C1,C2,cnmon.txt', 'press'),
    formFactor: 'PCIe 4.0 x16, FHFL dual-slot, passive',
    cardsPerServer: k(8, 'C1', 'press'),
    software,
    prices: [],
    notes: [
      'This record describes the card, which holds two MLU370 chips; cnmon, the device plugin and a scheduler see each chip as one device with about half the card figures (23374 MiB).',
      softwareNote,
    ],
  },
  {
    id: 'cambricon-mlu590',
    vendor: 'cambricon',
    names: { en: 'Cambricon MLU590', zh: '寒武纪 思元590' },
    aliases: ['mlu590'],
    memoryGiB: u('n/f'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({}),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: u('n/f; a masked 8-card cnmon sample with a 550 W cap may be an MLU590 or MLU580 (our inference only) [cnmon-8card]'),
    formFactor: null,
    cardsPerServer: k(8, 'cnmon-8card', 'declared', 'a masked 8-card cnmon sample, identified as MLU590/580 by inference only'),
    software,
    prices: [],
    notes: ['Public specifications: n/f.', softwareNote],
  },
  {
    id: 'cambricon-mlu290',
    vendor: 'cambricon',
    names: { en: 'Cambricon MLU290-M5', zh: '寒武纪 思元290' },
    aliases: ['mlu290', 'mlu290-m5'],
    memoryGiB: k(32, 'C3', 'press'),
    memoryType: 'HBM2',
    memBandwidthGBps: k(1228, 'C3', 'press'),
    densePeak: peak({ int8Tops: k(512, 'C3', 'press') }),
    cardLink: link('MLU-Link', k(600, 'C3', 'press')),
    hostLink: link(null),
    tdpW: k(350, 'C3', 'press'),
    formFactor: 'OAM',
    cardsPerServer: k(4, 'C3', 'press', 'per node'),
    software,
    prices: [],
    notes: ['Reference part (chips.md lists it for comparison).', softwareNote],
  },
];
