/**
 * Biren. BR100/BR104 figures are launch-day vendor peaks (Aug 2022) reported by the press [B1];
 * the 106-series parts are known only from real brsmi output and port notes.
 */
import { conflict, k, link, peak, u, type RawSoftware } from './builders.js';

export const file = 'src/catalog/data/biren.ts';

const software: RawSoftware = {
  stack: 'supa',
  smiTool: 'brsmi',
  k8sResources: ['birentech.com/gpu'],
  visibilityEnv: ['SUPA_VISIBLE_DEVICES'],
  runtimeEnv: ['BR_PHY_CARDS'],
  devicePaths: ['/dev/biren/card_N'],
};

const noFp8 = u('not supported (INT8/FP16/BF16/FP32/TF32+ only) [B1]');

export const records: unknown[] = [
  {
    id: 'biren-br104',
    vendor: 'biren',
    names: { en: 'Biren BR104', zh: '壁仞 BR104' },
    aliases: ['br104', 'br104p', '104p'],
    memoryGiB: k(32, 'B1,B2', 'press'),
    memoryType: 'HBM2e',
    memBandwidthGBps: k(819, 'B1', 'press'),
    densePeak: peak({
      fp32Tflops: k(128, 'B1', 'press'),
      tf32Tflops: k(256, 'B1', 'press', "Biren's TF32+ format"),
      bf16Tflops: k(512, 'B1', 'press', 'vendor peak, reported without a tensor/vector split'),
      fp8Tflops: noFp8,
      int8Tops: k(1024, 'B1', 'press'),
    }),
    cardLink: link(null, u('n/f for the BR104 (the BR100 uses BLink)')),
    hostLink: link(null),
    tdpW: k(300, 'B1,B2', 'press'),
    formFactor: 'FHFL PCIe card',
    cardsPerServer: k(16, 'A1', 'derived', "1328 cards / 83 servers = 16 for the operator's Biren block (chips.md section 1); the deployed model is not named"),
    software,
    prices: [],
    notes: [
      'CCTV compared a "BR104P"; its column values were not in any text source (n/f). The alias br104p resolves here.',
      'The operator totals imply about 338.9 TFLOPS per Biren card (450 P / 1328 cards): operator accounting, not a datasheet value.',
    ],
  },
  {
    id: 'biren-br100',
    vendor: 'biren',
    names: { en: 'Biren BR100', zh: '壁仞 BR100' },
    aliases: ['br100'],
    memoryGiB: k(64, 'B1,B2', 'press'),
    memoryType: 'HBM2e',
    memBandwidthGBps: conflict(k(1640, 'B1', 'press'), [k(2300, 'B2', 'press')], "B1 reports the vendor's launch table; B2's 2.3 TB/s appears in no other source"),
    densePeak: peak({
      fp32Tflops: k(256, 'B1', 'press'),
      tf32Tflops: k(512, 'B1', 'press', "Biren's TF32+ format"),
      bf16Tflops: k(1024, 'B1', 'press', 'vendor peak'),
      fp8Tflops: noFp8,
      int8Tops: k(2048, 'B1', 'press'),
    }),
    cardLink: link('BLink', u('press reports 512 GB/s but its source URL was not kept; die-to-die 896 GB/s [B3]')),
    hostLink: link('PCIe 5.0 + CXL'),
    tdpW: k(550, 'B1,B2', 'press'),
    formFactor: 'OAM',
    cardsPerServer: k(8, 'B3', 'press', '8 OAM modules in the "Hearten" server'),
    software,
    prices: [],
    notes: [],
  },
  {
    id: 'biren-106b',
    vendor: 'biren',
    names: { en: 'Biren 106B', zh: '壁仞 106B' },
    aliases: ['106b', 'br106b', 'biren106b'],
    memoryGiB: k(31.75, 'B5', 'declared', 'brsmi reports 32512 MiB'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({}),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: k(300, 'B5', 'declared', 'brsmi power cap'),
    formFactor: 'PCIe card',
    cardsPerServer: u(),
    software,
    prices: [],
    notes: ['Known from a real brsmi snapshot (BR-SMI 1.11.0), which adds an "SVI M." column for partitions [B5]. The Biren 110 is n/f entirely.'],
  },
  {
    id: 'biren-106m',
    vendor: 'biren',
    names: { en: 'Biren 106M', zh: '壁仞 106M' },
    aliases: ['106m', 'br106m'],
    memoryGiB: k(32, 'B6', 'declared', '32 GB nominal; 34,091,302,912 bytes visible'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({}),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: u('n/f'),
    formFactor: 'PCIe card',
    cardsPerServer: u(),
    software,
    prices: [],
    notes: ['64 SMs, warp size 32, per SUPA port notes [B6].'],
  },
];
