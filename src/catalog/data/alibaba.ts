/**
 * Alibaba's openb trace (cluster-trace-gpu-v2023) names three GPU models only by code: G1, G2,
 * G3. They are undisclosed: every figure is unknown, and nothing here guesses what they are.
 */
import { link, peak, u } from './builders.js';

export const file = 'src/catalog/data/alibaba.ts';

function undisclosed(code: string): unknown {
  return {
    id: `openb-${code.toLowerCase()}`,
    vendor: 'alibaba',
    names: { en: `openb ${code} (undisclosed GPU)`, zh: `openb ${code}（未公开型号）` },
    aliases: [code.toLowerCase()],
    undisclosed: true,
    memoryGiB: u('undisclosed'),
    memoryType: null,
    memBandwidthGBps: u('undisclosed'),
    densePeak: peak({}),
    cardLink: link(null),
    hostLink: link(null),
    tdpW: u('undisclosed'),
    formFactor: null,
    cardsPerServer: u('per node in the trace itself, not a property of the model'),
    software: { stack: 'unknown', smiTool: null, k8sResources: [], visibilityEnv: [], runtimeEnv: [], devicePaths: [] },
    prices: [],
    notes: [`"${code}" is an undisclosed GPU model code in Alibaba's 2023 openb trace [OB1]; the trace gives GPU counts per node only.`],
  };
}

export const records: unknown[] = [undisclosed('G1'), undisclosed('G2'), undisclosed('G3')];
