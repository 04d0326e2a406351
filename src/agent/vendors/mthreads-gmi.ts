import type { ParseResult } from '../device-record.js';
import { parseTableTool } from './table-tool.js';

export const MTHREADS_GMI = 'mthreads-gmi';

/**
 * Moore Threads `mthreads-gmi`: bars only between columns, three lines per GPU, memory written
 * `0MiB(81920MiB)` (used, then total). A misconfigured host can report less than the datasheet
 * and used above total (chips.md section 4); both are kept as reported, the latter flagged.
 */
export function parseMthreadsGmi(text: string): ParseResult {
  return parseTableTool(text, {
    source: MTHREADS_GMI,
    headerStart: /^\s*ID\s+Name\b.*\|/i,
    tool: /mthreads-gmi\s*:?\s*([\d][\w.-]*)/i,
    driver: /Driver Version\s*:?\s*([\w./-]+)/i,
    sdkName: 'MUSA',
  });
}
