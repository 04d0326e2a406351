import { DeviceFlag, Health, HealthBasis, type DeviceRecord } from '../device-record.js';
import type { TableRecord } from './box-table.js';
import { chipForDevice, isMaskedModel } from './chip-map.js';
import { celsius, int, isNotAvailable, pct, splitPair, usage, watts } from './text.js';

/**
 * Header names the nvidia-smi family of tables share (nvidia-smi, ppu-smi, brsmi, xpu-smi, ixsmi,
 * mx-smi, cnmon, teco-smi, mthreads-gmi, efsmi), mapped to device fields. Tools with a column of
 * their own handle it in their adapter after this runs.
 */
type Setter = (dev: DeviceRecord, value: string) => void;

const BUS_ID = /^(?:[0-9a-f]{1,8}:)?[0-9a-f]{1,2}:[0-9a-f]{1,2}\.[0-7]$/i;

const RULES: [RegExp, Setter][] = [
  [/^(gpu|ppu|xpu|npu|dev|devid|card|index|id|dcu|mlu|device)$/i, (d, v) => (d.index = int(v))],
  [/^(name|model)$/i, (d, v) => (d.model = isNotAvailable(v) && !/^x+$/i.test(v.trim()) ? null : v.trim())],
  [/^temp/i, (d, v) => (d.temperatureC = celsius(v))],
  [
    /^(pwr|power)\s*[:(]?\s*usage\s*\/\s*cap\)?$/i,
    (d, v) => {
      const pair = splitPair(v);
      d.powerW = watts(pair ? pair[0] : v);
      d.powerCapW = pair ? watts(pair[1]) : null;
    },
  ],
  [/^(pwr\s*usage|power|power\(w\)|avgpwr|pwr)$/i, (d, v) => (d.powerW = watts(v))],
  [/^(pwrcap|power\s*cap|pwr\s*cap)$/i, (d, v) => (d.powerCapW = watts(v))],
  [
    /^(memory-usage|memory\s*usage|mem|memory|memory-usage\(mb\))$/i,
    (d, v) => {
      const u = usage(v);
      d.memoryUsedMiB = u.used;
      d.memoryTotalMiB = u.total;
    },
  ],
  [/^((gpu|ppu|xpu|spe|dcu|mlu|npu)-?util|util|%gpu|dused|userate|dcu%|aicore\(%\))$/i, (d, v) => (d.utilizationPct = pct(v))],
  [/^(bus-?id|pci\s*addr|pcie|pci\s*bus\s*id)$/i, (d, v) => (d.busId = BUS_ID.test(v.trim()) ? v.trim() : null)],
  [/volatile\s*uncorr|^ecc-?error/i, (d, v) => (d.errors.eccUncorrectedVolatile = int(v))],
  [/^ecc(\s*mode)?$/i, (d, v) => (d.errors.eccMode = v.trim() === '' || /^n\/a$/i.test(v.trim()) ? null : v.trim())],
  [/^(health|gpu-state|state)$/i, (d, v) => setHealth(d, v)],
  [/^(sn|serial|serial number)$/i, (d, v) => (d.serial = isNotAvailable(v) ? null : v.trim())],
];

/** Fills the fields whose header names the table family shares. */
export function applyColumns(dev: DeviceRecord, record: TableRecord): void {
  for (const [name, value] of record) {
    const rule = RULES.find(([re]) => re.test(name.trim()));
    if (rule) rule[1](dev, value);
  }
}

/** Maps printed health text to the four levels; the text is kept as printed. */
export function healthFrom(raw: string): Health {
  const t = raw.trim();
  if (/^(ok|normal|healthy|available|good|pass(ed)?)$/i.test(t)) return Health.ok;
  if (/warn|minor|degraded/i.test(t)) return Health.warning;
  if (/alarm|critical|error|fault|fail|lost|unavailable|abnormal|major|fatal/i.test(t)) return Health.critical;
  return Health.unknown;
}

export function setHealth(dev: DeviceRecord, raw: string): void {
  if (isNotAvailable(raw)) return;
  dev.healthRaw = raw.trim();
  dev.health = healthFrom(raw);
  dev.healthBasis = HealthBasis.reported;
}

/**
 * Completes a record: maps the model to a chip id, derives health from error counters when the
 * tool prints no health column, and flags anomalies without changing the reported figures.
 */
export function finishDevice(dev: DeviceRecord, warnings: string[]): DeviceRecord {
  if (dev.model !== null) {
    dev.chip = chipForDevice(dev.model, dev.source, dev.memoryTotalMiB);
    if (dev.chip === null) {
      const masked = isMaskedModel(dev.model);
      addFlag(dev, masked ? DeviceFlag.modelMasked : DeviceFlag.modelUnknown);
      warnings.push(`${dev.source}: device ${dev.index ?? '?'}: model "${dev.model}" ${masked ? 'is masked' : 'is not in the chip map'}; chip left null.`);
    }
  }
  if (dev.healthBasis === HealthBasis.none) {
    const ecc = dev.errors.eccUncorrectedVolatile;
    if (ecc !== null) {
      dev.health = ecc > 0 ? Health.warning : Health.ok;
      dev.healthBasis = HealthBasis.derived;
    }
  }
  if (dev.memoryUsedMiB !== null && dev.memoryTotalMiB !== null && dev.memoryUsedMiB > dev.memoryTotalMiB) {
    addFlag(dev, DeviceFlag.usedExceedsTotal);
    warnings.push(`${dev.source}: device ${dev.index ?? '?'}: memory used ${dev.memoryUsedMiB} MiB exceeds the reported total ${dev.memoryTotalMiB} MiB; kept as reported.`);
  }
  return dev;
}

export function addFlag(dev: DeviceRecord, flag: DeviceFlag): void {
  if (!dev.flags.includes(flag)) dev.flags.push(flag);
}
