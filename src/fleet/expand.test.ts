import { describe, expect, it } from 'vitest';
import { builtinFleetDoc } from './builtin/index.js';
import { expandFleet } from './expand.js';
import { parseFleet } from './parse.js';
import { builtinCatalog } from '../catalog/index.js';

const catalog = builtinCatalog();

describe('expandFleet', () => {
  it('gives nodes and devices stable ids, racks and link domains', () => {
    const doc = parseFleet(
      `name: t
clusters: [{ id: bj }]
serverModels: [{ id: m8, chip: metax-c500, maxCards: 8, linkDomainSize: 4 }]
nodeGroups:
  - { id: mx, cluster: bj, chip: metax-c500, serverModel: m8, servers: 10, cardsPerServer: 8, serversPerRack: 4 }
  - { id: h, cluster: bj, chip: h20, servers: 2, cardsPerServer: 8, nodeNames: [gpu-a, gpu-b], labels: { zone: a } }
`,
      't.yaml',
      catalog,
    );
    const fleet = expandFleet(doc);
    expect(fleet.nodes.map((n) => n.id)).toEqual(['mx-0', 'mx-1', 'mx-2', 'mx-3', 'mx-4', 'mx-5', 'mx-6', 'mx-7', 'mx-8', 'mx-9', 'gpu-a', 'gpu-b']);
    // 10 servers, 4 per rack: racks 0,0,0,0,1,1,1,1,2,2
    expect(fleet.nodes.slice(0, 10).map((n) => n.rack)).toEqual(['mx-rack-0', 'mx-rack-0', 'mx-rack-0', 'mx-rack-0', 'mx-rack-1', 'mx-rack-1', 'mx-rack-1', 'mx-rack-1', 'mx-rack-2', 'mx-rack-2']);
    const mx = fleet.nodes[0];
    expect(mx?.linkDomainSize).toBe(4);
    expect(mx?.devices.map((d) => `${d.id}@${d.linkDomain}`)).toEqual(['mx-0/0@0', 'mx-0/1@0', 'mx-0/2@0', 'mx-0/3@0', 'mx-0/4@1', 'mx-0/5@1', 'mx-0/6@1', 'mx-0/7@1']);
    const h = fleet.nodes[10];
    // No server model and no linkDomainSize: the whole node is one domain; chip alias resolved.
    expect(h).toMatchObject({ chip: 'nvidia-h20', linkDomainSize: 8, rack: 'h-rack-0', serverModel: null, labels: { zone: 'a' } });
    expect(new Set(h?.devices.map((d) => d.linkDomain))).toEqual(new Set([0]));
    expect(fleet.cards).toBe(10 * 8 + 2 * 8);
  });

  it('is deterministic: the same document expands to the same ids', () => {
    const doc = builtinFleetDoc('demo', catalog);
    expect(expandFleet(doc).nodes.map((n) => n.devices.map((d) => d.id))).toEqual(expandFleet(doc).nodes.map((n) => n.devices.map((d) => d.id)));
  });

  it('expands unicom-2025 to 1747 nodes and 22832 unique devices', () => {
    const fleet = expandFleet(builtinFleetDoc('unicom-2025', catalog));
    expect(fleet.nodes).toHaveLength(1747);
    const devices = fleet.nodes.flatMap((n) => n.devices);
    expect(devices).toHaveLength(22832);
    expect(new Set(devices.map((d) => d.id)).size).toBe(22832);
    expect(fleet.cards).toBe(22832);
    // MetaX nodes: two MetaXLink domains of 4 (chips.md [M3]); PPU: one ICN domain of 16.
    expect(fleet.nodes.find((n) => n.group === 'metax')?.devices.map((d) => d.linkDomain)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(new Set(fleet.nodes.find((n) => n.group === 'ppu')?.devices.map((d) => d.linkDomain))).toEqual(new Set([0]));
    // 1024 PPU servers, 8 per rack by default: 128 racks.
    expect(new Set(fleet.nodes.filter((n) => n.group === 'ppu').map((n) => n.rack)).size).toBe(128);
  });
});
