import type { ParseResult } from '../device-record.js';
import { parseTableTool } from './table-tool.js';

export const IXSMI = 'ixsmi';

/**
 * Iluvatar `ixsmi` (IX-ML). A BI-V150 board shows as two GPUs and reports power on one of them
 * only, so every second GPU has power "N/A / N/A": null, not 0.
 */
export function parseIxsmi(text: string): ParseResult {
  return parseTableTool(text, {
    source: IXSMI,
    headerStart: /\|\s*GPU\s+Name\b/i,
    tool: /IX-ML:?\s*(\d[\w.-]*)/i,
    driver: /Driver Version:\s*([\w./-]+)/i,
    sdkName: 'CUDA',
    sdk: /CUDA Version:\s*([\w./-]+)/i,
  });
}
