/**
 * `tessera agent parse|probe`: the agent's device discovery from the terminal, without a server.
 * `parse` reads a saved capture of a vendor tool (support cases, tests); `probe` looks for the
 * vendor tools on this machine and runs them, or builds simulated devices with `--devices`.
 * The `tessera agent --server <url>` run loop comes with the control plane.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  detectTool,
  findAdapter,
  knownTools,
  parseSimulatedSpec,
  probe,
  simulatedDevices,
  toolAliases,
  ToolStatus,
  type DeviceRecord,
  type ProbeResult,
} from '../agent/index.js';
import { builtinCatalog } from '../catalog/index.js';
import { invalid, notFound } from '../lib/errors.js';
import { printJson, type CliIo } from './io.js';
import { renderTable } from './table.js';

/** Captures are small text files; anything larger is not a tool's output. */
const MAX_CAPTURE_BYTES = 32 * 1024 * 1024;

interface ParseOpts {
  tool?: string;
  json?: boolean;
}

interface ProbeOpts {
  json?: boolean;
  devices?: string;
  timeout?: string;
  tool?: string[];
  pathOnly?: boolean;
}

export function register(program: Command, io: CliIo): void {
  const agent = program.command('agent').description('Node agent: discover devices through the vendor tools (the server run loop comes with the control plane)');

  agent
    .command('parse')
    .description('Parse saved captures of a vendor tool and print the device records')
    .argument('<capture-file...>', 'text the tool printed (a leading "# SOURCE:" line is skipped); several files of one tool are read as one capture, e.g. npu-smi info and info -m')
    .option('--tool <tool>', `the tool that printed it (${knownTools().join(', ')}); detected when omitted`)
    .option('--json', 'print JSON')
    .action((files: string[], opts: ParseOpts) => {
      if (opts.tool !== undefined && !findAdapter(opts.tool)) throw invalid(`Unknown tool "${opts.tool}". Known tools: ${toolList()}.`, { tool: opts.tool });
      const file = files.join(', ');
      // Each file's own "# SOURCE:" note goes, not only the first one's.
      const text = files.map((f) => readCapture(f, io).replace(/^\uFEFF?#\s*SOURCE:[^\n]*\n/i, '')).join('\n\n');
      const tool = opts.tool ?? detectTool(text);
      if (tool === null) throw invalid(`Cannot tell which tool printed ${file}; name it with --tool (${toolList()}).`, { file });
      const adapter = findAdapter(tool);
      if (!adapter) throw invalid(`Unknown tool "${tool}". Known tools: ${toolList()}.`, { tool });
      const result = adapter.parse(text);
      if (opts.json) {
        printJson(io, { tool: adapter.tool, devices: result.devices, warnings: result.warnings });
        return;
      }
      io.stdout(`${file}: ${result.devices.length} device(s) from ${adapter.tool}\n`);
      if (result.devices.length > 0) io.stdout(deviceTable(result.devices, false));
      for (const w of result.warnings) io.stdout(`warning: ${w}\n`);
    });

  agent
    .command('probe')
    .description('Find the vendor tools on this machine, run them and print the devices found')
    .option('--devices <spec>', 'use simulated devices instead: simulated:<chip>x<N>[,<chip>x<N>]')
    .option('--timeout <seconds>', 'limit per tool command', '15')
    .option('--tool <tool...>', 'only these tools')
    .option('--path-only', 'search PATH only, not the vendors\' install folders')
    .option('--json', 'print JSON')
    .action(async (opts: ProbeOpts) => {
      const catalog = builtinCatalog();
      if (opts.devices !== undefined) {
        const devices = simulatedDevices(parseSimulatedSpec(opts.devices, catalog));
        if (opts.json) {
          printJson(io, { simulated: true, tools: [], devices, warnings: [] });
          return;
        }
        io.stdout(`${devices.length} simulated device(s) (no vendor tools were run)\n`);
        io.stdout(deviceTable(devices, true));
        return;
      }
      const timeoutSec = Number(opts.timeout);
      if (!Number.isFinite(timeoutSec) || timeoutSec <= 0 || timeoutSec > 600) throw invalid(`--timeout must be a number of seconds between 0 and 600; got "${opts.timeout}".`, { field: 'timeout' });
      for (const t of opts.tool ?? []) if (!findAdapter(t)) throw invalid(`Unknown tool "${t}". Known tools: ${toolList()}.`, { tool: t });
      const result = await probe({
        path: io.env.PATH ?? '',
        installDirs: !opts.pathOnly,
        timeoutMs: timeoutSec * 1000,
        env: io.env,
        catalog,
        ...(opts.tool ? { tools: opts.tool.map((t) => findAdapter(t)?.tool ?? t) } : {}),
      });
      if (opts.json) {
        printJson(io, { simulated: false, ...result });
        return;
      }
      io.stdout(probeText(result));
    });
}

function toolList(): string {
  const aliases = Object.entries(toolAliases()).map(([alias, tool]) => `${alias} = ${tool}`);
  return `${knownTools().join(', ')} (also ${aliases.join(', ')})`;
}

function readCapture(file: string, io: CliIo): string {
  const full = resolve(io.cwd, file);
  try {
    const st = statSync(full);
    if (!st.isFile()) throw invalid(`Capture ${file} is not a regular file.`, { file });
    if (st.size > MAX_CAPTURE_BYTES) throw invalid(`Capture ${file} is ${Math.round(st.size / 1024 / 1024)} MiB; captures above ${MAX_CAPTURE_BYTES / 1024 / 1024} MiB are not tool output.`, { file });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`Capture file ${file} does not exist.`, { file });
    throw e;
  }
  return readFileSync(full, 'utf8');
}

function probeText(result: ProbeResult): string {
  const found = result.tools.filter((t) => t.status !== ToolStatus.notFound);
  let out = '';
  if (found.length === 0) {
    out += `No vendor management tools found on this machine (looked for ${knownTools().join(', ')} in ${result.searched.length} folders: PATH and the vendors' install folders).\n`;
    out += 'For a machine without accelerators, use --devices simulated:<chip>x<N> (for example simulated:ascend-910bx8).\n';
  } else {
    out += renderTable(
      ['TOOL', 'STATUS', 'DEVICES', 'PATH', 'NOTE'],
      found.map((t) => [t.tool, t.status, String(t.devices), t.path ?? '-', t.commands.find((c) => c.message)?.message ?? '']),
    );
    out += '\n';
    out += result.devices.length > 0 ? deviceTable(result.devices, true) : 'The tools found report no devices.\n';
  }
  for (const w of result.warnings) out += `warning: ${w}\n`;
  return out;
}

const dash = (v: number | string | null): string => (v === null ? '-' : String(v));

function deviceTable(devices: readonly DeviceRecord[], withSource: boolean): string {
  const header = ['IDX', ...(withSource ? ['SOURCE'] : []), 'CHIP', 'MODEL', 'MEM USED/TOTAL MiB', 'UTIL %', 'TEMP C', 'POWER/CAP W', 'HEALTH', 'BUS ID'];
  const rows = devices.map((d) => [
    dash(d.index),
    ...(withSource ? [d.simulated ? 'simulated' : d.source] : []),
    dash(d.chip),
    dash(d.model),
    `${dash(d.memoryUsedMiB)}/${dash(d.memoryTotalMiB)}${d.flags.length > 0 ? ` (${d.flags.join(', ')})` : ''}`,
    dash(d.utilizationPct),
    dash(d.temperatureC),
    `${dash(d.powerW)}/${dash(d.powerCapW)}`,
    d.healthRaw && d.healthRaw.toLowerCase() !== d.health ? `${d.health} (${d.healthRaw})` : d.health,
    dash(d.busId),
  ]);
  return renderTable(header, rows);
}
