import type { ParseResult } from '../device-record.js';
import { parseTableTool } from './table-tool.js';
import { captureLines } from './text.js';

export const XPU_SMI = 'xpu-smi';

/**
 * Kunlunxin `xpu-smi` (docs also write `xpu_smi`) in its two layouts: the newer nvidia-smi-like
 * box (P800: "XPU-Util", an L3-Usage line) and the legacy one-row-per-device table (R200/R300:
 * DevID, PCI Addr, Model, SN, UseRate, L3, Memory) followed by VIDEO and PROCESSES tables.
 */
export function parseXpuSmi(text: string): ParseResult {
  const legacy = captureLines(text).some((l) => /\|\s*DevID\s*\|/i.test(l));
  if (legacy) {
    return parseTableTool(text, {
      source: XPU_SMI,
      headerStart: /\|\s*DevID\s*\|/i,
      driver: /^\s*Driver Version:\s*([\w./-]+)/i,
      sdkName: 'XPU-RT',
      sdk: /^\s*Runtime Version:\s*([\w./-]+)/i,
    });
  }
  return parseTableTool(text, {
    source: XPU_SMI,
    headerStart: /\|\s*XPU\s+Name\b/i,
    tool: /XPU-SMI\s+v?(\d[\w.-]*)/i,
    driver: /Driver Version:\s*([\w./-]+)/i,
    sdkName: 'XPU-RT',
    sdk: /XPU-RT Version:\s*([\w./-]+)/i,
    mig: true,
    processes: true,
  });
}
