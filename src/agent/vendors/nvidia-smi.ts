import type { ParseResult, SoftwareVersions } from '../device-record.js';
import { parseNvidiaCsv } from './nvidia-smi-csv.js';
import { parseNvidiaXml } from './nvidia-smi-xml.js';
import { attachMigTable, parseDeviceTable } from './nvidia-like.js';
import { captureLines, findValue } from './text.js';

export const NVIDIA_SMI = 'nvidia-smi';

/**
 * nvidia-smi in its three shapes: `-q -x` XML (what the agent runs: richest, MIG nested),
 * `--query-gpu=... --format=csv[,nounits]` (header-driven), and the default table.
 */
export function parseNvidiaSmi(text: string): ParseResult {
  const warnings: string[] = [];
  if (/<nvidia_smi_log\b|<gpu\s+id=/i.test(text)) return parseNvidiaXml(text, NVIDIA_SMI);
  const lines = captureLines(text);
  if (lines.some((l) => /^\s*(timestamp|index|name|uuid|pci\.bus_id|memory\.total)\b[^,]*,/i.test(l))) {
    return parseNvidiaCsv(lines, NVIDIA_SMI);
  }
  const versions: SoftwareVersions = {
    tool: findValue(lines, /NVIDIA-SMI\s+(\d[\w.-]*)/i),
    driver: findValue(lines, /Driver Version:\s*([\w./-]+)/i),
    sdkName: 'CUDA',
    sdk: findValue(lines, /CUDA Version:\s*([\w./-]+)/i),
  };
  const devices = parseDeviceTable(lines, { source: NVIDIA_SMI, headerStart: /\|\s*GPU\s+Name\b/i, versions }, warnings);
  if (devices === null) {
    warnings.push(`${NVIDIA_SMI}: no device table, CSV header or XML found in the output.`);
    return { devices: [], warnings };
  }
  attachMigTable(lines, devices, NVIDIA_SMI, warnings);
  return { devices, warnings };
}
