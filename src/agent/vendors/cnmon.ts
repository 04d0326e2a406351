import type { ParseResult } from '../device-record.js';
import { parseTableTool } from './table-tool.js';

export const CNMON = 'cnmon';

/**
 * Cambricon `cnmon`. It lists MLU chips, not cards: an MLU370-X8 card shows as two rows of
 * 23374 MiB. Documents mask models and totals ("MLUXXX-XX", "xxxxx MiB"); those stay null.
 */
export function parseCnmon(text: string): ParseResult {
  return parseTableTool(text, {
    source: CNMON,
    headerStart: /\|\s*Card\b.*\bName\b/i,
    tool: /CNMON\s+v?([\d][\w.-]*)/i,
    driver: /Driver\s+v?([\d][\w.-]*)/i,
    sdkName: 'NeuWare',
  });
}
