/** Turns the API's compact heatmap document into typed arrays for drawing, applying the filters. */
import type { Heatmap } from '../api/views';
import type { HeatmapData } from '../lib/heatmap-draw';

export interface FleetFilter {
  chip: string;
  vendor: string;
  health: '' | 'healthy' | 'unhealthy';
}

export interface FleetModel {
  data: HeatmapData;
  nodes: { id: string; chip: string; vendor: string | null; cluster: string; state: string; schedulable: boolean; first: number; cards: number; usedMilli: number; unhealthy: number; visible: boolean }[];
  visibleDevices: number;
}

export function fleetModel(h: Heatmap, f: FleetFilter): FleetModel {
  const count = h.used.length;
  const unhealthy = new Uint8Array(count);
  for (const i of h.unhealthy) if (i >= 0 && i < count) unhealthy[i] = 1;
  const lost = new Uint8Array(count);
  const visible = new Uint8Array(count);
  let visibleDevices = 0;
  const nodes = h.nodes.map((n) => {
    const chip = h.chips[n.chip];
    const chipId = chip?.id ?? '?';
    const vendor = chip?.vendor ?? null;
    let usedMilli = 0;
    let bad = 0;
    for (let i = n.first; i < n.first + n.cards; i++) {
      usedMilli += h.used[i] ?? 0;
      bad += unhealthy[i] ?? 0;
    }
    const nodeMatches = (!f.chip || f.chip === chipId) && (!f.vendor || f.vendor === vendor);
    if (n.state !== 'Ready') lost.fill(1, n.first, n.first + n.cards);
    let any = false;
    for (let i = n.first; i < n.first + n.cards; i++) {
      const healthOk = !f.health || (f.health === 'unhealthy' ? unhealthy[i] === 1 : unhealthy[i] === 0);
      if (nodeMatches && healthOk) {
        visible[i] = 1;
        visibleDevices++;
        any = true;
      }
    }
    return { id: n.id, chip: chipId, vendor, cluster: n.cluster, state: n.state, schedulable: n.schedulable, first: n.first, cards: n.cards, usedMilli, unhealthy: bad, visible: any };
  });
  return { data: { used: h.used, unhealthy, lost, visible }, nodes, visibleDevices };
}
