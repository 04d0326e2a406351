import type { Catalog, ChipSpec } from '../../catalog/index.js';
import { invalid } from '../../lib/errors.js';
import { Health, type DeviceRecord } from '../device-record.js';
import type { Registration, Telemetry } from './protocol-client.js';

/**
 * What the agent tells the control plane about its node, from the probed (or simulated) devices.
 * The protocol registers one chip type per node: when a machine holds several, the most numerous
 * is registered and the others are left out with a warning (they are not offered to the scheduler).
 */
export interface RegistrationInput {
  nodeId: string;
  cluster: string;
  rack?: string;
  labels?: Record<string, string>;
  devices: readonly DeviceRecord[];
  catalog: Catalog;
  cpuMilli?: number;
  memoryMiB?: number;
  agentVersion?: string;
}

export interface RegistrationResult {
  registration: Registration;
  chip: ChipSpec;
  /** The devices registered (the node's chip, with an index). */
  devices: DeviceRecord[];
  warnings: string[];
}

export function registrationFor(input: RegistrationInput): RegistrationResult {
  const warnings: string[] = [];
  const counts = new Map<string, number>();
  for (const d of input.devices) if (d.chip !== null && d.index !== null) counts.set(d.chip, (counts.get(d.chip) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  if (!best) {
    const unknown = input.devices.filter((d) => d.chip === null).map((d) => d.model ?? 'unknown model');
    throw invalid(
      input.devices.length === 0
        ? 'No accelerator found on this machine: no vendor tool answered. Install the vendor tool, or use --devices simulated:<chip>x<N> for a simulated node.'
        : `No device maps to a catalog chip (models: ${[...new Set(unknown)].join(', ')}); the node cannot be registered.`,
      { field: 'devices' },
    );
  }
  const chip = input.catalog.resolve(best[0]);
  const devices = input.devices.filter((d) => d.chip === chip.id && d.index !== null);
  const others = input.devices.length - devices.length;
  if (others > 0) warnings.push(`${others} device(s) are not ${chip.id} or have no index; a node registers one chip type, so they are not offered.`);
  const simulated = devices.some((d) => d.simulated);
  const registration: Registration = {
    id: input.nodeId,
    cluster: input.cluster,
    chip: chip.id,
    ...(input.rack ? { rack: input.rack } : {}),
    devices: devices.map((d) => ({
      index: d.index!,
      ...(d.uuid ? { uuid: d.uuid.slice(0, 128) } : {}),
      healthy: d.health !== Health.critical,
      ...(d.memoryTotalMiB !== null && d.memoryTotalMiB >= 0 ? { memoryMiB: d.memoryTotalMiB } : {}),
    })),
    stacks: [chip.software.stack],
    ...(input.cpuMilli !== undefined ? { cpuMilli: input.cpuMilli } : {}),
    ...(input.memoryMiB !== undefined ? { memoryMiB: input.memoryMiB } : {}),
    labels: { ...(input.labels ?? {}), ...(simulated ? { simulated: 'true' } : {}) },
    simulated,
    ...(input.agentVersion ? { agentVersion: input.agentVersion } : {}),
  };
  return { registration, chip, devices, warnings };
}

/** Heartbeat telemetry from device records; a figure the tool did not show, or one out of range, is left out. */
export function telemetryOf(devices: readonly DeviceRecord[]): Telemetry[] {
  const within = (v: number | null, lo: number, hi: number): v is number => v !== null && Number.isFinite(v) && v >= lo && v <= hi;
  return devices
    .filter((d) => d.index !== null)
    .map((d) => ({
      index: d.index!,
      ...(within(d.utilizationPct, 0, 100) ? { utilPct: d.utilizationPct } : {}),
      ...(within(d.memoryUsedMiB, 0, 10_000_000) ? { memUsedMiB: d.memoryUsedMiB } : {}),
      ...(within(d.temperatureC, -50, 200) ? { tempC: d.temperatureC } : {}),
      ...(within(d.powerW, 0, 100_000) ? { powerW: d.powerW } : {}),
      ...(d.health !== Health.unknown ? { healthy: d.health !== Health.critical } : {}),
    }));
}

/** Variables the agent holds that a task must never see (its credentials). */
const SECRET_VARIABLES = ['TESSERA_AGENT_TOKEN', 'TESSERA_ADMIN_TOKEN', 'TESSERA_TOKEN'];

/** The environment every task starts from: the agent's own, without its secrets. */
export function taskBaseEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !SECRET_VARIABLES.includes(k)) out[k] = v;
  return out;
}
