/**
 * Vendor tool adapters: one pure parser per management tool (string in, `{devices, warnings}` out,
 * never throws), the model -> catalog chip map, and the registry the prober walks.
 */
export { ADAPTERS, detectTool, findAdapter, knownTools, toolAliases, type VendorAdapter } from './registry.js';
export { CHIP_RULES, chipForDevice, chipForModel, isMaskedModel, type ChipRule } from './chip-map.js';
export { parseNvidiaSmi } from './nvidia-smi.js';
export { parsePpuSmi } from './ppu-smi.js';
export { parseNpuSmi } from './npu-smi.js';
export { parseMxSmi } from './mx-smi.js';
export { parseBrsmi } from './brsmi.js';
export { parseMthreadsGmi } from './mthreads-gmi.js';
export { parseEfsmi } from './efsmi.js';
export { parseCnmon } from './cnmon.js';
export { parseHySmi } from './hy-smi.js';
export { parseXpuSmi } from './xpu-smi.js';
export { parseIxsmi } from './ixsmi.js';
export { parseTecoSmi } from './teco-smi.js';
