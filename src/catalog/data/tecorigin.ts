/** Tecorigin (太初元碁). Known from teco-smi output; compute peaks n/f. */
import { k, link, peak, u } from './builders.js';

export const file = 'src/catalog/data/tecorigin.ts';

export const records: unknown[] = [
  {
    id: 'tecorigin-t100',
    vendor: 'tecorigin',
    names: { en: 'Tecorigin T100 (Taichu Yuanqi)', zh: '太初元碁 T100' },
    aliases: ['t100', 'teco-t100'],
    memoryGiB: k(64, 'TC1', 'declared', 'teco-smi reports 65536 MB per device ("TECO_AICARD_01")'),
    memoryType: null,
    memBandwidthGBps: u('n/f'),
    densePeak: peak({}),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: u('n/f (about 90 W observed at idle [TC1])'),
    formFactor: 'PCIe card',
    cardsPerServer: u(),
    software: {
      stack: 'sdaa',
      smiTool: 'teco-smi',
      k8sResources: [],
      visibilityEnv: ['SDAA_VISIBLE_DEVICES'],
      runtimeEnv: [],
      devicePaths: ['/dev/tcaicardN'],
    },
    prices: [],
    notes: [
      'T100 and I100 share one SDK (SDAA / TecoToolkit) [TC1]. Each T1xx card may expose several SPA devices (earlier reading of Tecorigin docs).',
      'Kubernetes resource name: n/f. /dev/tcaicardN is from an earlier reading, not re-verified.',
    ],
  },
];
