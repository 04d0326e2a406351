import type { ParseResult } from '../device-record.js';
import { parseTableTool } from './table-tool.js';

export const TECO_SMI = 'teco-smi';

/** Tecorigin `teco-smi`: a Health column, "SPE-Util", power without a cap, memory in MB (taken as MiB). */
export function parseTecoSmi(text: string): ParseResult {
  return parseTableTool(text, {
    source: TECO_SMI,
    headerStart: /\|\s*Index\s+Name\b/i,
    tool: /TECO-SMI:?\s*(\d[\w.-]*)/i,
    driver: /SDAADriver:?\s*([\w./-]+)/i,
    sdkName: 'SDAA',
    sdk: /SDAARuntime:?\s*([\w./-]+)/i,
  });
}
