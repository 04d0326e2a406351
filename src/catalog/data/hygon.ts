/** Hygon (海光) DCU. K100_AI power evidence conflicts (800 W in hy-smi, 400 W in a detector sample). */
import { conflict, k, link, peak, u, type RawSoftware } from './builders.js';

export const file = 'src/catalog/data/hygon.ts';

const software: RawSoftware = {
  stack: 'dtk',
  smiTool: 'hy-smi',
  k8sResources: ['hygon.com/dcu'],
  visibilityEnv: ['HIP_VISIBLE_DEVICES'],
  runtimeEnv: ['HYGON_VISIBLE_DEVICES'],
  devicePaths: [],
};

const softwareNote =
  'hygon.com/dcu is from an earlier reading, not re-verified; HAMi uses hygon.com/dcunum, hygon.com/dcumem, hygon.com/dcucores [G4]. hy-smi lives at /opt/hyhal/bin/hy-smi and rocm-smi-compatible JSON is available [Y1][Y2]. PCI vendor 1d94 [G5].';

function unknownPart(id: string, alias: string, en: string, zh: string, isa: string): unknown {
  return {
    id,
    vendor: 'hygon',
    names: { en, zh },
    aliases: [alias],
    memoryGiB: u('n/f'),
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
    notes: [`ISA ${isa} [Y4].`, softwareNote],
  };
}

export const records: unknown[] = [
  {
    id: 'hygon-k100-ai',
    vendor: 'hygon',
    names: { en: 'Hygon DCU K100_AI', zh: '海光 DCU K100_AI' },
    aliases: ['k100-ai', 'k100_ai', 'k100ai'],
    memoryGiB: k(64, 'Y2,Y3', 'declared', 'rocm-smi / detector report 65520 MiB'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({}),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: conflict(
      k(800, 'Y1', 'declared', 'hy-smi PwrCap on a real host'),
      [k(400, 'Y3', 'declared', 'gpustack detector sample (hand-aligned, unrefreshed per its README)')],
      'the hy-smi capture comes from a real host; the detector sample is marked unrefreshed',
    ),
    formFactor: 'PCIe card',
    cardsPerServer: k(8, 'Y1', 'declared', 'a real 8-card host'),
    software,
    prices: [],
    notes: ['ISA gfx928 [Y4]. TFLOPS: n/f.', softwareNote],
  },
  unknownPart('hygon-k100', 'k100', 'Hygon DCU K100', '海光 DCU K100', 'gfx926'),
  unknownPart('hygon-z100', 'z100', 'Hygon DCU Z100', '海光 DCU Z100', 'gfx906'),
];
