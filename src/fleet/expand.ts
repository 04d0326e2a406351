/**
 * `expandFleet`: a validated `FleetDoc` to nodes and devices with stable ids.
 * Node id: the explicit node name, else `<groupId>-<n>` (n from 0, in declaration order).
 * Device id: `<nodeId>/<index>`. Rack: `<groupId>-rack-<floor(n / serversPerRack)>`.
 * Ids depend only on the document, so re-expanding the same file gives the same ids.
 */
import { DEFAULT_SERVERS_PER_RACK } from './semantic-checks.js';
import type { Device, Fleet, FleetDoc, FleetNode } from './types.js';

export function expandFleet(doc: FleetDoc): Fleet {
  const models = new Map((doc.serverModels ?? []).map((m) => [m.id, m]));
  const nodes: FleetNode[] = [];
  let cards = 0;
  for (const group of doc.nodeGroups) {
    const model = group.serverModel === undefined ? undefined : models.get(group.serverModel);
    const linkDomainSize = group.linkDomainSize ?? model?.linkDomainSize ?? group.cardsPerServer;
    const perRack = group.serversPerRack ?? DEFAULT_SERVERS_PER_RACK;
    const cpuMilli = group.cpuMilli ?? model?.cpuMilli ?? null;
    const memoryMiB = group.memoryMiB ?? model?.memoryMiB ?? null;
    const labels = group.labels ?? {};
    for (let n = 0; n < group.servers; n++) {
      const id = group.nodeNames?.[n] ?? `${group.id}-${n}`;
      const devices: Device[] = new Array<Device>(group.cardsPerServer);
      for (let i = 0; i < group.cardsPerServer; i++) {
        devices[i] = { id: `${id}/${i}`, index: i, linkDomain: Math.floor(i / linkDomainSize) };
      }
      nodes.push({
        id,
        cluster: group.cluster,
        group: group.id,
        chip: group.chip,
        cards: group.cardsPerServer,
        rack: `${group.id}-rack-${Math.floor(n / perRack)}`,
        linkDomainSize,
        serverModel: group.serverModel ?? null,
        contract: group.contract ?? null,
        cpuMilli,
        memoryMiB,
        devices,
        // Each node owns its labels, so that labelling one node never relabels its group.
        labels: { ...labels },
      });
    }
    cards += group.servers * group.cardsPerServer;
  }
  return {
    name: doc.name,
    description: doc.description ?? '',
    source: doc.source ?? null,
    doc,
    clusters: doc.clusters,
    nodes,
    cards,
  };
}
