import type { Command } from 'commander';
import { invalid } from '../lib/errors.js';
import { clientFrom, withConnection } from './api-client.js';
import { printJson, type CliIo } from './io.js';
import { renderTable } from './table.js';

interface TenantView {
  id: string;
  name: string;
  quota: Record<string, number>;
}

/** `--quota '*=64,nvidia-h20=16'` -> { '*': 64, 'nvidia-h20': 16 } */
export function parseQuota(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^([^=\s]+)=(\d+)$/.exec(part);
    if (!m) throw invalid(`--quota: '${part}' is not chip=cards (e.g. '*=64,nvidia-h20=16')`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

const quotaText = (q: Record<string, number>): string =>
  Object.entries(q)
    .map(([k, v]) => `${k}=${v}`)
    .join(',') || 'unlimited';

/** `tessera tenants ...`: tenants and their card quotas. */
export function register(program: Command, io: CliIo): void {
  const tenants = program.command('tenants').description('Tenants and their quotas on a control plane (tessera serve)');
  withConnection(tenants.command('list').description('List tenants'))
    .option('--json', 'print JSON')
    .action(async (o: { server?: string; token?: string; json?: boolean }) => {
      const page = await clientFrom(o, io).get<{ items: TenantView[] }>('/api/v1/tenants');
      if (o.json) return printJson(io, page);
      io.stdout(renderTable(['TENANT', 'NAME', 'QUOTA (cards)'], page.items.map((t) => [t.id, t.name, quotaText(t.quota)])));
    });
  withConnection(tenants.command('create <id>').description('Create a tenant'))
    .option('--name <name>', 'display name')
    .option('--quota <chip=cards,...>', "card quota per chip, '*' for all chips together")
    .option('--json', 'print JSON')
    .action(async (id: string, o: { server?: string; token?: string; name?: string; quota?: string; json?: boolean }) => {
      const res = await clientFrom(o, io).request<TenantView>('POST', '/api/v1/tenants', { id, ...(o.name ? { name: o.name } : {}), ...(o.quota ? { quota: parseQuota(o.quota) } : {}) });
      if (o.json) return printJson(io, res.body);
      io.stdout(`created tenant ${res.body.id} (quota ${quotaText(res.body.quota)})\n`);
    });
  withConnection(tenants.command('set-quota <id> <quota>').description("Replace a tenant's quota ('*=64,nvidia-h20=16'; '' for unlimited)")).action(async (id: string, quota: string, o: { server?: string; token?: string }) => {
    const res = await clientFrom(o, io).request<TenantView>('PUT', `/api/v1/tenants/${encodeURIComponent(id)}`, { quota: parseQuota(quota) });
    io.stdout(`tenant ${res.body.id} quota ${quotaText(res.body.quota)}\n`);
  });
  withConnection(tenants.command('get <id>').description('Show a tenant with its queues'))
    .option('--json', 'print JSON')
    .action(async (id: string, o: { server?: string; token?: string; json?: boolean }) => {
      const t = await clientFrom(o, io).get<TenantView & { queues: { name: string; weight: number; priority: number }[] }>(`/api/v1/tenants/${encodeURIComponent(id)}`);
      if (o.json) return printJson(io, t);
      io.stdout(`${t.id} (${t.name}) quota ${quotaText(t.quota)}\n`);
      io.stdout(renderTable(['QUEUE', 'WEIGHT', 'PRIORITY'], t.queues.map((q) => [q.name, String(q.weight), String(q.priority)])));
    });
  withConnection(tenants.command('delete <id>').description('Delete a tenant with no unfinished jobs')).action(async (id: string, o: { server?: string; token?: string }) => {
    await clientFrom(o, io).request('DELETE', `/api/v1/tenants/${encodeURIComponent(id)}`);
    io.stdout(`deleted tenant ${id}\n`);
  });
}
