import { emptyDevice, type DeviceRecord, type Partition, type SoftwareVersions } from '../device-record.js';
import { column, readBoxTable, type TableRecord } from './box-table.js';
import { applyColumns, finishDevice } from './columns.js';
import { int, usage } from './text.js';

/**
 * The boxed device table that nvidia-smi prints and that ppu-smi, brsmi, xpu-smi, ixsmi, mx-smi,
 * cnmon, teco-smi and mthreads-gmi imitate. Adapters give the header that starts the table and
 * the versions they read from the banner; columns are matched by name (see columns.ts).
 */
export interface TableParseOptions {
  source: string;
  headerStart: RegExp;
  versions: SoftwareVersions;
  /** Tool-specific columns, applied after the shared ones. */
  extra?: (dev: DeviceRecord, record: TableRecord, raw: string[]) => void;
  stop?: RegExp;
}

export function parseDeviceTable(lines: readonly string[], options: TableParseOptions, warnings: string[]): DeviceRecord[] | null {
  const table = readBoxTable(lines, { headerStart: options.headerStart, ...(options.stop ? { stop: options.stop } : {}) });
  if (table === null) return null;
  const devices: DeviceRecord[] = [];
  table.records.forEach((record, i) => {
    const dev = emptyDevice(options.source);
    applyColumns(dev, record);
    options.extra?.(dev, record, table.rawRecords[i] ?? []);
    dev.versions = { ...options.versions };
    // A record with neither an index nor a model is a wrapped line or noise, not a device.
    if (dev.index === null && dev.model === null && dev.busId === null) {
      warnings.push(`${options.source}: skipped a table row that names no device: "${(table.rawRecords[i] ?? []).join(' ').replace(/\s+/g, ' ').trim().slice(0, 80)}"`);
      return;
    }
    devices.push(finishDevice(dev, warnings));
  });
  return devices;
}

/**
 * The "MIG devices" table nvidia-smi (and ppu-smi) print when MIG is on: one row per instance with
 * the parent GPU, GPU/compute instance ids and memory. Rows are attached to their parents.
 */
export function attachMigTable(lines: readonly string[], devices: DeviceRecord[], source: string, warnings: string[]): void {
  const start = lines.findIndex((l) => /\|\s*(GPU|PPU|XPU)\s+GI\s+CI\s+MIG\b/i.test(l));
  if (start < 0) return;
  const table = readBoxTable(lines.slice(start), { headerStart: /\bGI\b\s+\bCI\b/i });
  if (table === null) return;
  for (const record of table.records) {
    const parentIndex = int(column(record, /^(GPU|PPU|XPU)$/i));
    const parent = devices.find((d) => d.index !== null && d.index === parentIndex);
    const mem = usage(column(record, /memory-usage/i));
    const partition: Partition = {
      index: int(column(record, /^MIG$/i)),
      uuid: null,
      profile: null,
      gpuInstanceId: int(column(record, /^GI$/i)),
      computeInstanceId: int(column(record, /^CI$/i)),
      memoryTotalMiB: mem.total,
      memoryUsedMiB: mem.used,
    };
    if (parent) parent.partitions.push(partition);
    else warnings.push(`${source}: MIG row names GPU ${parentIndex ?? '?'}, which the device table does not list.`);
  }
}
