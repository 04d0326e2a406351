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
import { captureLines } from './text.js';
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
  { tool: NVIDIA_SMI, vendor: 'nvidia', binaries: ['nvidia-smi'], installDirs: ['/usr/bin', '/usr/local/nvidia/bin'], commands: [['-q', '-x'], ['topo', '-m']], parse: parseNvidiaSmi },
  { tool: PPU_SMI, vendor: 'thead', binaries: ['ppu-smi'], installDirs: ['/usr/local/PPU_SDK/bin'], commands: [[], ['-L'], ['topo', '-m']], parse: parsePpuSmi },
  { tool: NPU_SMI, vendor: 'huawei', binaries: ['npu-smi'], installDirs: ['/usr/local/Ascend/driver/tools', '/usr/local/sbin', '/usr/local/bin'], commands: [['info'], ['info', '-m'], ['info', '-t', 'topo']], parse: parseNpuSmi },
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

export function toolAliases(): Record<string, string> {
  return { ...ALIASES };
}

export function knownTools(): string[] {
  return ADAPTERS.map((a) => a.tool);
}

export function findAdapter(tool: string): VendorAdapter | undefined {
  const name = ALIASES[tool] ?? tool;
  return ADAPTERS.find((a) => a.tool === name);
}

/** Output signatures, for reading a capture whose tool the user did not name. Most specific first. */
const SIGNATURES: [RegExp, string][] = [
  [/PPU-SMI|\bppu-smi\b|^\s*PPU\s+\d+:\s/im, PPU_SMI],
  [/NVIDIA-SMI|<nvidia_smi_log|^\s*(timestamp|index|name|uuid|pci\.bus_id|memory\.total)[^,\n]*,/im, NVIDIA_SMI],
  [/npu-smi|^\s*NPU\s+ID\s+Chip\s+ID/im, NPU_SMI],
  [/MX-SMI|MetaX System Management/i, MX_SMI],
  [/BR-SMI/i, BRSMI],
  [/mthreads-gmi/i, MTHREADS_GMI],
  [/EFSMI|Enflame System Management/i, EFSMI],
  [/CNMON/i, CNMON],
  [/XPU-SMI|\|\s*DevID\s*\|/i, XPU_SMI],
  [/IX-ML/i, IXSMI],
  [/TECO-SMI/i, TECO_SMI],
  [/^\s*(DCU|HCU)\s+Temp\b|"card\d+"\s*:/im, HY_SMI],
];

/** The tool whose output this looks like, or null. */
export function detectTool(text: string): string | null {
  const head = captureLines(text.slice(0, 64 * 1024)).join('\n');
  for (const [re, tool] of SIGNATURES) if (re.test(head)) return tool;
  return null;
}
