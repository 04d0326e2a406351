/**
 * Zhonghao Xinying (中昊芯英) Chana, a TPU-style ASIC. No datasheet is public: its peaks are
 * derived from the successor's press figures ("Xuyu is 3x Chana") and say so.
 */
import { k, link, peak, u } from './builders.js';

export const file = 'src/catalog/data/zhonghao.ts';

const mixed = k(298.7, 'Z2', 'derived', 'successor Xuyu: 896 TFLOPS "mixed precision", "3x Chana" [Z2]: 896 / 3 = 298.7; format not stated. Vendor claim "1.5x A100" [Z1]; operator totals imply 195.3 (200 P / 1024 cards)');

export const records: unknown[] = [
  {
    id: 'zhonghao-chana',
    vendor: 'zhonghao',
    names: { en: 'Zhonghao Xinying Chana GPTPU', zh: '中昊芯英 刹那 GPTPU' },
    aliases: ['chana', 'gptpu'],
    memoryGiB: u('n/f'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({
      bf16Tflops: mixed,
      fp16Tflops: mixed,
      int8Tops: k(597.3, 'Z2', 'derived', 'successor Xuyu: 1792 TOPS INT8, "3x Chana" [Z2]: 1792 / 3 = 597.3'),
    }),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: u('n/f; vendor claims -30 % power vs the A100 [Z1] (press)'),
    formFactor: null,
    cardsPerServer: k(8, 'A1', 'derived', '22832 - 16384 - 4096 - 1328 = 1024 cards over 128 servers = 8 (chips.md section 1)'),
    software: { stack: 'taize', smiTool: null, k8sResources: [], visibilityEnv: [], runtimeEnv: [], devicePaths: [] },
    prices: [],
    notes: [
      'A "GPTPU" ASIC with self-developed IP and instruction set; vendor claims 1.5x A100 performance, -30 % power, -42 % unit compute cost (press) [Z1].',
      'The Taize cluster links 1024 Chana chips (press). SDK name, SMI tool, visibility variable and Kubernetes resource: n/f.',
    ],
  },
];
