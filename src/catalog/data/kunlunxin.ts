/** Kunlunxin (昆仑芯, Baidu). Memory and power from xpu-smi captures; compute peaks n/f. */
import { k, link, peak, u, type RawSoftware } from './builders.js';

export const file = 'src/catalog/data/kunlunxin.ts';

const software: RawSoftware = {
  stack: 'xpu',
  smiTool: 'xpu-smi',
  k8sResources: ['kunlunxin.com/xpu'],
  visibilityEnv: ['XPU_VISIBLE_DEVICES', 'CUDA_VISIBLE_DEVICES'],
  runtimeEnv: [],
  devicePaths: ['/dev/xpuN', '/dev/xpuctrl'],
};

const softwareNote =
  'XPU_VISIBLE_DEVICES is the usual variable [K5] and Paddle also uses FLAGS_selected_xpus; one P800 PyTorch (torch_xmlir) project uses CUDA_VISIBLE_DEVICES and rejects XPU_VISIBLE_DEVICES [K6]. Device nodes and PCI vendor 1d22 are from an earlier reading, not re-verified.';

export const records: unknown[] = [
  {
    id: 'kunlunxin-p800',
    vendor: 'kunlunxin',
    names: { en: 'Kunlunxin P800', zh: '昆仑芯 P800' },
    aliases: ['p800'],
    memoryGiB: k(96, 'K1', 'declared', 'xpu-smi reports 98304 MiB'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({}),
    cardLink: link('XPU Link', u('bandwidth n/f; topologies of 1/2/4/8 cards inside a NUMA node [K3]')),
    hostLink: link(null),
    tdpW: k(400, 'K1', 'declared', 'xpu-smi power cap'),
    formFactor: 'OAM (a PCIe edition also exists)',
    cardsPerServer: k(8, 'K1', 'declared', 'a real 8-card OAM host'),
    software,
    prices: [],
    notes: ['vXPU sharing needs driver >= 5.0.21.16 [K3]. Only the OAM edition has been verified with FastDeploy [K5].', softwareNote],
  },
  {
    id: 'kunlunxin-r300',
    vendor: 'kunlunxin',
    names: { en: 'Kunlunxin R300', zh: '昆仑芯 R300' },
    aliases: ['r300'],
    memoryGiB: k(32, 'K2', 'declared', 'xpu-smi reports 32768 MB'),
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
    notes: ['The legacy xpu-smi layout differs from the P800 one [K2].', softwareNote],
  },
  {
    id: 'kunlunxin-r200',
    vendor: 'kunlunxin',
    names: { en: 'Kunlunxin R200 (Kunlun II)', zh: '昆仑芯 R200 (昆仑芯二代)' },
    aliases: ['r200', 'kunlun2'],
    memoryGiB: u('n/f'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({ int8Tops: u('n/f; press estimates 2-3x the K200, i.e. 512-768 TOPS [K4]') }),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: u('n/f'),
    formFactor: 'PCIe card',
    cardsPerServer: u(),
    software,
    prices: [],
    notes: ['The predecessor K200 has FP16 64 TFLOPS, INT8 256 TOPS, FP32 16 TFLOPS, 150 W [K4].', softwareNote],
  },
];
