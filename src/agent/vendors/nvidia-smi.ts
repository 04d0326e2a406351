import { emptyVersions, type ParseResult, type SoftwareVersions } from '../device-record.js';
import { parseNvidiaCsv } from './nvidia-smi-csv.js';
import { parseNvidiaXml } from './nvidia-smi-xml.js';
import { attachMigTable, parseDeviceTable } from './nvidia-like.js';
import { captureLines, findValue } from './text.js';
import { attachTopologyMatrix } from './topo-matrix.js';
import { mergeList, parseDeviceList } from './device-list.js';
import { finishDevice } from './columns.js';
import { attachNvidiaProcesses } from './process-table.js';

export const NVIDIA_SMI = 'nvidia-smi';

/**
 * nvidia-smi in its three shapes: `-q -x` XML (what the agent runs: richest, MIG nested),
 * `--query-gpu=... --format=csv[,nounits]` (header-driven), the default table and `-L`; plus
 * the `topo -m` matrix when the capture holds it.
 */
export function parseNvidiaSmi(text: string): ParseResult {
  const lines = captureLines(text);
  const result = parseDevices(text, lines);
  // `nvidia-smi topo -m` output in the same capture adds the NVLink/PCIe matrix.
  attachTopologyMatrix(lines, result.devices, { source: NVIDIA_SMI, prefix: 'GPU', versions: result.devices[0]?.versions ?? emptyVersions(), createMissing: false }, result.warnings);
  return result;
}

function parseDevices(text: string, lines: string[]): ParseResult {
  const warnings: string[] = [];
  if (/<nvidia_smi_log\b|<gpu\s+id=/i.test(text)) return parseNvidiaXml(text, NVIDIA_SMI);
  if (lines.some((l) => /^\s*(timestamp|index|name|uuid|pci\.bus_id|memory\.total)\b[^,]*,/i.test(l))) {
    return parseNvidiaCsv(lines, NVIDIA_SMI);
  }
  const versions: SoftwareVersions = {
    tool: findValue(lines, /NVIDIA-SMI\s+(\d[\w.-]*)/i),
    driver: findValue(lines, /Driver Version:\s*([\w./-]+)/i),
    sdkName: 'CUDA',
    sdk: findValue(lines, /CUDA Version:\s*([\w./-]+)/i),
  };
  const table = parseDeviceTable(lines, { source: NVIDIA_SMI, headerStart: /\|\s*GPU\s+Name\b/i, versions }, warnings);
  const listed = parseDeviceList(lines, 'GPU', NVIDIA_SMI, versions);
  if (table === null && listed.length === 0) {
    warnings.push(`${NVIDIA_SMI}: no device table, -L list, CSV header or XML found in the output.`);
    return { devices: [], warnings };
  }
  const devices = table ?? listed.map((d) => finishDevice(d, warnings));
  attachMigTable(lines, devices, NVIDIA_SMI, warnings);
  if (table !== null) mergeList(devices, listed);
  attachNvidiaProcesses(lines, devices);
  return { devices, warnings };
}
