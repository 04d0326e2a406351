import type { ChipSpec, SoftwareStack } from '../catalog/index.js';
import { invalid } from '../lib/errors.js';

/**
 * The environment a task runs in on one machine, from the chip's catalog record (visibility
 * variables, runtime variables, device node patterns), the device indices the scheduler assigned
 * and the task's rank. Pure: the agent turns the result into a child process or a container.
 *
 * Index spaces: as a child process the task sees every device of the host, so the visibility
 * variables carry host indices. A container that receives only the assigned devices (per-device
 * nodes, or `--gpus`) sees them numbered from 0, so there the container-runtime variable
 * (NVIDIA_VISIBLE_DEVICES, ASCEND_VISIBLE_DEVICES, ...) carries host indices and the process
 * variable 0..n-1; a container given only shared nodes sees every device and keeps host indices.
 */
export const Runtime = {
  process: 'process',
  docker: 'docker',
  containerd: 'containerd',
} as const;
export type Runtime = (typeof Runtime)[keyof typeof Runtime];

export interface RankInfo {
  masterAddr: string;
  masterPort: number;
  worldSize: number;
  rank: number;
  localRank: number;
  nodeRank: number;
  /** Processes on this node (torchrun's LOCAL_WORLD_SIZE), when known. */
  localWorldSize?: number;
}

export interface RunEnvInput {
  chip: ChipSpec;
  /** Host device indices assigned to this task (the vendor tool's index; the logic id for Ascend). */
  devices: readonly number[];
  /**
   * Physical ids of the same devices, in the same order, where they differ from the indices
   * (`physicalIndex` of the device record: an Ascend 310's logic ids 0..3 may be /dev/davinci3..6).
   * Device nodes and the container-runtime variable use them.
   */
  physicalIds?: readonly number[];
  rank?: RankInfo;
  runtime?: Runtime;
  /** Container image for the chip's software stack (required for docker/containerd). */
  image?: string;
  command?: readonly string[];
  /** Extra variables the job declared; they never override the ones computed here. */
  jobEnv?: Readonly<Record<string, string>>;
}

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

export interface ContainerSpec {
  program: 'docker' | 'nerdctl';
  devices: string[];
  mounts: Mount[];
  env: Record<string, string>;
  /** The full argument list after the program name: `run --rm ... <image> <command...>`. */
  args: string[];
}

export interface RunEnv {
  /** Variables for the task's process (inside the container when there is one). */
  env: Record<string, string>;
  container: ContainerSpec | null;
  /** What could not be set up from known facts (unknown device nodes, no visibility variable). */
  notes: string[];
}

/**
 * Device nodes, mounts and flags each software stack needs in a container beyond the catalog's
 * per-device nodes. Sources: Ascend docker run examples (mindspore model_zoo docker_start.sh,
 * MindIE install notes: davinci_manager, devmm_svm, hisi_hdc, /usr/local/Ascend/driver, dcmi,
 * npu-smi); Hygon DTK containers (/dev/kfd, /dev/dri, /dev/mkfd, /opt/hyhal, group video);
 * Cambricon modelzoo run_docker.sh (/dev/cambricon_devN, /dev/cambricon_ctl). NVIDIA-style
 * stacks go through the NVIDIA container runtime (`--gpus`).
 */
interface StackContainerFacts {
  sharedDevices: string[];
  perDevice: string[];
  mounts: Mount[];
  flags: string[];
  /** Uses `--gpus device=...` (NVIDIA container toolkit) instead of device nodes. */
  gpusFlag?: boolean;
}

const ro = (path: string): Mount => ({ source: path, target: path, readOnly: true });

const STACK_FACTS: Partial<Record<SoftwareStack, StackContainerFacts>> = {
  cuda: { sharedDevices: [], perDevice: [], mounts: [], flags: [], gpusFlag: true },
  cann: {
    sharedDevices: ['/dev/davinci_manager', '/dev/devmm_svm', '/dev/hisi_hdc'],
    perDevice: [],
    mounts: [ro('/usr/local/Ascend/driver'), ro('/usr/local/dcmi'), ro('/usr/local/bin/npu-smi'), ro('/etc/ascend_install.info')],
    flags: [],
  },
  dtk: { sharedDevices: ['/dev/kfd', '/dev/dri', '/dev/mkfd'], perDevice: [], mounts: [ro('/opt/hyhal')], flags: ['--group-add', 'video'] },
  neuware: { sharedDevices: ['/dev/cambricon_ctl'], perDevice: ['/dev/cambricon_devN'], mounts: [], flags: [] },
};

export function runEnv(input: RunEnvInput): RunEnv {
  const { chip } = input;
  const runtime = input.runtime ?? Runtime.process;
  const notes: string[] = [];
  validateDevices(input.devices);
  if (input.physicalIds !== undefined) {
    validateDevices(input.physicalIds);
    if (input.physicalIds.length !== input.devices.length) throw invalid(`physicalIds must name one id per assigned device (${input.devices.length}); got ${input.physicalIds.length}.`, { field: 'physicalIds' });
  }
  const hostList = input.devices.join(',');
  const physical = input.physicalIds ?? input.devices;
  const inContainer = runtime !== Runtime.process;
  const facts = STACK_FACTS[chip.software.stack];
  const perDevicePatterns = [...chip.software.devicePaths.filter(isPerDevice), ...(facts?.perDevice ?? [])];
  const sharedPaths = [...chip.software.devicePaths.filter((p) => !isPerDevice(p)), ...(facts?.sharedDevices ?? [])];
  // Only a container that receives just the assigned devices renumbers them from 0; one that gets
  // shared nodes only (/dev/dri, /dev/kfd) still sees every device, so host indices stay right.
  const isolated = inContainer && (facts?.gpusFlag === true || perDevicePatterns.length > 0);
  const processList = isolated ? input.devices.map((_, i) => i).join(',') : hostList;

  const env: Record<string, string> = { ...(input.jobEnv ?? {}) };
  const visibility = chip.software.visibilityEnv;
  if (visibility.length === 0) notes.push(`${chip.id}: the catalog names no device-visibility variable; the task sees every device of the host.`);
  for (const name of visibility) env[name] = processList;
  if (input.rank) Object.assign(env, rankEnv(input.rank));

  if (!inContainer) return { env, container: null, notes };

  if (!input.image) throw invalid(`A ${runtime} task needs a container image for the ${chip.software.stack} stack; the job names none for ${chip.id}.`, { field: 'image' });
  const containerEnv: Record<string, string> = { ...env };
  for (const name of chip.software.runtimeEnv) containerEnv[name] = physical.join(',');

  const devices: string[] = [];
  if (!facts?.gpusFlag) {
    for (const id of physical) for (const pattern of perDevicePatterns) devices.push(pattern.replace(/N$/, String(id)));
    devices.push(...sharedPaths);
  }
  if (!isolated) {
    notes.push(
      `${chip.id}: no per-device node is known for the ${chip.software.stack} stack, so the container is not limited to the assigned devices; selection relies on ${[
        ...visibility,
        ...chip.software.runtimeEnv,
      ].join(', ') || 'nothing'} (host indices).`,
    );
  }
  const mounts = facts?.mounts ?? [];
  const args = ['run', '--rm'];
  if (facts?.gpusFlag) args.push('--gpus', `"device=${hostList}"`);
  args.push(...(facts?.flags ?? []));
  for (const d of unique(devices)) args.push('--device', d);
  for (const m of mounts) args.push('-v', `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`);
  for (const [k, v] of Object.entries(containerEnv).sort(([a], [b]) => a.localeCompare(b))) args.push('-e', `${k}=${v}`);
  args.push(input.image, ...(input.command ?? []));
  return {
    env,
    container: { program: runtime === Runtime.docker ? 'docker' : 'nerdctl', devices: unique(devices), mounts, env: containerEnv, args },
    notes,
  };
}

/** The distributed-training variables torchrun and most launchers read. */
export function rankEnv(rank: RankInfo): Record<string, string> {
  const problems: string[] = [];
  if (rank.masterAddr.trim() === '') problems.push('masterAddr is empty');
  if (!Number.isInteger(rank.masterPort) || rank.masterPort < 1 || rank.masterPort > 65535) problems.push(`masterPort ${rank.masterPort} is not a port (1-65535)`);
  if (!Number.isInteger(rank.worldSize) || rank.worldSize < 1) problems.push(`worldSize ${rank.worldSize} must be a positive integer`);
  if (!Number.isInteger(rank.rank) || rank.rank < 0 || rank.rank >= rank.worldSize) problems.push(`rank ${rank.rank} must be in 0..${rank.worldSize - 1}`);
  if (!Number.isInteger(rank.localRank) || rank.localRank < 0 || rank.localRank > rank.rank) problems.push(`localRank ${rank.localRank} must be in 0..rank`);
  if (!Number.isInteger(rank.nodeRank) || rank.nodeRank < 0 || rank.nodeRank > rank.rank) problems.push(`nodeRank ${rank.nodeRank} must be in 0..rank`);
  if (rank.localWorldSize !== undefined && (!Number.isInteger(rank.localWorldSize) || rank.localWorldSize <= rank.localRank)) problems.push(`localWorldSize ${rank.localWorldSize} must exceed localRank`);
  if (problems.length > 0) throw invalid(`Invalid rank information: ${problems.join('; ')}.`, { field: 'rank' });
  const env: Record<string, string> = {
    MASTER_ADDR: rank.masterAddr,
    MASTER_PORT: String(rank.masterPort),
    WORLD_SIZE: String(rank.worldSize),
    RANK: String(rank.rank),
    LOCAL_RANK: String(rank.localRank),
    NODE_RANK: String(rank.nodeRank),
  };
  if (rank.localWorldSize !== undefined) env.LOCAL_WORLD_SIZE = String(rank.localWorldSize);
  return env;
}

function validateDevices(devices: readonly number[]): void {
  if (devices.length === 0) throw invalid('A task needs at least one assigned device.', { field: 'devices' });
  const bad = devices.filter((d) => !Number.isInteger(d) || d < 0);
  if (bad.length > 0) throw invalid(`Device indices must be non-negative integers; got ${bad.join(', ')}.`, { field: 'devices' });
  if (new Set(devices).size !== devices.length) throw invalid(`Device indices must not repeat; got ${devices.join(', ')}.`, { field: 'devices' });
}

/** A catalog device path with `N` for the index (`/dev/davinciN`, `/dev/biren/card_N`). */
function isPerDevice(pattern: string): boolean {
  return /N$/.test(pattern);
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
