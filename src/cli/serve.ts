import type { Command } from 'commander';
import { builtinCatalog } from '../catalog/index.js';
import { invalid } from '../lib/errors.js';
import { builtinProfiles } from '../sched/index.js';
import { queueingProfileNames } from '../sched/queueing/index.js';
import { startControlPlane } from '../server/index.js';
import { DEFAULT_LOOP_PROFILE } from '../server/sched-loop.js';
import { resolveFleet } from './fleet-source.js';
import type { CliIo } from './io.js';

function intOption(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(`--${name} must be an integer from ${min} to ${max}, not '${value}'`);
  return n;
}

/**
 * `tessera serve`: the control plane. With `--demo`, a demo fleet served by in-process simulated
 * agents and a steady stream of demo work (what `npm start` runs).
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('Run the control plane: API, scheduling loop, agent protocol (--demo: simulated fleet and workload)')
    .option('--port <n>', 'port to listen on', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'folder for the SQLite database', './data')
    .option('--db <url>', 'database: postgres://... for PostgreSQL, else a SQLite file path (default <data-dir>/tessera.db)')
    .option('--demo', 'serve a demo fleet with simulated agents and a stream of demo work')
    .option('--fleet <name|file>', 'fleet for --demo (built-in name or file)', 'demo')
    .option('--profile <name>', `scheduler profile: ${[...queueingProfileNames, ...Object.keys(builtinProfiles)].join(', ')} (tenant-fair*: tenant queues, DRF, quotas, preemption, backfill)`, DEFAULT_LOOP_PROFILE)
    .option('--interval-ms <n>', 'scheduling cycle period when idle', '1000')
    .option('--heartbeat-sec <n>', 'seconds between agent heartbeats, told to agents (default 5, or a third of a shorter lease)')
    .option('--node-lease-sec <n>', 'silence after which a node is Lost (at least two heartbeats)', '30')
    .option('--seed <n>', 'seed for the scheduler tie-breaks and the demo', '1')
    .option('--log-level <level>', 'JSON log level (fatal, error, warn, info, debug)', 'info')
    .option('--gateway', 'also run the OpenAI-compatible inference gateway over the running replicas (API keys: control plane tokens)')
    .option('--gateway-port <n>', 'port of the gateway (its own port: /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models)', '8081')
    .option('--autoscale', 'with --gateway: scale inference services to their traffic with the serving planner')
    .option('--price <chip=cnyPerHour>', 'with --autoscale: rent per card-hour for a chip whose price the catalog lacks (repeatable; chips without a price are left out of plans)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (opts: { gateway?: boolean; gatewayPort: string; autoscale?: boolean; price: string[]; port: string; host: string; dataDir: string; db?: string; demo?: boolean; fleet: string; profile: string; intervalMs: string; heartbeatSec?: string; nodeLeaseSec: string; seed: string; logLevel: string }) => {
      const port = intOption(opts.port, 'port', 0, 65535);
      const nodeLeaseSec = intOption(opts.nodeLeaseSec, 'node-lease-sec', 1, 86_400);
      const heartbeatIntervalSec = opts.heartbeatSec === undefined ? Math.min(5, Math.round((nodeLeaseSec / 3) * 10) / 10) : Number(opts.heartbeatSec);
      if (opts.heartbeatSec !== undefined && (!/^\d+(\.\d+)?$/.test(opts.heartbeatSec.trim()) || !(heartbeatIntervalSec >= 0.1 && heartbeatIntervalSec <= 3600))) throw invalid(`--heartbeat-sec must be a number of seconds from 0.1 to 3600, not '${opts.heartbeatSec}'`, { field: 'heartbeat-sec' });
      if (nodeLeaseSec < 2 * heartbeatIntervalSec) throw invalid(`--node-lease-sec (${nodeLeaseSec}) must cover at least two heartbeats (--heartbeat-sec ${heartbeatIntervalSec}), or one late heartbeat marks a node Lost`, { field: 'node-lease-sec' });
      const catalog = builtinCatalog();
      const fleet = opts.demo ? resolveFleet(opts.fleet, io, catalog).fleet : null;
      if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(opts.logLevel)) throw invalid(`--log-level must be one of fatal, error, warn, info, debug, trace, silent`);
      if (opts.autoscale && !opts.gateway) throw invalid('--autoscale needs --gateway: the autoscaler scales to the traffic the gateway sees');
      const prices = new Map<string, number>();
      for (const item of opts.price) {
        const eq = item.indexOf('=');
        const cny = Number(item.slice(eq + 1));
        if (eq <= 0 || !/^\d+(\.\d+)?$/.test(item.slice(eq + 1).trim()) || !Number.isFinite(cny)) throw invalid(`--price must look like chip=cnyPerHour (e.g. nvidia-h20=8.5), not '${item}'`, { field: 'price' });
        prices.set(catalog.resolve(item.slice(0, eq).trim()).id, cny);
      }
      const plane = await startControlPlane({
        port,
        host: opts.host,
        dataDir: opts.dataDir,
        ...(opts.db ? { db: opts.db } : {}),
        catalog,
        fleet,
        demo: opts.demo === true,
        ...(opts.gateway ? { gateway: { port: intOption(opts.gatewayPort, 'gateway-port', 0, 65535) }, autoscale: opts.autoscale === true ? { prices } : false } : {}),
        ...(io.env.TESSERA_ADMIN_TOKEN ? { adminToken: io.env.TESSERA_ADMIN_TOKEN } : {}),
        profile: checkProfile(opts.profile),
        intervalMs: intOption(opts.intervalMs, 'interval-ms', 10, 600_000),
        seed: intOption(opts.seed, 'seed', 0, 2 ** 31),
        config: { nodeLeaseSec, heartbeatIntervalSec },
        logger: { level: opts.logLevel },
      });
      io.stdout(`Tessera control plane listening on ${plane.url} (store: ${plane.store.backend}${opts.db ? '' : `, ${opts.dataDir}/tessera.db`})\n`);
      io.stdout(`API docs: ${plane.url}/api/docs   metrics: ${plane.url}/metrics\n`);
      if (opts.demo) io.stdout(`Demo mode: fleet ${fleet?.name} served by ${plane.simulatedNodes} SIMULATED agents; demo jobs arrive every few seconds.\n`);
      if (plane.gatewayUrl) io.stdout(`Inference gateway on ${plane.gatewayUrl}/v1 (API keys: control plane tokens; usage at ${plane.url}/api/v1/usage)${plane.autoscaler ? '; autoscaler on' : ''}\n`);
      if (plane.generatedAdminToken) io.stdout(`Admin token (shown once, keep it): ${plane.generatedAdminToken}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          io.stderr('shutting down\n');
          void plane.close().finally(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

function checkProfile(name: string): string {
  const known = [...queueingProfileNames, ...Object.keys(builtinProfiles)];
  if (!known.includes(name)) throw invalid(`--profile must be one of ${known.join(', ')}; got '${name}'.`);
  return name;
}
