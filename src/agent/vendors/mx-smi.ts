import type { ParseResult } from '../device-record.js';
import { parseTableTool } from './table-tool.js';

export const MX_SMI = 'mx-smi';

/**
 * MetaX `mx-smi`. The header changes by version (2.1: "Temp Power", no state column; 2.2:
 * "Pwr:Usage/Cap" and "GPU-State"), the model is "MXC550" or "MetaX C550", and memory is written
 * `858/65536 MiB`; columns are matched by name, so both read the same.
 */
export function parseMxSmi(text: string): ParseResult {
  return parseTableTool(text, {
    source: MX_SMI,
    headerStart: /\|\s*GPU\s+NAME\b/i,
    tool: /MX-SMI\s+(\d[\w.-]*)/i,
    driver: /Kernel Mode Driver Version:\s*([\w./-]+)/i,
    sdkName: 'MACA',
    sdk: /MACA Version:\s*([\w./-]+)/i,
    count: /Attached GPUs\s*:\s*(\d+)/i,
  });
}
