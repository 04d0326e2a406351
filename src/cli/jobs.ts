import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { invalid, notFound } from '../lib/errors.js';
import { age, clientFrom, query, withConnection, type ApiClient } from './api-client.js';
import { printJson, type CliIo } from './io.js';
import { renderTable } from './table.js';

interface JobView {
  id: string;
  name: string;
  kind: string;
  state: string;
  tenant: string;
  queue: string;
  cards: number;
  milliPerCard: number;
  chip: string | null;
  attempt: number;
  reason: string | null;
  exitCode: number | null;
  submittedAtMs: number;
  placements: { nodeId: string; devices: number[] }[];
}

const terminal = new Set(['Succeeded', 'Failed', 'Cancelled']);

function readSpec(file: string, io: CliIo): unknown {
  const path = resolve(io.cwd, file);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw notFound(`job file ${file} not found`);
  }
  if (size > 1_048_576) throw invalid(`job file ${file} is larger than 1 MiB`);
  const text = readFileSync(path, 'utf8');
  try {
    return parseYaml(text);
  } catch (e) {
    throw invalid(`${file}: not valid YAML or JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

function cardsText(j: JobView): string {
  return j.milliPerCard < 1000 ? `${j.cards}x${j.milliPerCard / 10}%` : String(j.cards);
}

function printJob(io: CliIo, j: JobView): void {
  const rows: [string, string][] = [
    ['id', j.id],
    ['name', j.name],
    ['kind', j.kind],
    ['state', j.state],
    ['tenant/queue', `${j.tenant}/${j.queue}`],
    ['cards', cardsText(j)],
    ['chip', j.chip ?? '-'],
    ['placement', j.placements.map((p) => `${p.nodeId}[${p.devices.join(',')}]`).join(' ') || '-'],
    ['attempt', String(j.attempt)],
    ['submitted', `${age(j.submittedAtMs)} ago`],
  ];
  if (j.reason) rows.push(['reason', j.reason]);
  if (j.exitCode !== null) rows.push(['exit code', String(j.exitCode)]);
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) io.stdout(`${k.padEnd(w)}  ${v}\n`);
}

interface LogLine {
  nodeRank?: number;
  stream: string;
  text: string;
}

/**
 * Prints a job's log lines; with `rank`, only that rank's. The ranks of a multi-node job come
 * interleaved in arrival order, each line prefixed with `[rank N]` (tracked per rank, since a chunk
 * may end mid-line).
 */
async function followLogs(client: ApiClient, io: CliIo, id: string, follow: boolean, attempt?: number, rank?: number): Promise<void> {
  let after = 0;
  let prefix: boolean | null = rank !== undefined ? false : null;
  const atLineStart = new Map<number, boolean>();
  const print = (l: LogLine): void => {
    const out = l.stream === 'stderr' ? io.stderr : io.stdout;
    if (!prefix) return out(l.text);
    const r = l.nodeRank ?? 0;
    let text = '';
    let start = atLineStart.get(r) ?? true;
    for (const part of l.text.split(/(?<=\n)/)) {
      text += start ? `[rank ${r}] ${part}` : part;
      start = part.endsWith('\n');
    }
    atLineStart.set(r, start);
    out(text);
  };
  for (;;) {
    const page = await client.get<{ items: LogLine[]; next: number; state: string }>(`/api/v1/jobs/${encodeURIComponent(id)}/logs${query({ after, attempt, rank })}`);
    if (prefix === null && page.items.length > 0) {
      const job = await client.get<{ placements: unknown[] }>(`/api/v1/jobs/${encodeURIComponent(id)}`);
      prefix = job.placements.length > 1 || page.items.some((l) => (l.nodeRank ?? 0) > 0);
    }
    for (const l of page.items) print(l);
    after = page.next;
    if (!follow || (terminal.has(page.state) && page.items.length === 0)) return;
    if (page.items.length === 0) await new Promise((r) => setTimeout(r, 1000));
  }
}

/** `tessera jobs ...`: submit, list, get, cancel, explain, logs, over the control plane's API. */
export function register(program: Command, io: CliIo): void {
  const jobs = program.command('jobs').description('Submit and follow jobs on a control plane (tessera serve)');
  withConnection(jobs.command('submit <file>').description('Submit a job from a YAML or JSON file'))
    .option('--idempotency-key <key>', 'submit at most once per key (retries return the same job)')
    .option('--json', 'print the job as JSON')
    .action(async (file: string, o: { server?: string; token?: string; idempotencyKey?: string; json?: boolean }) => {
      const client = clientFrom(o, io);
      const res = await client.request<JobView>('POST', '/api/v1/jobs', readSpec(file, io), o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {});
      if (o.json) return printJson(io, res.body);
      io.stdout(`${res.status === 201 ? 'submitted' : 'already submitted'} ${res.body.id} (${res.body.state})\n`);
    });
  withConnection(jobs.command('list').description('List jobs, newest first'))
    .option('--state <states>', 'comma-separated states (Pending,Running,...)')
    .option('--tenant <id>', 'only this tenant')
    .option('--kind <kind>', 'training, finetune, batch or inference')
    .option('--limit <n>', 'at most this many', '50')
    .option('--offset <n>', 'skip this many', '0')
    .option('--json', 'print JSON')
    .action(async (o: { server?: string; token?: string; state?: string; tenant?: string; kind?: string; limit: string; offset: string; json?: boolean }) => {
      const page = await clientFrom(o, io).get<{ items: JobView[]; total: number }>(`/api/v1/jobs${query({ state: o.state, tenant: o.tenant, kind: o.kind, limit: o.limit, offset: o.offset })}`);
      if (o.json) return printJson(io, page);
      const now = Date.now();
      io.stdout(renderTable(['ID', 'NAME', 'KIND', 'STATE', 'TENANT', 'CARDS', 'CHIP', 'AGE'], page.items.map((j) => [j.id, j.name, j.kind, j.state, j.tenant, cardsText(j), j.chip ?? '-', age(j.submittedAtMs, now)]), ['left', 'left', 'left', 'left', 'left', 'right', 'left', 'right']));
      io.stdout(`${page.items.length} of ${page.total} jobs\n`);
    });
  withConnection(jobs.command('get <id>').description('Show one job'))
    .option('--json', 'print JSON')
    .action(async (id: string, o: { server?: string; token?: string; json?: boolean }) => {
      const j = await clientFrom(o, io).get<JobView>(`/api/v1/jobs/${encodeURIComponent(id)}`);
      if (o.json) return printJson(io, j);
      printJob(io, j);
    });
  withConnection(jobs.command('cancel <id>').description('Cancel a job'))
    .option('--reason <text>', 'why (kept in the audit log)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { server?: string; token?: string; reason?: string; json?: boolean }) => {
      const res = await clientFrom(o, io).request<JobView>('POST', `/api/v1/jobs/${encodeURIComponent(id)}/cancel`, o.reason ? { reason: o.reason } : {});
      if (o.json) return printJson(io, res.body);
      io.stdout(`${res.body.id} ${res.body.state}\n`);
    });
  withConnection(jobs.command('explain <id>').description('Why a job waits (per scheduler plugin), or where it runs'))
    .option('--json', 'print JSON')
    .action(async (id: string, o: { server?: string; token?: string; json?: boolean }) => {
      const ex = await clientFrom(o, io).get<{ id: string; state: string; summary: string; reasons: { plugin: string; reason: string }[] }>(`/api/v1/jobs/${encodeURIComponent(id)}/explain`);
      if (o.json) return printJson(io, ex);
      io.stdout(`${ex.id} ${ex.state}: ${ex.summary}\n`);
      if (ex.reasons.length > 0) io.stdout(renderTable(['PLUGIN', 'REASON'], ex.reasons.map((r) => [r.plugin, r.reason])));
    });
  withConnection(jobs.command('logs <id>').description("Print a job's logs (latest attempt)"))
    .option('-f, --follow', 'keep printing until the job ends')
    .option('--attempt <n>', 'logs of this attempt')
    .option('--rank <n>', 'only this node rank of a multi-node job (default: all ranks, interleaved and prefixed)')
    .action(async (id: string, o: { server?: string; token?: string; follow?: boolean; attempt?: string; rank?: string }) => {
      const attempt = o.attempt === undefined ? undefined : Number(o.attempt);
      if (attempt !== undefined && (!Number.isInteger(attempt) || attempt < 1)) throw invalid(`--attempt must be a positive integer, not '${o.attempt}'`);
      const rank = o.rank === undefined ? undefined : Number(o.rank);
      if (rank !== undefined && (!Number.isInteger(rank) || rank < 0)) throw invalid(`--rank must be a node rank (0, 1, ...), not '${o.rank}'`);
      await followLogs(clientFrom(o, io), io, id, o.follow === true, attempt, rank);
    });
}
