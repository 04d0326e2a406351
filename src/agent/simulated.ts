import type { Catalog, ChipSpec } from '../catalog/index.js';
import { invalid } from '../lib/errors.js';
import { Health, HealthBasis, emptyDevice, type DeviceRecord } from './device-record.js';

/**
 * Simulated devices for machines without accelerators (demo fleets, end-to-end tests). They come
 * from the catalog (memory and power cap as the catalog knows them, null where it does not) and
 * are always labelled: `simulated: true`, `source: "simulated"`, a model string that starts with
 * "simulated" and a uuid that starts with "SIM-".
 */
export const SIMULATED_SOURCE = 'simulated';

export interface SimulatedSpec {
  chip: ChipSpec;
  count: number;
}

/** Most simulated devices one spec may ask for; a typo like x800 should fail, not allocate. */
export const MAX_SIMULATED_DEVICES = 1024;

/**
 * Parses `simulated:<chip>x<N>[,<chip>x<N>]` (chip ids or aliases: `ascend-910bx8`, `910bx8`,
 * `nvidia-h20x2`; a missing `x<N>` means one device).
 */
export function parseSimulatedSpec(text: string, catalog: Catalog): SimulatedSpec[] {
  const m = /^\s*simulated\s*:\s*(.*)$/i.exec(text);
  if (!m) throw invalid(`--devices must look like simulated:<chip>x<N>[,<chip>x<N>] (for example simulated:ascend-910bx8); got "${text}".`, { field: 'devices' });
  const parts = (m[1] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw invalid('--devices simulated: names no chip; write for example simulated:nvidia-h20x8.', { field: 'devices' });
  const specs = parts.map((part) => {
    const counted = /^(.+?)\s*[x×*]\s*(\d+)$/i.exec(part);
    const name = counted ? (counted[1] ?? '') : part;
    const count = counted ? Number(counted[2]) : 1;
    // An id may itself end in x<digits> (none does today), so try the whole part first.
    const whole = catalog.tryResolve(part);
    const chip = whole ?? catalog.tryResolve(name);
    if (!chip) throw invalid(`--devices: unknown chip "${name}"; run \`tessera catalog list\` for the ids.`, { field: 'devices', chip: name });
    const n = whole ? 1 : count;
    if (!Number.isInteger(n) || n < 1) throw invalid(`--devices: the count for ${chip.id} must be at least 1; got ${n}.`, { field: 'devices' });
    return { chip, count: n };
  });
  const total = specs.reduce((s, x) => s + x.count, 0);
  if (total > MAX_SIMULATED_DEVICES) throw invalid(`--devices asks for ${total} simulated devices; at most ${MAX_SIMULATED_DEVICES} are allowed.`, { field: 'devices' });
  return specs;
}

/** The devices a spec describes. Indices count per vendor stack, as each vendor's runtime numbers its own devices. */
export function simulatedDevices(specs: readonly SimulatedSpec[]): DeviceRecord[] {
  const nextIndex = new Map<string, number>();
  const out: DeviceRecord[] = [];
  for (const { chip, count } of specs) {
    for (let i = 0; i < count; i++) {
      const domain = chip.software.visibilityEnv[0] ?? chip.vendor;
      const index = nextIndex.get(domain) ?? 0;
      nextIndex.set(domain, index + 1);
      const dev = emptyDevice(SIMULATED_SOURCE);
      dev.simulated = true;
      dev.index = index;
      dev.uuid = `SIM-${chip.id}-${index}`;
      dev.model = `simulated ${chip.names.en}`;
      dev.chip = chip.id;
      dev.memoryTotalMiB = chip.memoryGiB.value === null ? null : Math.round(chip.memoryGiB.value * 1024);
      // A simulated device starts idle: nothing allocated, nothing running.
      dev.memoryUsedMiB = 0;
      dev.utilizationPct = 0;
      dev.powerCapW = chip.tdpW.value;
      dev.health = Health.ok;
      dev.healthRaw = 'simulated';
      dev.healthBasis = HealthBasis.derived;
      dev.versions = { tool: null, driver: null, sdkName: chip.software.stack, sdk: null };
      out.push(dev);
    }
  }
  return out;
}
