/**
 * MetaX (沐曦). Memory and power caps come from real mx-smi captures; no compute peak beyond a
 * press FP32 figure was found, so the C500's half-precision peak stays unknown.
 */
import { k, link, peak, u, type RawSoftware } from './builders.js';

export const file = 'src/catalog/data/metax.ts';

const software: RawSoftware = {
  stack: 'maca',
  smiTool: 'mx-smi',
  k8sResources: ['metax-tech.com/gpu'],
  visibilityEnv: ['CUDA_VISIBLE_DEVICES', 'MACA_VISIBLE_DEVICES'],
  runtimeEnv: [],
  devicePaths: ['/dev/dri', '/dev/mxcd'],
};

const softwareNote = 'HAMi sGPU resources: metax-tech.com/sgpu, metax-tech.com/vcore, metax-tech.com/vmemory [G4]. Containers use the same visibility variables. PCI vendor 9999 [G5][M7].';

export const records: unknown[] = [
  {
    id: 'metax-c500',
    vendor: 'metax',
    names: { en: 'MetaX C500 (Xiyun)', zh: '沐曦 曦云 C500' },
    aliases: ['c500', 'mxc500', 'xiyun-c500'],
    memoryGiB: k(64, 'M1,M3', 'declared', 'a real capture reports 65536 MiB [M3]'),
    memoryType: null,
    memBandwidthGBps: u('n/f (1.8 TB/s appears only on a low-reliability aggregator)'),
    densePeak: peak({
      fp32Tflops: k(15, 'M4', 'press', 'IThome'),
      bf16Tflops: u("n/f; the operator totals imply about 240.2 TFLOPS per card for the MetaX block (984 P / 4096 cards, chips.md section 1), model not named"),
      fp16Tflops: u('n/f'),
      int8Tops: u('n/f'),
    }),
    cardLink: link('MetaXLink', u('bandwidth n/f; in a real 8 x C500 capture cards 0-3 and 4-7 form two linked groups of 4 [M3]')),
    hostLink: link(null),
    tdpW: k(350, 'M3', 'declared', 'power cap reported on a real host'),
    formFactor: 'PCIe card',
    cardsPerServer: k(8, 'A1,M3', 'derived', '4096 cards / 512 servers = 8 (chips.md section 1); a real 8 x C500 host [M3]'),
    software,
    prices: [],
    notes: ['Over 25,000 C500 sold by 2025 (press) [M5]. Driver 3.6.11, MACA 3.5.3.18 in the capture [M3].', softwareNote],
  },
  {
    id: 'metax-c550',
    vendor: 'metax',
    names: { en: 'MetaX C550', zh: '沐曦 曦云 C550' },
    aliases: ['c550', 'mxc550'],
    memoryGiB: k(64, 'M2,mx-smi.txt', 'declared', 'mx-smi reports 65536 MiB'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({}),
    cardLink: link('MetaXLink', u('bandwidth n/f')),
    hostLink: link(null),
    tdpW: k(450, 'M2', 'declared', 'power cap'),
    formFactor: null,
    cardsPerServer: k(8, 'M2', 'declared', '"C550 64GB 8-card machine"'),
    software,
    prices: [],
    notes: ['KMD 2.15.9, MACA 2.32.0.6 [M2]; the mx-smi header changes between versions [mx-smi.txt].', softwareNote],
  },
  {
    id: 'metax-n260',
    vendor: 'metax',
    names: { en: 'MetaX N260 (Xisi inference)', zh: '沐曦 曦思 N260' },
    aliases: ['n260', 'xisi-n260'],
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
    notes: ['Only its PCI ID 9999:4083 was seen [M7].', softwareNote],
  },
];
