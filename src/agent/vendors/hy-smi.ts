import { emptyDevice, type DeviceRecord, type ParseResult, type SoftwareVersions } from '../device-record.js';
import { chipForModel } from './chip-map.js';
import { finishDevice } from './columns.js';
import { captureLines, celsius, findValue, int, isNotAvailable, mib, pct, watts } from './text.js';

export const HY_SMI = 'hy-smi';

/**
 * Hygon DCU: `hy-smi` (a whitespace table: DCU/HCU, Temp, AvgPwr, Perf, PwrCap, VRAM%, DCU%, Mode;
 * it shows no model and no memory size) and the rocm-smi-compatible JSON of `hy-smi --json` /
 * `rocm-smi --json` (keys "card0", "Card Series", "vram Total Memory (MiB)", ...). Both may be in
 * one capture; they merge by card index.
 */
export function parseHySmi(text: string): ParseResult {
  const warnings: string[] = [];
  const lines = captureLines(text);
  const versions: SoftwareVersions = { tool: null, driver: findValue(lines, /Driver version:?\s*([\w./-]+)/i), sdkName: 'DTK', sdk: null };
  const table = parseWhitespaceTable(lines, versions);
  const json = parseJson(lines.join('\n'), versions, warnings);
  const devices: DeviceRecord[] = [...table];
  for (const j of json) {
    const t = devices.find((d) => d.index !== null && d.index === j.index);
    if (!t) {
      devices.push(j);
      continue;
    }
    for (const key of Object.keys(j) as (keyof DeviceRecord)[]) {
      if (t[key] === null && j[key] !== null) Object.assign(t, { [key]: j[key] });
    }
    const gfx = gfxOf.get(j);
    if (gfx !== undefined) gfxOf.set(t, gfx);
  }
  for (const d of devices) {
    finishDevice(d, warnings);
    // A masked or missing series name still has an ISA name: gfx928 is the K100_AI (chips.md section 4, Y4).
    const gfx = gfxOf.get(d);
    if (d.chip === null && gfx) {
      d.chip = chipForModel(gfx, HY_SMI);
      if (d.chip !== null) warnings.push(`${HY_SMI}: device ${d.index ?? '?'}: chip ${d.chip} taken from GFX version ${gfx}.`);
    }
  }
  if (devices.length === 0) warnings.push(`${HY_SMI}: no device table or JSON device keys found in the output.`);
  return { devices, warnings };
}

function parseWhitespaceTable(lines: readonly string[], versions: SoftwareVersions): DeviceRecord[] {
  const at = lines.findIndex((l) => /^\s*(DCU|HCU|GPU)\s+Temp\b/i.test(l));
  if (at < 0) return [];
  const names = (lines[at] ?? '').trim().split(/\s+/);
  const out: DeviceRecord[] = [];
  for (const line of lines.slice(at + 1)) {
    if (/^\s*=+/.test(line) || line.trim() === '') break;
    const cells = line.trim().split(/\s+/);
    if (!/^\d+$/.test(cells[0] ?? '')) continue;
    const dev = emptyDevice(HY_SMI);
    names.forEach((name, i) => {
      const v = cells[i];
      if (v === undefined) return;
      if (/^(DCU|HCU|GPU)$/i.test(name)) dev.index = int(v);
      else if (/^Temp/i.test(name)) dev.temperatureC = celsius(v);
      else if (/^(AvgPwr|Power|Pwr)$/i.test(name)) dev.powerW = watts(v);
      else if (/^PwrCap$/i.test(name)) dev.powerCapW = watts(v);
      else if (/^(DCU|HCU|GPU)%$/i.test(name)) dev.utilizationPct = pct(v);
    });
    dev.versions = { ...versions };
    out.push(dev);
  }
  return out;
}

/** The JSON object in the capture (rocm-smi prints one object keyed "card0", "card1", ... and "system"). */
/** GFX (ISA) version per JSON record, for the chip when the series name is masked. */
const gfxOf = new WeakMap<DeviceRecord, string>();

function parseJson(text: string, versions: SoftwareVersions, warnings: string[]): DeviceRecord[] {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(text.slice(start, end + 1));
  } catch {
    warnings.push(`${HY_SMI}: the JSON part of the output does not parse; ignored.`);
    return [];
  }
  if (typeof doc !== 'object' || doc === null) return [];
  const entries = Object.entries(doc as Record<string, unknown>);
  const system = entries.find(([k]) => /^system$/i.test(k))?.[1];
  const driver = isRecord(system) ? str(system, /driver version/i) : null;
  const out: DeviceRecord[] = [];
  for (const [key, value] of entries) {
    const card = /^card(\d+)$/i.exec(key);
    if (!card || !isRecord(value)) continue;
    const dev = emptyDevice(HY_SMI);
    dev.index = int(card[1]);
    dev.model = str(value, /^card series$/i) ?? str(value, /^device name$/i) ?? str(value, /^card (model|sku)$/i);
    const gfx = str(value, /^gfx version$/i);
    if (gfx !== null) gfxOf.set(dev, gfx);
    dev.serial = str(value, /^serial number$/i);
    dev.uuid = str(value, /^unique id$/i);
    dev.busId = str(value, /^pci bus$/i);
    dev.temperatureC = celsius(str(value, /^temperature \(sensor edge\)/i) ?? str(value, /^temperature \(sensor junction\)/i));
    dev.powerW = watts(str(value, /(average|current socket) graphics package power/i));
    dev.powerCapW = watts(str(value, /^max graphics package power/i));
    dev.utilizationPct = pct(str(value, /^(dcu|gpu|hcu) use \(%\)$/i));
    dev.memoryTotalMiB = memory(value, /^vram total memory \((\w+)\)$/i);
    dev.memoryUsedMiB = memory(value, /^vram total used memory \((\w+)\)$/i);
    dev.versions = { ...versions, driver: driver ?? versions.driver };
    out.push(dev);
  }
  return out;
}

function memory(obj: Record<string, unknown>, re: RegExp): number | null {
  for (const [k, v] of Object.entries(obj)) {
    const m = re.exec(k);
    if (!m || typeof v !== 'string' && typeof v !== 'number') continue;
    const unit = (m[1] ?? 'MiB').toUpperCase();
    const n = mib(String(v));
    if (n === null) return null;
    if (unit === 'B') return Math.round((n / (1024 * 1024)) * 1000) / 1000;
    if (unit === 'KIB' || unit === 'KB') return Math.round((n / 1024) * 1000) / 1000;
    if (unit === 'GIB' || unit === 'GB') return n * 1024;
    return n;
  }
  return null;
}

function str(obj: Record<string, unknown>, re: RegExp): string | null {
  for (const [k, v] of Object.entries(obj)) {
    if (!re.test(k)) continue;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string' && !isNotAvailable(v)) return v.trim();
  }
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
