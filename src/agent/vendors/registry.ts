import type { ParseResult } from '../device-record.js';
import { BRSMI, parseBrsmi } from './brsmi.js';
import { CNMON, parseCnmon } from './cnmon.js';
import { EFSMI, parseEfsmi } from './efsmi.js';
import { HY_SMI, parseHySmi } from './hy-smi.js';
import { IXSMI, parseIxsmi } from './ixsmi.js';
import { MTHREADS_GMI, parseMthreadsGmi } from './mthreads-gmi.js';
import { MX_SMI, parseMxSmi } from './mx-smi.js';
import { NPU_SMI, parseNpuSmi } from './npu-smi.js';
import { NVIDIA_SMI, parseNvidiaSmi } from './nvidia-smi.js';
import { PPU_SMI, parsePpuSmi } from './ppu-smi.js';
import { TECO_SMI, parseTecoSmi } from './teco-smi.js';
import { XPU_SMI, parseXpuSmi } from './xpu-smi.js';

/**
 * One entry per vendor management tool: the binaries to look for, where vendors install them
 * when they are not on PATH, the commands the agent runs (outputs are joined and parsed once,
 * since every parser reads multi-section captures), and the pure parser.
 */
export interface VendorAdapter {
  tool: string;
  vendor: string;
  binaries: readonly string[];
  installDirs: readonly string[];
  /** Argument lists to run, in order; the first must succeed, later ones add detail. */
  commands: readonly (readonly string[])[];
  parse: (text: string) => ParseResult;
}

export const ADAPTERS: readonly VendorAdapter[] = [
  { tool: NVIDIA_SMI, vendor: 'nvidia', binaries: ['nvidia-smi'], installDirs: ['/usr/bin', '/usr/local/nvidia/bin'], commands: [['-q', '-x']], parse: parseNvidiaSmi },
  { tool: PPU_SMI, vendor: 'thead', binaries: ['ppu-smi'], installDirs: ['/usr/local/PPU_SDK/bin'], commands: [[], ['-L'], ['topo', '-m']], parse: parsePpuSmi },
  { tool: NPU_SMI, vendor: 'huawei', binaries: ['npu-smi'], installDirs: ['/usr/local/Ascend/driver/tools', '/usr/local/sbin', '/usr/local/bin'], commands: [['info'], ['info', '-m']], parse: parseNpuSmi },
  { tool: MX_SMI, vendor: 'metax', binaries: ['mx-smi'], installDirs: ['/opt/mxdriver/bin', '/opt/maca/bin'], commands: [[]], parse: parseMxSmi },
  { tool: BRSMI, vendor: 'biren', binaries: ['brsmi'], installDirs: ['/usr/local/birensupa/bin', '/usr/bin'], commands: [[]], parse: parseBrsmi },
  { tool: MTHREADS_GMI, vendor: 'mthreads', binaries: ['mthreads-gmi'], installDirs: ['/usr/local/musa/bin', '/usr/bin'], commands: [[]], parse: parseMthreadsGmi },
  { tool: EFSMI, vendor: 'enflame', binaries: ['efsmi'], installDirs: ['/usr/local/efsmi', '/usr/bin'], commands: [[]], parse: parseEfsmi },
  { tool: CNMON, vendor: 'cambricon', binaries: ['cnmon'], installDirs: ['/usr/local/neuware/bin', '/usr/bin'], commands: [[]], parse: parseCnmon },
  {
    tool: HY_SMI,
    vendor: 'hygon',
    binaries: ['hy-smi', 'rocm-smi'],
    installDirs: ['/opt/hyhal/bin', '/opt/rocm/bin'],
    commands: [[], ['--showid', '--showmeminfo', 'vram', '--showpower', '--showserial', '--showuse', '--showtemp', '--showproductname', '--showuniqueid', '--json']],
    parse: parseHySmi,
  },
  { tool: XPU_SMI, vendor: 'kunlunxin', binaries: ['xpu-smi', 'xpu_smi'], installDirs: ['/usr/local/xpu/bin', '/usr/bin'], commands: [[]], parse: parseXpuSmi },
  { tool: IXSMI, vendor: 'iluvatar', binaries: ['ixsmi'], installDirs: ['/usr/local/corex/bin'], commands: [[]], parse: parseIxsmi },
  { tool: TECO_SMI, vendor: 'tecorigin', binaries: ['teco-smi'], installDirs: ['/opt/tecoai/bin', '/usr/local/teco/bin', '/usr/bin'], commands: [[]], parse: parseTecoSmi },
];

/** Other names users type for a tool (`xpu_smi`, `rocm-smi`). */
const ALIASES: Record<string, string> = { xpu_smi: XPU_SMI, 'rocm-smi': HY_SMI, 'npu-smi-info': NPU_SMI };

export function knownTools(): string[] {
  return ADAPTERS.map((a) => a.tool);
}

export function findAdapter(tool: string): VendorAdapter | undefined {
  const name = ALIASES[tool] ?? tool;
  return ADAPTERS.find((a) => a.tool === name);
}
