import { emptyDevice, type DeviceRecord, type ParseResult } from '../device-record.js';
import { finishDevice } from './columns.js';
import { celsius, int, isNotAvailable, mib, pct, watts } from './text.js';

/**
 * `nvidia-smi --query-gpu=<fields> --format=csv[,noheader][,nounits]`: every value is found by its
 * header name, so any field list and any order works; fields not asked for stay null. Without a
 * header line (`noheader`) the fields cannot be named, so nothing is guessed.
 */
export function parseNvidiaCsv(lines: readonly string[], source: string): ParseResult {
  const warnings: string[] = [];
  const devices: DeviceRecord[] = [];
  let header: string[] | null = null;
  let declaredCount: number | null = null;
  for (const line of lines) {
    // CSV output has no blank lines: one ends the block (a `topo -m` matrix may follow).
    if (line.trim() === '') {
      if (devices.length > 0) header = null;
      continue;
    }
    if (!line.includes(',')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.some((c) => /^(index|name|uuid|pci\.bus_id|memory\.total|timestamp)(\s*\[.*\])?$/i.test(c))) {
      header = cells.map((c) => c.replace(/\s*\[.*\]$/, '').toLowerCase());
      continue;
    }
    if (header === null) continue;
    if (cells.length !== header.length) {
      warnings.push(`${source}: a CSV row has ${cells.length} values for ${header.length} header fields; values matched by position as far as they go.`);
    }
    const row = new Map<string, string>();
    header.forEach((h, i) => row.set(h, cells[i] ?? ''));
    const get = (...names: string[]): string | null => {
      for (const n of names) {
        const v = row.get(n);
        if (v !== undefined && !isNotAvailable(v)) return v;
      }
      return null;
    };
    const dev = emptyDevice(source);
    dev.index = int(get('index'));
    dev.uuid = get('uuid');
    dev.serial = get('serial');
    dev.model = get('name');
    dev.busId = get('pci.bus_id');
    dev.memoryTotalMiB = mib(get('memory.total'));
    dev.memoryUsedMiB = mib(get('memory.used'));
    dev.utilizationPct = pct(get('utilization.gpu'));
    dev.temperatureC = celsius(get('temperature.gpu'));
    dev.powerW = watts(get('power.draw', 'power.draw.instant', 'power.draw.average'));
    dev.powerCapW = watts(get('enforced.power.limit', 'power.limit'));
    dev.errors.eccUncorrectedVolatile = int(get('ecc.errors.uncorrected.volatile.total'));
    dev.errors.eccCorrectedVolatile = int(get('ecc.errors.corrected.volatile.total'));
    dev.errors.eccUncorrectedAggregate = int(get('ecc.errors.uncorrected.aggregate.total'));
    dev.errors.eccCorrectedAggregate = int(get('ecc.errors.corrected.aggregate.total'));
    dev.errors.eccMode = get('ecc.mode.current');
    dev.versions = { tool: null, driver: get('driver_version'), sdkName: 'CUDA', sdk: null };
    declaredCount = int(get('count')) ?? declaredCount;
    if (dev.index === null && dev.model === null && dev.uuid === null && dev.busId === null) {
      warnings.push(`${source}: skipped a CSV row that names no device.`);
      continue;
    }
    devices.push(finishDevice(dev, warnings));
  }
  if (header === null && devices.length === 0) warnings.push(`${source}: CSV output without a header line; fields cannot be named (run without noheader).`);
  if (declaredCount !== null && declaredCount !== devices.length) {
    warnings.push(`${source}: the output says ${declaredCount} GPUs but ${devices.length} rows were read.`);
  }
  return { devices, warnings };
}
