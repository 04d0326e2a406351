import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { builtinCatalog } from '../catalog/index.js';
import { withPerfPredictions } from '../gateway/config/index.js';
import { Gateway, parseGatewayConfig } from '../gateway/index.js';
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
    .action(async (o: { config?: string; port: string; host: string; usageFile?: string }) => {
      if (!o.config) throw invalid('--config <file> is required (see `tessera gateway check --help`).');
      const notes: string[] = [];
      const config = loadConfig(io, o.config, notes);
      for (const n of notes) io.stderr(`gateway: ${n}\n`);
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalid(`--port must be a TCP port number, got '${o.port}'.`);
      const usagePath = o.usageFile ? resolve(io.cwd, o.usageFile) : null;
      const gateway = new Gateway(config, usagePath ? { restoredUsage: readUsageFile(usagePath) } : {});
      const save = (): void => {
        if (usagePath) writeUsageFile(usagePath, gateway.usage());
      };
      const saver = usagePath ? setInterval(save, 10_000) : null;
      saver?.unref();
      await gateway.checkAll();
      const { url } = await gateway.listen(port, o.host);
      const healthy = gateway.replicas().filter((r) => r.healthy).length;
      io.stdout(`gateway: ${url} (${config.replicas.length} replicas, ${healthy} healthy; policy ${config.routing.policy}; ${config.keys.size} API key${config.keys.size === 1 ? '' : 's'})\n`);
      // SIGHUP reloads the config file; a bad file keeps the running config and says why.
      const reload = (): void => {
        try {
          gateway.reload(loadConfig(io, o.config as string));
          io.stderr(`gateway: reloaded ${o.config}\n`);
        } catch (e) {
          io.stderr(`gateway: kept the running config; ${o.config} is invalid: ${e instanceof Error ? e.message : String(e)}\n`);
        }
      };
      process.on('SIGHUP', reload);
      await new Promise<void>((done) => {
        const stop = (): void => {
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
