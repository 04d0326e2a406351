/** Alibaba's openb GPU trace (2023): node and pod lists parsed from text, model names mapped to chip ids. */
export { parseOpenbNodes, type OpenbNode } from './nodes.js';
export { parseOpenbPods, totalMilli, type OpenbPod } from './pods.js';
export { openbChip } from './chips.js';
export { parseCsv, type CsvRow } from './csv.js';
