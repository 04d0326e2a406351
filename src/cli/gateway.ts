import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { builtinCatalog } from '../catalog/index.js';
import { withPerfPredictions } from '../gateway/config/index.js';
import { Gateway, httpEndpointFetcher, parseGatewayConfig, PollingReplicaSource, replicasFromEndpoints, validateGatewayConfig, type ReplicaSpec } from '../gateway/index.js';
import { findModelPreset } from '../workload/models/index.js';
import { readUsageFile, writeUsageFile } from '../gateway/usage/index.js';
import { invalid, notFound } from '../lib/errors.js';
import { renderTable } from './table.js';
import { printJson, type CliIo } from './io.js';

/** `tessera gateway`: the OpenAI-compatible inference gateway over replicas from a config file. */
export function register(program: Command, io: CliIo): void {
  const gw = program
    .command('gateway')
    .description('Run the OpenAI-compatible inference gateway over replicas on different chips')
    .option('--config <file>', 'gateway config (YAML or JSON): replicas, tenants, routing, limits, prices')
    .option('--port <n>', 'TCP port', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--usage-file <file>', 'keep usage totals (tokens per tenant, model and chip) in this JSON file across restarts')
    .option('--control-plane <url>', "follow the running inference replicas of this control plane (token in TESSERA_TOKEN; a member token sees its tenant's)")
    .action(async (o: { config?: string; port: string; host: string; usageFile?: string; controlPlane?: string }) => {
      if (!o.config && !o.controlPlane) throw invalid('--config <file> or --control-plane <url> is required (see `tessera gateway check --help`).');
      const notes: string[] = [];
      const config = o.config ? loadConfig(io, o.config, notes) : validateGatewayConfig({ replicas: [] }, 'defaults');
      const source = o.controlPlane ? await followControlPlane(io, o.controlPlane, config) : null;
      for (const n of notes) io.stderr(`gateway: ${n}\n`);
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalid(`--port must be a TCP port number, got '${o.port}'.`);
      const usagePath = o.usageFile ? resolve(io.cwd, o.usageFile) : null;
      const gateway = new Gateway(config, { ...(usagePath ? { restoredUsage: readUsageFile(usagePath) } : {}), ...(source ? { source } : {}) });
      const save = (): void => {
        if (usagePath) writeUsageFile(usagePath, gateway.usage());
      };
      const saver = usagePath ? setInterval(save, 10_000) : null;
      saver?.unref();
      await gateway.checkAll();
      const { url } = await gateway.listen(port, o.host);
      const healthy = gateway.replicas().filter((r) => r.healthy).length;
      io.stdout(`gateway: ${url} (${gateway.replicas().length} replicas${source ? ` from ${o.controlPlane}` : ''}, ${healthy} healthy; policy ${config.routing.policy}; ${config.keys.size} API key${config.keys.size === 1 ? '' : 's'})\n`);
      // SIGHUP reloads the config file; a bad file keeps the running config and says why.
      const reload = (): void => {
        try {
          gateway.reload(loadConfig(io, o.config as string));
          io.stderr(`gateway: reloaded ${o.config}\n`);
        } catch (e) {
          io.stderr(`gateway: kept the running config; ${o.config} is invalid: ${e instanceof Error ? e.message : String(e)}\n`);
        }
      };
      if (o.config) process.on('SIGHUP', reload);
      await new Promise<void>((done) => {
        const stop = (): void => {
          source?.stop();
          process.off('SIGHUP', reload);
          if (saver) clearInterval(saver);
          save();
          void gateway.close().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  gw.command('check')
    .description('Validate a gateway config file and list its replicas')
    .argument('<file>', 'gateway config (YAML or JSON)')
    .option('--json', 'print JSON')
    .action((file: string, o: { json?: boolean }) => {
      const notes: string[] = [];
      const config = loadConfig(io, file, notes);
      const rows = config.replicas.map((r) => [r.id, r.model, r.chip, r.url, String(r.maxBatch ?? '-'), r.predicted ? `${r.predicted.ttftMs}/${r.predicted.tpotMs}` : '-', config.pricesCnyPerHour[r.chip] === undefined ? 'unknown' : String(config.pricesCnyPerHour[r.chip])]);
      if (o.json) {
        printJson(io, { replicas: config.replicas.map(({ apiKey: _k, ...r }) => r), tenants: config.tenants, routing: config.routing, keys: config.keys.size, notes });
        return;
      }
      io.stdout(renderTable(['replica', 'model', 'chip', 'url', 'max batch', 'TTFT/TPOT ms', 'CNY/h'], rows));
      io.stdout(`${config.tenants.length} tenants, ${config.keys.size} API keys, routing ${config.routing.policy}\n`);
      for (const n of notes) io.stdout(`${n}\n`);
    });
}

/** Replicas from the control plane's running inference replicas, polled each second, predictions filled once per replica. */
async function followControlPlane(io: CliIo, url: string, config: ReturnType<typeof parseGatewayConfig>): Promise<PollingReplicaSource> {
  const token = io.env.TESSERA_TOKEN;
  if (!token) throw invalid('--control-plane needs a control plane API token in TESSERA_TOKEN.');
  if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) throw invalid(`--control-plane must be a base URL such as http://127.0.0.1:8080, not '${url}'.`);
  const fetchEndpoints = httpEndpointFetcher(url, token);
  const filled = new Map<string, ReplicaSpec>();
  const complete = (r: ReplicaSpec): ReplicaSpec => {
    const k = `${r.id}|${r.url}|${r.chip}`;
    const hit = filled.get(k) ?? withPerfPredictions({ ...config, replicas: [r] }, builtinCatalog(), findModelPreset).config.replicas[0] ?? r;
    filled.set(k, hit);
    return hit;
  };
  let lastError = '';
  const source = new PollingReplicaSource(async () => replicasFromEndpoints(await fetchEndpoints(), complete), {
    intervalMs: 1000,
    onError: (e) => {
      const msg = e instanceof Error ? e.message : String(e);
      // Say it once per distinct failure, not once a second.
      if (msg !== lastError) io.stderr(`gateway: keeping the last known replicas; the control plane did not answer: ${msg}\n`);
      lastError = msg;
    },
  });
  await source.refresh();
  source.start();
  return source;
}

/** Reads, validates and completes a config: replicas without predictions get them from the performance model. */
function loadConfig(io: CliIo, file: string, notes?: string[]): ReturnType<typeof parseGatewayConfig> {
  const filled = withPerfPredictions(readConfig(io, file), builtinCatalog(), findModelPreset);
  notes?.push(...filled.notes);
  return filled.config;
}

function readConfig(io: CliIo, file: string): ReturnType<typeof parseGatewayConfig> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw notFound(`Cannot read the gateway config ${file}.`);
  }
  return parseGatewayConfig(text, file);
}
