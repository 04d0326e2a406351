import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Catalog } from '../catalog/index.js';
import { DeviceFlag, normalizeBusId, type DeviceRecord } from './device-record.js';
import { ADAPTERS, type VendorAdapter } from './vendors/registry.js';

/**
 * Device discovery on this machine: find which vendor tools exist (PATH, then the vendors'
 * install folders), run each with a timeout (the whole process group is killed on expiry and the
 * timeout is reported), parse the output, and merge the results (one record per physical device,
 * matched by PCI bus id, then UUID, then serial).
 */
export const ToolStatus = {
  ok: 'ok',
  partial: 'partial',
  notFound: 'not-found',
  timeout: 'timeout',
  failed: 'failed',
} as const;
export type ToolStatus = (typeof ToolStatus)[keyof typeof ToolStatus];

export interface CommandReport {
  args: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Last line of stderr (or stdout) when the command failed. */
  message: string | null;
}

export interface ToolReport {
  tool: string;
  path: string | null;
  status: ToolStatus;
  commands: CommandReport[];
  devices: number;
}

export interface ProbeResult {
  tools: ToolReport[];
  devices: DeviceRecord[];
  warnings: string[];
  /** Folders searched, for "nothing found" messages. */
  searched: string[];
}

export interface ProbeOptions {
  /** PATH to search; default the process's PATH. */
  path?: string;
  /** Also search each adapter's install folders (default true). Tests turn this off. */
  installDirs?: boolean;
  /** Per-command limit; default 15 s. */
  timeoutMs?: number;
  /** Only these tools. */
  tools?: readonly string[];
  /** Environment for the child processes; default the process's. */
  env?: Record<string, string | undefined>;
  /** With a catalog, devices whose reported memory is well below the catalog's are flagged. */
  catalog?: Catalog;
  adapters?: readonly VendorAdapter[];
}

const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

export async function probe(options: ProbeOptions = {}): Promise<ProbeResult> {
  const adapters = (options.adapters ?? ADAPTERS).filter((a) => !options.tools || options.tools.includes(a.tool));
  const pathDirs = (options.path ?? process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const searched = new Set<string>(pathDirs);
  const reports: ToolReport[] = [];
  const found: DeviceRecord[][] = [];
  const warnings: string[] = [];
  for (const adapter of adapters) for (const d of [...pathDirs, ...(options.installDirs === false ? [] : adapter.installDirs)]) searched.add(d);
  // Tools run side by side (each one's own commands in order); results keep the registry's order.
  const outcomes = await Promise.all(adapters.map((adapter) => probeTool(adapter, pathDirs, options)));
  for (const o of outcomes) {
    reports.push(o.report);
    found.push(o.devices);
    warnings.push(...o.warnings);
  }
  const devices = mergeDevices(found.flat(), warnings);
  if (options.catalog) flagMemoryBelowCatalog(devices, options.catalog, warnings);
  return { tools: reports, devices, warnings, searched: [...searched] };
}

interface ToolOutcome {
  report: ToolReport;
  devices: DeviceRecord[];
  warnings: string[];
}

async function probeTool(adapter: VendorAdapter, pathDirs: readonly string[], options: ProbeOptions): Promise<ToolOutcome> {
  const warnings: string[] = [];
  const dirs = [...pathDirs, ...(options.installDirs === false ? [] : adapter.installDirs)];
  const path = locate(adapter.binaries, dirs);
  if (path === null) return { report: { tool: adapter.tool, path: null, status: ToolStatus.notFound, commands: [], devices: 0 }, devices: [], warnings };
  const commands: CommandReport[] = [];
  const outputs: string[] = [];
  for (const args of adapter.commands) {
    const run = await runCommand(path, [...args], options.timeoutMs ?? 15_000, options.env ?? process.env);
    commands.push(run.report);
    if (run.report.timedOut) warnings.push(`${adapter.tool}: '${[path, ...args].join(' ')}' did not finish within ${Math.round((options.timeoutMs ?? 15_000) / 100) / 10} s and was killed.`);
    else if (run.report.exitCode !== 0) warnings.push(`${adapter.tool}: '${[path, ...args].join(' ')}' failed (${describeExit(run.report)})${run.report.message ? `: ${run.report.message}` : ''}.`);
    else outputs.push(run.stdout);
    // Without the first (main) command there is nothing to add detail to.
    if (outputs.length === 0) break;
  }
  const parsed = outputs.length > 0 ? adapter.parse(outputs.join('\n\n')) : { devices: [], warnings: [] };
  warnings.push(...parsed.warnings);
  const okCount = commands.filter((c) => c.exitCode === 0 && !c.timedOut).length;
  const status: ToolStatus =
    okCount === commands.length ? ToolStatus.ok : okCount > 0 ? ToolStatus.partial : commands.some((c) => c.timedOut) ? ToolStatus.timeout : ToolStatus.failed;
  return { report: { tool: adapter.tool, path, status, commands, devices: parsed.devices.length }, devices: parsed.devices, warnings };
}

/** The first executable file named one of `binaries` in `dirs`, or null. */
export function locate(binaries: readonly string[], dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    for (const name of binaries) {
      const candidate = join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not there or not executable: try the next place.
      }
    }
  }
  return null;
}

interface RunResult {
  stdout: string;
  report: CommandReport;
}

/** Runs a tool in its own process group; on timeout the whole group is killed (a hung tool's children too). */
export function runCommand(path: string, args: string[], timeoutMs: number, env: Record<string, string | undefined>): Promise<RunResult> {
  return new Promise((resolve) => {
    const report: CommandReport = { args, exitCode: null, signal: null, timedOut: false, message: null };
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (report.exitCode !== 0 || report.timedOut) report.message = lastLine(stderr) ?? lastLine(stdout);
      resolve({ stdout, report });
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(path, args, { env: { ...env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (e) {
      report.message = e instanceof Error ? e.message : String(e);
      resolve({ stdout: '', report });
      return;
    }
    const timer = setTimeout(() => {
      report.timedOut = true;
      killGroup(child.pid);
      // A tool that escaped its process group could keep the pipes open; do not wait for it forever.
      setTimeout(finish, 2000).unref();
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT_BYTES) stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
    });
    child.on('error', (e) => {
      stderr += `${e.message}\n`;
      finish();
    });
    child.on('close', (code, signal) => {
      report.exitCode = code;
      report.signal = signal;
      finish();
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function lastLine(text: string): string | null {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const last = lines[lines.length - 1];
  return last === undefined ? null : last.slice(0, 200);
}

function describeExit(r: CommandReport): string {
  if (r.signal) return `signal ${r.signal}`;
  if (r.exitCode === null) return 'could not start';
  return `exit code ${r.exitCode}`;
}

/**
 * One record per physical device: records with the same PCI bus id, UUID or serial are merged
 * (the first keeps its values, later ones fill its gaps) unless they name different chips.
 * Records with none of these keys stay apart.
 */
export function mergeDevices(devices: readonly DeviceRecord[], warnings: string[]): DeviceRecord[] {
  const out: DeviceRecord[] = [];
  const keys = (d: DeviceRecord): string[] =>
    [normalizeBusId(d.busId) && `bus:${normalizeBusId(d.busId)}`, d.uuid && `uuid:${d.uuid}`, d.serial && !/x{3,}/i.test(d.serial) && `sn:${d.serial}`].filter(
      (k): k is string => typeof k === 'string' && k !== '',
    );
  for (const dev of devices) {
    const mine = keys(dev);
    const same = out.find((o) => keys(o).some((k) => mine.includes(k)) && compatible(o, dev));
    if (!same) {
      out.push(dev);
      continue;
    }
    if (same.source !== dev.source) warnings.push(`device ${same.busId ?? same.uuid ?? same.serial} is reported by both ${same.source} and ${dev.source}; merged.`);
    for (const key of Object.keys(dev) as (keyof DeviceRecord)[]) {
      if (same[key] === null && dev[key] !== null) Object.assign(same, { [key]: dev[key] });
    }
  }
  return out;
}

/** Two tools describe the same device only if they do not disagree on what it is. */
function compatible(a: DeviceRecord, b: DeviceRecord): boolean {
  if (a.source === b.source || a.model === null || b.model === null) return true;
  return a.chip !== null && a.chip === b.chip;
}

/**
 * Devices that some tools list per die or per chip rather than per card: the catalog's memory is
 * per card, so the expected per-device memory is that divided by this (chips.md section 4).
 */
const DEVICES_PER_CARD: Record<string, number> = {
  'cambricon-mlu370-x8': 2,
  'ascend-910c': 2,
  'iluvatar-bi-v150': 2,
};

/**
 * Flags (never changes) devices whose reported memory is below 90 % of the catalog's per-device
 * figure: a misconfigured host (IOMMU off on an S4000) or ECC taking its share (Enflame S60).
 */
export function flagMemoryBelowCatalog(devices: DeviceRecord[], catalog: Catalog, warnings: string[]): void {
  for (const d of devices) {
    if (d.simulated || d.chip === null || d.memoryTotalMiB === null) continue;
    const chip = catalog.find(d.chip);
    const gib = chip?.memoryGiB.value;
    if (gib === null || gib === undefined) continue;
    const expectedMiB = (gib * 1024) / (DEVICES_PER_CARD[d.chip] ?? 1);
    if (d.memoryTotalMiB < 0.9 * expectedMiB) {
      if (!d.flags.includes(DeviceFlag.memoryBelowCatalog)) d.flags.push(DeviceFlag.memoryBelowCatalog);
      warnings.push(`${d.source}: device ${d.index ?? '?'} (${d.chip}) reports ${d.memoryTotalMiB} MiB, below the catalog's ${Math.round(expectedMiB)} MiB; kept as reported.`);
    }
  }
}
