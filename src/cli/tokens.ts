import type { Command } from 'commander';
import { invalid } from '../lib/errors.js';
import { age, clientFrom, withConnection } from './api-client.js';
import { printJson, type CliIo } from './io.js';
import { renderTable } from './table.js';

interface TokenView {
  id: string;
  name: string;
  role: string;
  tenant: string | null;
  nodeId: string | null;
  createdAtMs: number;
  revokedAtMs: number | null;
  secret?: string;
}

const roles = ['admin', 'operator', 'member', 'agent'];

/** `tessera tokens ...`: API tokens (admins only). */
export function register(program: Command, io: CliIo): void {
  const tokens = program.command('tokens').description('API tokens of a control plane (admin)');
  withConnection(tokens.command('create').description('Create a token; its secret is printed once'))
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--role <role>', 'admin, operator, member (needs --tenant) or agent (needs --node)')
    .option('--tenant <id>', 'tenant of a member token')
    .option('--node <id>', 'node of an agent token')
    .option('--json', 'print JSON')
    .action(async (o: { server?: string; token?: string; name: string; role: string; tenant?: string; node?: string; json?: boolean }) => {
      if (!roles.includes(o.role)) throw invalid(`--role must be one of ${roles.join(', ')}, not '${o.role}'`);
      const res = await clientFrom(o, io).request<TokenView>('POST', '/api/v1/tokens', { name: o.name, role: o.role, ...(o.tenant ? { tenant: o.tenant } : {}), ...(o.node ? { nodeId: o.node } : {}) });
      if (o.json) return printJson(io, res.body);
      io.stdout(`created token ${res.body.id} (${res.body.role}${res.body.tenant ? `, tenant ${res.body.tenant}` : ''}${res.body.nodeId ? `, node ${res.body.nodeId}` : ''})\n`);
      io.stdout(`secret (shown once): ${res.body.secret}\n`);
    });
  withConnection(tokens.command('list').description('List tokens (never their secrets)'))
    .option('--json', 'print JSON')
    .action(async (o: { server?: string; token?: string; json?: boolean }) => {
      const page = await clientFrom(o, io).get<{ items: TokenView[] }>('/api/v1/tokens');
      if (o.json) return printJson(io, page);
      const now = Date.now();
      io.stdout(renderTable(['ID', 'NAME', 'ROLE', 'TENANT/NODE', 'CREATED', 'STATUS'], page.items.map((t) => [t.id, t.name, t.role, t.tenant ?? t.nodeId ?? '-', `${age(t.createdAtMs, now)} ago`, t.revokedAtMs ? 'revoked' : 'active'])));
    });
  withConnection(tokens.command('revoke <id>').description('Revoke a token')).action(async (id: string, o: { server?: string; token?: string }) => {
    await clientFrom(o, io).request('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
    io.stdout(`revoked ${id}\n`);
  });
}
