/**
 * Huawei Ascend. The 910B carries the second conflict the seed report cares about: N1 gives
 * 320 TFLOPS FP16 while H5 gives 256, which is the 2019 Ascend 910 (910A) figure; both are kept.
 * N1's Ascend figures are not NVIDIA datasheets, so they count as `press`.
 */
import { conflict, k, link, peak, u, type RawSoftware } from './builders.js';

export const file = 'src/catalog/data/huawei.ts';

const software: RawSoftware = {
  stack: 'cann',
  smiTool: 'npu-smi',
  k8sResources: ['huawei.com/Ascend910', 'huawei.com/npu'],
  visibilityEnv: ['ASCEND_RT_VISIBLE_DEVICES', 'NPU_VISIBLE_DEVICES'],
  runtimeEnv: ['ASCEND_VISIBLE_DEVICES'],
  devicePaths: ['/dev/davinciN'],
};

const notThe910B = "N1 gives 910B-specific figures; H5's lower figures are those of the 2019 Ascend 910 (910A)";

export const records: unknown[] = [
  {
    id: 'ascend-910b',
    vendor: 'huawei',
    names: { en: 'Huawei Ascend 910B', zh: '华为 昇腾 910B' },
    aliases: ['910b', 'ascend910b'],
    memoryGiB: k(64, 'N1,A2,H3', 'press', 'npu-smi reports 65536 MB [npu-smi.txt][H3]; the 910B4 variant has 32 GB [H2]'),
    memoryType: 'HBM2e',
    memBandwidthGBps: u('n/f (aggregators say 1.2-1.6 TB/s, low reliability)'),
    densePeak: peak({
      fp32Tflops: u('n/f'),
      bf16Tflops: conflict(k(320, 'N1', 'press', "chips.md's FP16/BF16 column; N1 quotes one half-precision figure"), [k(256, 'H5', 'press', 'the 2019 Ascend 910 figure')], notThe910B),
      fp16Tflops: conflict(k(320, 'N1', 'press'), [k(256, 'H5', 'press', 'the 2019 Ascend 910 figure')], notThe910B),
      fp8Tflops: u('not supported: the 910B has no FP8'),
      int8Tops: conflict(k(640, 'N1', 'press'), [k(512, 'H5', 'press', 'the 2019 Ascend 910 figure')], notThe910B),
    }),
    cardLink: link('HCCS', k(392, 'N1,A2', 'press', '56 GB/s per pair, 392 GB/s aggregate per NPU on an 8-NPU board; each NPU also has a RoCE NIC [H3]')),
    hostLink: link(null),
    tdpW: conflict(k(400, 'N1', 'press'), [k(350, 'H5', 'press')], notThe910B),
    formFactor: 'module in 8-NPU servers (Atlas 800T A2 class)',
    cardsPerServer: k(8, 'H3,npu-smi.txt', 'declared', 'real 8-NPU hosts'),
    software,
    prices: [],
    notes: [
      'Variants B1-B4: HAMi templates give 910B2 24 AI cores / 64 GB, 910B3 20 / 64 GB, 910B4 20 / 32 GB [H2]; this record is the 64 GB part.',
      'HAMi exposes vNPU resources such as huawei.com/Ascend910B3 [G4]. PCI vendor 19e5 [G5].',
      'npu-smi prints 2 rows per NPU; HBM usage is separate from memory usage [npu-smi.txt].',
    ],
  },
  {
    id: 'ascend-910a',
    vendor: 'huawei',
    names: { en: 'Huawei Ascend 910 (910A)', zh: '华为 昇腾 910 (910A)' },
    aliases: ['910a', 'ascend910a', 'ascend910', '910'],
    memoryGiB: k(32, 'npu-smi-910A', 'declared', 'npu-smi shows 32768 MB HBM per NPU on an Atlas 800 (model 9010)'),
    memoryType: 'HBM',
    memBandwidthGBps: u('n/f'),
    densePeak: peak({
      fp16Tflops: k(256, 'H9,H10', 'press', "Huawei's 2019 launch figure"),
      bf16Tflops: u('the launch figures name FP16 only'),
      int8Tops: k(512, 'H9,H10', 'press', "Huawei's 2019 launch figure"),
    }),
    cardLink: link('HCCS', u('bandwidth n/f')),
    hostLink: link(null),
    tdpW: conflict(k(310, 'H9,H10', 'press', 'maximum power at launch'), [k(350, 'H9', 'press', 'the design figure announced in 2018')], "Huawei's launch statement: the shipping chip needs 310 W, below the 350 W design figure"),
    formFactor: 'module in 8-NPU servers (Atlas 800 model 9010)',
    cardsPerServer: k(8, 'npu-smi-910A', 'declared', 'a real 8-NPU Atlas 800 9010'),
    software,
    prices: [],
    notes: ['The original 2019 Ascend 910; npu-smi -m names it "Ascend 910A" [npu-smi-910A].'],
  },
  {
    id: 'ascend-910c',
    vendor: 'huawei',
    names: { en: 'Huawei Ascend 910C', zh: '华为 昇腾 910C' },
    aliases: ['910c', 'ascend910c'],
    devicesPerCard: 2,
    memoryGiB: conflict(k(128, 'H4', 'press', '8 HBM2E stacks (analyst estimate)'), [k(96, 'H4b', 'press')], 'H4 carries the SemiAnalysis estimate, consistent with HAMi counting 2 dies x 64 GB [H2]'),
    memoryType: 'HBM2e',
    memBandwidthGBps: conflict(k(3200, 'H4', 'press'), [k(1800, 'H4b', 'press')], 'H4 carries the SemiAnalysis estimate; H4b is a lower-reliability aggregate'),
    densePeak: peak({
      bf16Tflops: conflict(
        k(780, 'H4', 'press', 'analyst estimate'),
        [k(781, 'H4c', 'derived', 'CloudMatrix384: 300 PF dense BF16 / 384 NPUs = 781')],
        'the direct estimate; the CloudMatrix384 derivation agrees',
      ),
    }),
    cardLink: link('UB mesh (chip-to-chip)', k(400, 'H4', 'press', 'all-optical UB mesh in CloudMatrix384 [H4c]')),
    hostLink: link(null),
    tdpW: u('n/f'),
    formFactor: 'dual-die package (two 910B dies)',
    cardsPerServer: k(8, 'H4c', 'press', '8 NPUs per Atlas A3 server; 384 per CloudMatrix384 supernode'),
    software,
    prices: [],
    notes: [
      'Figures are per package; npu-smi and HAMi show each NPU as 2 chips of 64 GB / 20 cores, chip name "Ascend910" [H2].',
      'All 910C numbers are analyst estimates and conflict across outlets: treat as unverified.',
    ],
  },
  {
    id: 'ascend-310',
    vendor: 'huawei',
    names: { en: 'Huawei Ascend 310', zh: '华为 昇腾 310' },
    aliases: ['310', 'ascend310'],
    memoryGiB: k(8, 'npu-smi-310', 'declared', 'npu-smi shows 8192 MB per chip'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({
      fp16Tflops: k(8, 'H11', 'datasheet', 'HiSilicon writes "8 TOPS@FP16"'),
      int8Tops: k(16, 'H11', 'datasheet'),
    }),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: k(8, 'H11', 'datasheet', 'typical configuration'),
    formFactor: 'inference chip; Atlas 300 cards carry 4',
    cardsPerServer: u(),
    software: { ...software, k8sResources: ['huawei.com/npu'] },
    prices: [],
    notes: ['This record describes one chip, as npu-smi lists it (4 chips per Atlas 300 card) [npu-smi-310].'],
  },
];
