import type { ParseResult, SoftwareVersions, DeviceRecord } from '../device-record.js';
import type { TableRecord } from './box-table.js';
import { attachMigTable, parseDeviceTable } from './nvidia-like.js';
import { attachNvidiaProcesses } from './process-table.js';
import { captureLines, findValue } from './text.js';

/** How a tool with one boxed device table is read: where its table starts and where its banner keeps versions. */
export interface TableToolSpec {
  source: string;
  headerStart: RegExp;
  tool?: RegExp;
  driver?: RegExp;
  sdkName?: string;
  sdk?: RegExp;
  /** Columns only this tool has (applied after the shared ones). */
  extra?: (dev: DeviceRecord, record: TableRecord, raw: string[]) => void;
  /** Declared device count in the banner ("Attached GPUs : 8"), checked against the rows read. */
  count?: RegExp;
  mig?: boolean;
  /** Reads an nvidia-smi style process table (device, GI, CI, PID, type, name, memory). */
  processes?: boolean;
}

/** A parser for a tool whose output is one boxed device table under a version banner. */
export function parseTableTool(text: string, spec: TableToolSpec): ParseResult {
  const warnings: string[] = [];
  const lines = captureLines(text);
  const versions: SoftwareVersions = {
    tool: spec.tool ? findValue(lines, spec.tool) : null,
    driver: spec.driver ? findValue(lines, spec.driver) : null,
    sdkName: spec.sdkName ?? null,
    sdk: spec.sdk ? findValue(lines, spec.sdk) : null,
  };
  const devices = parseDeviceTable(lines, { source: spec.source, headerStart: spec.headerStart, versions, ...(spec.extra ? { extra: spec.extra } : {}) }, warnings);
  if (devices === null) {
    warnings.push(`${spec.source}: no device table found in the output.`);
    return { devices: [], warnings };
  }
  if (spec.mig) attachMigTable(lines, devices, spec.source, warnings);
  if (spec.processes) attachNvidiaProcesses(lines, devices);
  if (spec.count) {
    const declared = Number(findValue(lines, spec.count));
    if (Number.isInteger(declared) && declared !== devices.length) warnings.push(`${spec.source}: the output says ${declared} devices but ${devices.length} were read.`);
  }
  return { devices, warnings };
}
