import { emptyTopology, type DeviceRecord, type ParseResult, type SoftwareVersions } from '../device-record.js';
import { finishDevice } from './columns.js';
import { headsLinkBlock, LINK_LINE, listLine, mergeList, parseDeviceList } from './device-list.js';
import { attachMigTable, parseDeviceTable } from './nvidia-like.js';
import { attachTopologyMatrix } from './topo-matrix.js';
import { attachNvidiaProcesses } from './process-table.js';
import { captureLines, findValue, int, num } from './text.js';

export const PPU_SMI = 'ppu-smi';

/**
 * T-Head `ppu-smi`, an nvidia-smi clone ("PPU-Util", "HGGC Version"). One capture may hold any of
 * its outputs: the default table, `-L` (UUIDs, MIG instances), `icn -s` (per-link ICN speed) and
 * `topo -m` (ICN1/ICN2/SYS matrix). The table (or else `-L`) lists the devices; link and topology
 * sections attach to them by UUID, or by index when they carry none.
 */
export function parsePpuSmi(text: string): ParseResult {
  const warnings: string[] = [];
  const lines = captureLines(text);
  const versions: SoftwareVersions = {
    tool: findValue(lines, /PPU-SMI\s+(\d[\w.-]*)/),
    driver: findValue(lines, /Driver Version:\s*([\w./-]+)/i),
    sdkName: 'HGGC',
    sdk: findValue(lines, /HGGC Version:\s*([\w./-]+)/i),
  };
  let devices = parseDeviceTable(lines, { source: PPU_SMI, headerStart: /\|\s*PPU\s+Name\b/i, versions }, warnings) ?? [];
  attachMigTable(lines, devices, PPU_SMI, warnings);
  attachNvidiaProcesses(lines, devices);

  const listed = parseDeviceList(lines, 'PPU', PPU_SMI, versions);
  if (devices.length === 0) devices = listed.map((d) => finishDevice(d, warnings));
  else mergeList(devices, listed);
  // A capture of `icn -s` alone still names its devices.
  if (devices.length === 0) devices = parseDeviceList(lines, 'PPU', PPU_SMI, versions, true).map((d) => finishDevice(d, warnings));
  attachIcn(lines, devices, warnings);
  attachTopologyMatrix(lines, devices, { source: PPU_SMI, prefix: 'PPU', versions, createMissing: devices.length === 0 }, warnings);
  if (devices.length === 0) warnings.push(`${PPU_SMI}: no device table, -L list or topology matrix found in the output.`);
  return { devices, warnings };
}

const LIST_LINE = listLine('PPU');

/** `ppu-smi icn -s`: per device, "Link N: 50 GB/s" or "Link N: <inactive>". */
function attachIcn(lines: readonly string[], devices: DeviceRecord[], warnings: string[]): void {
  let target: DeviceRecord | null = null;
  lines.forEach((line, i) => {
    const head = LIST_LINE.exec(line);
    if (head) {
      target = headsLinkBlock(lines, i) ? match(devices, int(head[1]), head[3] ?? null, warnings, 'icn -s') : null;
      return;
    }
    const link = LINK_LINE.exec(line);
    if (!link || target === null) return;
    const dev: DeviceRecord = target;
    const topo = (dev.topology ??= emptyTopology());
    const inactive = /inactive|down|n\/a/i.test(link[2] ?? '');
    topo.ports.push({ port: int(link[1]) ?? topo.ports.length, active: !inactive, bandwidthGBps: inactive ? null : gbps(link[2] ?? '') });
  });
}

function gbps(s: string): number | null {
  const v = num(s);
  if (v === null) return null;
  if (/Gb\/s|Gbps/.test(s)) return v / 8;
  if (/MB\/s/i.test(s)) return v / 1000;
  return v;
}

/** The device a section line names: same UUID, or same index when the section line has no UUID. */
function match(devices: DeviceRecord[], index: number | null, uuid: string | null, warnings: string[], what: string): DeviceRecord | null {
  const byUuid = uuid === null ? undefined : devices.find((d) => d.uuid === uuid);
  if (byUuid) return byUuid;
  const byIndex = devices.find((d) => d.index === index);
  if (byIndex && (byIndex.uuid === null || uuid === null)) return byIndex;
  warnings.push(`${PPU_SMI}: ${what} names PPU ${index ?? '?'}${uuid ? ` (${uuid})` : ''}, which no listed device matches; ignored.`);
  return null;
}
