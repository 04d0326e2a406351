import { emptyDevice, type DeviceRecord, type ParseResult, type SoftwareVersions } from '../device-record.js';
import { column, readBoxTable } from './box-table.js';
import { applyColumns, finishDevice } from './columns.js';
import { isMaskedModel } from './chip-map.js';
import { captureLines, findValue, headerNames, int, usage } from './text.js';
import { attachTopologyMatrix } from './topo-matrix.js';
import { attachNpuProcesses } from './process-table.js';

export const NPU_SMI = 'npu-smi';

interface ChipMapping {
  npu: number;
  chip: number;
  logic: number | null;
  name: string;
}

/**
 * Huawei `npu-smi info` (two table rows per chip: NPU/Name/Health/Power/Temp, then
 * Chip/Bus-Id/AICore/Memory/HBM) in its newer and older layouts, and `npu-smi info -m` (NPU id,
 * chip id, logic id, chip name). A 310 card holds several chips, each its own record. The record's
 * index is the chip's logic id (what ASCEND_RT_VISIBLE_DEVICES counts): from the `info -m` mapping, else the chip's position in the table (logic ids follow table order); the
 * older layout's "Device" column (newer: "Phy-ID") is the physical id, kept as `physicalIndex`.
 */
export function parseNpuSmi(text: string): ParseResult {
  const warnings: string[] = [];
  const lines = captureLines(text);
  const versions: SoftwareVersions = {
    tool: findValue(lines, /npu-smi\s+(\d[\w.-]*)/i),
    driver: findValue(lines, /\bVersion:\s*([\w./-]+)/i),
    sdkName: 'CANN',
    sdk: null,
  };
  const mapping = parseMapping(lines);
  const table = readBoxTable(lines, { headerStart: /\|\s*NPU\s+Name\b/i });
  const devices: DeviceRecord[] = [];
  if (table !== null) {
    let inferred = false;
    table.records.forEach((record, i) => {
      const dev = emptyDevice(NPU_SMI);
      applyColumns(dev, record);
      dev.cardIndex = int(column(record, /^NPU$/i));
      dev.chipIndex = int(column(record, /^Chip$/i));
      dev.physicalIndex = int(column(record, /^(Device|Phy-?ID|Chip Phy-?ID)$/i));
      const mapped = mapping.find((m) => m.npu === dev.cardIndex && m.chip === dev.chipIndex);
      // Logic ids are handed out in table order (NPU id, then chip id); without `info -m` the
      // position is the logic id. It only differs from the NPU id for multi-chip cards or gaps.
      if (mapped && mapped.logic !== null) dev.index = mapped.logic;
      else {
        dev.index = devices.length;
        if (dev.index !== dev.cardIndex) inferred = true;
      }
      if (mapped && (dev.model === null || isMaskedModel(dev.model))) dev.model = mapped.name;
      // HBM is the device memory where the chip has it; "Memory-Usage" is then the control CPU's DDR.
      const hbm = usage(column(record, /^HBM-Usage/i));
      if (hbm.total !== null && hbm.total > 0) {
        dev.memoryTotalMiB = hbm.total;
        dev.memoryUsedMiB = hbm.used;
      } else if (dev.memoryTotalMiB === 0) {
        dev.memoryTotalMiB = null;
        dev.memoryUsedMiB = null;
      }
      dev.versions = { ...versions };
      if (dev.cardIndex === null && dev.model === null && dev.busId === null) {
        warnings.push(`${NPU_SMI}: skipped a table row that names no NPU: "${(table.rawRecords[i] ?? []).join(' ').replace(/\s+/g, ' ').trim().slice(0, 80)}"`);
        return;
      }
      devices.push(finishDevice(dev, warnings));
    });
    if (inferred) warnings.push(`${NPU_SMI}: logic ids taken from table order (add the output of 'npu-smi info -m' to read them).`);
  } else {
    for (const m of mapping) {
      const dev = emptyDevice(NPU_SMI);
      dev.index = m.logic;
      dev.cardIndex = m.npu;
      dev.chipIndex = m.chip;
      dev.model = m.name;
      dev.versions = { ...versions };
      devices.push(finishDevice(dev, warnings));
    }
  }
  attachNpuProcesses(lines, devices);
  // `npu-smi info -t topo` in the same capture adds the HCCS/PCIe matrix.
  attachTopologyMatrix(lines, devices, { source: NPU_SMI, prefix: 'NPU', versions, createMissing: false }, warnings);
  if (devices.length === 0) warnings.push(`${NPU_SMI}: no 'npu-smi info' table or 'info -m' mapping found in the output.`);
  return { devices, warnings };
}

/** `npu-smi info -m`: NPU ID, Chip ID, Chip Logic ID, Chip Name; MCU rows (logic id "-") are not compute chips. */
function parseMapping(lines: readonly string[]): ChipMapping[] {
  const at = lines.findIndex((l) => /NPU\s*ID\s+Chip\s*ID\b/i.test(l));
  if (at < 0) return [];
  const names = headerNames(lines[at] ?? '');
  const npuCol = names.findIndex((n) => /^NPU\s*ID$/i.test(n));
  const chipCol = names.findIndex((n) => /^Chip\s*ID$/i.test(n));
  const logicCol = names.findIndex((n) => /logic/i.test(n));
  const nameCol = names.findIndex((n) => /chip\s*name/i.test(n));
  const out: ChipMapping[] = [];
  for (const line of lines.slice(at + 1)) {
    const tokens = line.trim().split(/\s+/);
    if (tokens.length < names.length || !/^\d+$/.test(tokens[0] ?? '')) {
      if (line.trim() === '' || /^https?:/i.test(line.trim())) continue;
      if (!/^\d/.test(line.trim())) break;
      continue;
    }
    // The name column is last and may hold spaces ("Ascend 910A"): it takes the remaining tokens.
    const fixed = tokens.slice(0, names.length - 1);
    const name = tokens.slice(names.length - 1).join(' ');
    const cell = (col: number): string | undefined => (col === names.length - 1 ? name : fixed[col]);
    const npu = int(cell(npuCol));
    const chip = int(cell(chipCol));
    const logicText = cell(logicCol);
    if (npu === null || chip === null || logicText === undefined || /^-$/.test(logicText) || /mcu/i.test(name)) continue;
    out.push({ npu, chip, logic: int(logicText), name: nameCol >= 0 ? (cell(nameCol) ?? name) : name });
  }
  return out;
}
