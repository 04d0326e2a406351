/**
 * The one device record every vendor adapter produces. Contract: a field the tool did not show
 * is `null`, never 0; numbers are finite (no NaN/Infinity); values are kept as the tool reported
 * them (memory below the datasheet value stays as reported, used above total stays and is flagged).
 */
export const Health = {
  ok: 'ok',
  warning: 'warning',
  critical: 'critical',
  unknown: 'unknown',
} as const;
export type Health = (typeof Health)[keyof typeof Health];

/** Where `health` came from: a health column the tool prints, error counters, or nothing. */
export const HealthBasis = {
  reported: 'reported',
  derived: 'derived',
  none: 'none',
} as const;
export type HealthBasis = (typeof HealthBasis)[keyof typeof HealthBasis];

/** Anomalies a parser noticed in one device's figures; the figures themselves are left as reported. */
export const DeviceFlag = {
  usedExceedsTotal: 'used-exceeds-total',
  memoryBelowCatalog: 'memory-below-catalog',
  modelUnknown: 'model-unknown',
  modelMasked: 'model-masked',
} as const;
export type DeviceFlag = (typeof DeviceFlag)[keyof typeof DeviceFlag];

export interface DeviceErrors {
  /** Uncorrected ECC errors since the driver loaded (nvidia-smi "Volatile Uncorr. ECC", cnmon "Ecc-Error"). */
  eccUncorrectedVolatile: number | null;
  eccCorrectedVolatile: number | null;
  eccUncorrectedAggregate: number | null;
  eccCorrectedAggregate: number | null;
  /** ECC mode as printed ("Enabled", "Disable", "On-die, EDC"), or null. */
  eccMode: string | null;
}

/** One peer relation from a topology matrix (`topo -m`): `link` as printed (ICN1, NV12, SYS, HCCS). */
export interface PeerLink {
  peerIndex: number;
  link: string;
}

/** One physical link port of a device (`ppu-smi icn -s`). */
export interface LinkPort {
  port: number;
  active: boolean;
  bandwidthGBps: number | null;
}

export interface Topology {
  peers: PeerLink[];
  ports: LinkPort[];
  cpuAffinity: string | null;
  numaNode: number | null;
}

/** A partition of a device (NVIDIA/PPU MIG instance), nested under its parent. */
export interface Partition {
  index: number | null;
  uuid: string | null;
  /** Profile as printed, e.g. `g1.c1.i1`, or null. */
  profile: string | null;
  gpuInstanceId: number | null;
  computeInstanceId: number | null;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
}

/** A process the tool lists on a device (nvidia-smi style process tables, npu-smi). */
export interface DeviceProcess {
  pid: number;
  name: string | null;
  memoryUsedMiB: number | null;
}

export interface SoftwareVersions {
  /** Version of the management tool itself (PPU-SMI 1.17, npu-smi 23.0.7). */
  tool: string | null;
  driver: string | null;
  /** Name of the SDK/runtime whose version the tool prints (CUDA, HGGC, MACA, SUPA, XPU-RT, SDAARuntime). */
  sdkName: string | null;
  sdk: string | null;
}

export interface DeviceRecord {
  /** Index the vendor's visibility variable uses (logic id for Ascend), or null when not shown. */
  index: number | null;
  /** Card number and chip number within the card, where the tool distinguishes them (npu-smi). */
  cardIndex: number | null;
  chipIndex: number | null;
  /** Physical id where the tool prints one apart from the index (npu-smi "Device"/"Phy-ID": the N of /dev/davinciN). */
  physicalIndex: number | null;
  uuid: string | null;
  serial: string | null;
  /** Model string as printed. */
  model: string | null;
  /** Catalog chip id, or null when the model is unknown or masked. */
  chip: string | null;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  utilizationPct: number | null;
  temperatureC: number | null;
  powerW: number | null;
  powerCapW: number | null;
  health: Health;
  /** Health text as printed (`OK`, `Warning`, `Available`), or null. */
  healthRaw: string | null;
  healthBasis: HealthBasis;
  errors: DeviceErrors;
  /** PCI bus id as printed (`00000000:83:00.0`, `0000:c1:00.0`, `00:01:00.0`). */
  busId: string | null;
  topology: Topology | null;
  partitions: Partition[];
  /** Processes the tool lists on this device; empty when none run or the tool has no process table. */
  processes: DeviceProcess[];
  versions: SoftwareVersions;
  flags: DeviceFlag[];
  simulated: boolean;
  /** The tool (or `simulated`) that produced this record. */
  source: string;
}

/** What every parser returns; parsers never throw. */
export interface ParseResult {
  devices: DeviceRecord[];
  warnings: string[];
}

export function emptyErrors(): DeviceErrors {
  return { eccUncorrectedVolatile: null, eccCorrectedVolatile: null, eccUncorrectedAggregate: null, eccCorrectedAggregate: null, eccMode: null };
}

export function emptyVersions(): SoftwareVersions {
  return { tool: null, driver: null, sdkName: null, sdk: null };
}

/** A record with every field unknown; parsers fill what their tool shows. */
export function emptyDevice(source: string): DeviceRecord {
  return {
    index: null,
    cardIndex: null,
    chipIndex: null,
    physicalIndex: null,
    uuid: null,
    serial: null,
    model: null,
    chip: null,
    memoryTotalMiB: null,
    memoryUsedMiB: null,
    utilizationPct: null,
    temperatureC: null,
    powerW: null,
    powerCapW: null,
    health: Health.unknown,
    healthRaw: null,
    healthBasis: HealthBasis.none,
    errors: emptyErrors(),
    busId: null,
    topology: null,
    partitions: [],
    processes: [],
    versions: emptyVersions(),
    flags: [],
    simulated: false,
    source,
  };
}

export function emptyTopology(): Topology {
  return { peers: [], ports: [], cpuAffinity: null, numaNode: null };
}

/**
 * Canonical PCI address for de-duplication: lower case, 4-digit domain (`00000000:83:00.0` and
 * `0000:83:00.0` are the same device; efsmi's `00:01:00.0` gains a `0000:` domain).
 */
export function normalizeBusId(busId: string | null): string | null {
  if (busId === null) return null;
  const m = /^(?:([0-9a-f]{1,8}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(busId.trim());
  if (!m) return null;
  const domain = (m[1] ?? '0').replace(/^0+(?=.)/, '').padStart(4, '0').toLowerCase();
  return `${domain}:${(m[2] ?? '').padStart(2, '0').toLowerCase()}:${(m[3] ?? '').padStart(2, '0').toLowerCase()}.${m[4] ?? '0'}`;
}
