import type { ParseResult } from '../device-record.js';
import { mib } from './text.js';
import { column } from './box-table.js';
import { parseTableTool } from './table-tool.js';

export const EFSMI = 'efsmi';

/**
 * Enflame `efsmi`. "Mem" is the visible capacity, not usage (turning ECC on shrinks it: 49120 ->
 * 42976 MiB on an S60), so it is the total and used stays null; power is "105W  300W" without a slash.
 */
export function parseEfsmi(text: string): ParseResult {
  return parseTableTool(text, {
    source: EFSMI,
    headerStart: /\|\s*DEV\s+NAME\b/i,
    tool: /EFSMI\s+V?([\d][\w.-]*)/i,
    driver: /Driver Ver(?:sion)?:\s*V?([\w./-]+)/i,
    sdkName: 'TopsRider',
    extra: (dev, record) => {
      const mem = column(record, /^Mem$/i);
      if (mem !== undefined && !mem.includes('/')) {
        dev.memoryTotalMiB = mib(mem);
        dev.memoryUsedMiB = null;
      }
    },
  });
}
