import type { ParseResult } from '../device-record.js';
import { parseTableTool } from './table-tool.js';

export const BRSMI = 'brsmi';

/** Biren `brsmi`: nvidia-smi-like with an "SVI M." (partition mode) column and temperature without a unit. */
export function parseBrsmi(text: string): ParseResult {
  return parseTableTool(text, {
    source: BRSMI,
    headerStart: /\|\s*GPU\s+Name\b/i,
    tool: /BR-SMI\s+(\d[\w.-]*)/i,
    driver: /Driver Version:\s*([\w./-]+)/i,
    sdkName: 'SUPA',
    sdk: /SUPA Version:\s*([\w./-]+)/i,
  });
}
