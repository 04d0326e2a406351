import type { Command } from 'commander';
import { age, clientFrom, query, withConnection } from './api-client.js';
import { printJson, type CliIo } from './io.js';
import { renderTable } from './table.js';

interface NodeView {
  id: string;
  cluster: string;
  chip: string;
  cards: number;
  state: string;
  schedulable: boolean;
  simulated: boolean;
  lastHeartbeatAtMs: number;
}

/** `tessera nodes ...`: the nodes registered with a control plane. */
export function register(program: Command, io: CliIo): void {
  const nodes = program.command('nodes').description('Nodes registered with a control plane (tessera serve)');
  withConnection(nodes.command('list').description('List registered nodes'))
    .option('--cluster <id>', 'only this cluster')
    .option('--chip <id>', 'only this chip')
    .option('--state <state>', 'Ready or Lost')
    .option('--limit <n>', 'at most this many', '100')
    .option('--offset <n>', 'skip this many', '0')
    .option('--json', 'print JSON')
    .action(async (o: { server?: string; token?: string; cluster?: string; chip?: string; state?: string; limit: string; offset: string; json?: boolean }) => {
      const page = await clientFrom(o, io).get<{ items: NodeView[]; total: number }>(`/api/v1/nodes${query({ cluster: o.cluster, chip: o.chip, state: o.state, limit: o.limit, offset: o.offset })}`);
      if (o.json) return printJson(io, page);
      const now = Date.now();
      io.stdout(
        renderTable(
          ['NODE', 'CLUSTER', 'CHIP', 'CARDS', 'STATE', 'HEARTBEAT', 'AGENT'],
          page.items.map((n) => [n.id, n.cluster, n.chip, String(n.cards), n.schedulable ? n.state : `${n.state},cordoned`, `${age(n.lastHeartbeatAtMs, now)} ago`, n.simulated ? 'simulated' : 'real']),
          ['left', 'left', 'left', 'right'],
        ),
      );
      io.stdout(`${page.items.length} of ${page.total} nodes\n`);
    });
  for (const verb of ['cordon', 'uncordon'] as const) {
    withConnection(nodes.command(`${verb} <id>`).description(verb === 'cordon' ? 'Stop placing new work on a node' : 'Allow new work on a node again')).action(async (id: string, o: { server?: string; token?: string }) => {
      const res = await clientFrom(o, io).request<NodeView>('POST', `/api/v1/nodes/${encodeURIComponent(id)}/${verb}`);
      io.stdout(`${res.body.id} ${res.body.schedulable ? 'schedulable' : 'cordoned'}\n`);
    });
  }
}
