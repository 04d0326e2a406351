/**
 * `tessera agent --server <url> --token <t>` (also `tessera agent run ...`): the node agent's run
 * loop. Probes the devices (or builds simulated ones), registers with the control plane, heartbeats,
 * and runs what it is assigned until SIGINT/SIGTERM. Shares the `agent` command with agent.ts
 * (parse, probe): `run` is added to that command (found or created) as its default subcommand.
 */
import { readFileSync } from 'node:fs';
import { cpus, homedir, hostname, totalmem } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { locate, parseSimulatedSpec, probe, Runtime, simulatedDevices, type DeviceRecord } from '../agent/index.js';
import { NodeAgent, ProtocolClient, registrationFor, taskBaseEnv, telemetryOf, type AgentLogLevel } from '../agent/runtime/index.js';
import { builtinCatalog } from '../catalog/index.js';
import { invalid } from '../lib/errors.js';
import type { CliIo } from './io.js';

export interface AgentRunOpts {
  server?: string;
  token?: string;
  tokenFile?: string;
  nodeId?: string;
  cluster: string;
  rack?: string;
  label?: string[];
  devices?: string;
  stateDir?: string;
  runtime: string;
  advertiseAddr?: string;
  heartbeatSec?: string;
  graceSec: string;
  maxBackoffSec: string;
  probeTimeout: string;
  telemetrySec: string;
  logBufferMib: string;
  logBacklogMib: string;
  onExit: string;
}

const runtimes = Object.values(Runtime) as string[];

function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'control plane URL, e.g. http://10.0.0.1:8080')
    .option('--token <token>', 'this node\'s agent token (or TESSERA_AGENT_TOKEN)')
    .option('--token-file <file>', 'read the agent token from a file (keeps it out of the process list)')
    .option('--node-id <id>', 'node id (default: the host name)')
    .option('--cluster <name>', 'cluster the node belongs to', 'default')
    .option('--rack <name>', 'rack (for topology-aware placement)')
    .option('--label <key=value...>', 'node labels')
    .option('--devices <spec>', 'simulated devices instead of probing: simulated:<chip>x<N>')
    .option('--state-dir <dir>', 'folder for the agent state file and task logs (default ~/.tessera/agent-<node-id>)')
    .option('--runtime <runtime>', `how tasks run: ${runtimes.join(', ')}`, 'process')
    .option('--advertise-addr <addr>', 'address other ranks use to reach this node (default: the host name)')
    .option('--heartbeat-sec <n>', 'heartbeat at least this often, even if the server asks for less')
    .option('--grace-sec <n>', 'time between SIGTERM and SIGKILL when a task is stopped', '10')
    .option('--max-backoff-sec <n>', 'longest wait between reconnection attempts', '30')
    .option('--probe-timeout <n>', 'seconds per vendor tool command', '15')
    .option('--telemetry-sec <n>', 'seconds between device re-probes for telemetry', '30')
    .option('--log-buffer-mib <n>', 'task output held in memory per task for the control plane (oldest dropped past it)', '4')
    .option('--log-backlog-mib <n>', 'unread task output per stream before the oldest is skipped (a long outage or a burst)', '64')
    .option('--on-exit <what>', 'on SIGINT/SIGTERM: leave tasks running (a restarted agent adopts them) or stop them', 'leave');
}

export function register(program: Command, io: CliIo): void {
  const agent = program.commands.find((c) => c.name() === 'agent') ?? program.command('agent').description('Node agent');
  agent.description('Node agent: run work for a control plane (tessera agent --server <url> --token <t>), or discover devices (parse, probe)');
  // `run` is the default subcommand, so `tessera agent --server ...` runs the loop while
  // `tessera agent probe --devices ...` keeps its own options.
  addRunOptions(agent.command('run', { isDefault: true }).description('Run the node agent: register, heartbeat, run assigned work (the default: tessera agent --server ... is the same)')).action((opts: AgentRunOpts) => {
    if (opts.server === undefined) throw invalid('`tessera agent` runs the node agent and needs --server <url> and --token <token>; for device discovery use `tessera agent probe` or `tessera agent parse` (see tessera agent --help).', { field: 'server' });
    return runAgent(opts, io);
  });
}

function readToken(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw invalid(`--token-file ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { field: 'token-file' });
  }
}

function num(value: string | undefined, name: string, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < min || n > max) throw invalid(`--${name} must be a number from ${min} to ${max}, not '${value ?? ''}'`, { field: name });
  return n;
}

export async function runAgent(opts: AgentRunOpts, io: CliIo): Promise<void> {
  if (!opts.server) throw invalid('--server <url> is required: the control plane to register with', { field: 'server' });
  let url: URL;
  try {
    url = new URL(opts.server);
  } catch {
    throw invalid(`--server must be a URL such as http://10.0.0.1:8080, not '${opts.server}'`, { field: 'server' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`--server must be an http:// or https:// URL, not '${opts.server}'`, { field: 'server' });
  const token = opts.token ?? (opts.tokenFile !== undefined ? readToken(resolve(io.cwd, opts.tokenFile)) : io.env.TESSERA_AGENT_TOKEN);
  if (!token) throw invalid('--token <token> (or --token-file, or TESSERA_AGENT_TOKEN) is required: the agent token made for this node (tessera tokens create --role agent --node <id>)', { field: 'token' });
  if (!runtimes.includes(opts.runtime)) throw invalid(`--runtime must be one of ${runtimes.join(', ')}, not '${opts.runtime}'`, { field: 'runtime' });
  if (opts.onExit !== 'leave' && opts.onExit !== 'stop') throw invalid(`--on-exit must be leave or stop, not '${opts.onExit}'`, { field: 'on-exit' });
  const runtime = opts.runtime as Runtime;
  const heartbeatSec = opts.heartbeatSec !== undefined ? num(opts.heartbeatSec, 'heartbeat-sec', 0.1, 3600) : undefined;
  const graceSec = num(opts.graceSec, 'grace-sec', 0, 3600);
  const maxBackoffSec = num(opts.maxBackoffSec, 'max-backoff-sec', 0.5, 3600);
  const probeTimeoutSec = num(opts.probeTimeout, 'probe-timeout', 0.1, 600);
  const telemetrySec = num(opts.telemetrySec, 'telemetry-sec', 1, 86_400);
  const logBufferMib = num(opts.logBufferMib, 'log-buffer-mib', 0.0625, 4096);
  const logBacklogMib = num(opts.logBacklogMib, 'log-backlog-mib', 1, 1_048_576);
  const labels: Record<string, string> = {};
  for (const l of opts.label ?? []) {
    const m = /^([^=]+)=(.*)$/.exec(l);
    if (!m) throw invalid(`--label must look like key=value, not '${l}'`, { field: 'label' });
    labels[m[1]!] = m[2]!;
  }
  const nodeId = opts.nodeId ?? hostname();
  // The control plane's rule for node ids; checked here so a bad one fails now, not at every retry.
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(nodeId) || nodeId.length > 253) throw invalid(`--node-id '${nodeId}' is not a valid node id: letters, digits, '.', '_', '/', '-', starting with a letter or digit, at most 253 characters`, { field: 'node-id' });
  const pathDirs = (io.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const engineAvailable = (program: string): boolean => locate([program], pathDirs) !== null;
  if (runtime !== Runtime.process) {
    const program = runtime === Runtime.docker ? 'docker' : 'nerdctl';
    if (!engineAvailable(program)) throw invalid(`--runtime ${runtime} needs ${program}, which is not on PATH on this machine; install it, or run tasks as processes with --runtime process`, { field: 'runtime' });
  }

  const catalog = builtinCatalog();
  const simulated = opts.devices !== undefined;
  let devices: DeviceRecord[];
  const reprobe = async (): Promise<DeviceRecord[]> => (await probe({ path: io.env.PATH ?? '', timeoutMs: probeTimeoutSec * 1000, env: io.env, catalog })).devices;
  if (opts.devices !== undefined) devices = simulatedDevices(parseSimulatedSpec(opts.devices, catalog));
  else devices = await reprobe();
  const advertiseAddr = opts.advertiseAddr ?? hostname();
  // So that a control plane can hand it out as the rendezvous address (MASTER_ADDR) when this node is rank 0.
  labels['tessera.io/address'] ??= advertiseAddr;
  const reg = registrationFor({ nodeId, cluster: opts.cluster, ...(opts.rack ? { rack: opts.rack } : {}), labels, devices, catalog, cpuMilli: cpus().length * 1000, memoryMiB: Math.floor(totalmem() / 1024 / 1024), agentVersion: '0.1.0' });
  const stateDir = resolve(io.cwd, opts.stateDir ?? join(homedir(), '.tessera', `agent-${nodeId.replace(/[^A-Za-z0-9_.-]/g, '_')}`));
  const log = (level: AgentLogLevel, message: string, fields?: Record<string, unknown>): void => {
    io.stderr(`${new Date().toISOString()} ${level} ${message}${fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}\n`);
  };
  for (const w of reg.warnings) log('warn', w);

  let latest = reg.devices;
  const ids = new Set(reg.devices.map((d) => d.index));
  let probing = false;
  const refresher = simulated
    ? null
    : setInterval(() => {
        if (probing) return;
        probing = true;
        void reprobe()
          .then((found) => (latest = found.filter((d) => d.chip === reg.chip.id && ids.has(d.index))))
          .catch((e: unknown) => log('warn', `device probe failed: ${e instanceof Error ? e.message : String(e)}`))
          .finally(() => (probing = false));
      }, telemetrySec * 1000);
  refresher?.unref();

  const agent = new NodeAgent({
    client: new ProtocolClient({ server: opts.server, token }),
    registration: reg.registration,
    chip: reg.chip,
    devices: reg.devices,
    stateDir,
    runtime,
    advertiseAddr,
    baseEnv: taskBaseEnv(io.env),
    ...(heartbeatSec !== undefined ? { heartbeatSec } : {}),
    graceSec,
    maxBackoffSec,
    logBufferBytes: Math.round(logBufferMib * 1024 * 1024),
    logBacklogBytes: Math.round(logBacklogMib * 1024 * 1024),
    telemetry: () => telemetryOf(latest),
    engineAvailable,
    log,
  });
  log('info', `tessera agent ${nodeId}: ${reg.devices.length} x ${reg.chip.id}${simulated ? ' (SIMULATED devices)' : ''}, runtime ${runtime}, state ${stateDir}, server ${opts.server}`);
  const done = agent.start();
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log('info', `shutting down (${opts.onExit === 'stop' ? 'stopping tasks' : 'tasks keep running; a restarted agent adopts them'})`);
      if (refresher) clearInterval(refresher);
      void agent.stop(opts.onExit === 'stop').finally(resolveStop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await done;
}
