/**
 * The quick-start fleet: a small mixed pool of six vendors in two clusters, big enough to show
 * heterogeneous placement and small enough to read. Illustrative, not a real deployment; link
 * domains follow each vendor's usual server board (chips.md).
 */
import type { FleetDoc } from '../types.js';

export const demo: FleetDoc = {
  name: 'demo',
  description: 'Illustrative mixed fleet: NVIDIA H20, Huawei Ascend 910B, T-Head PPU, MetaX C500, Biren BR104, Moore Threads S4000.',
  source: 'illustrative (not a real deployment)',
  clusters: [
    { id: 'beijing', name: 'Beijing', region: 'cn-north' },
    { id: 'ningxia', name: 'Ningxia', region: 'cn-northwest' },
  ],
  serverModels: [
    { id: 'hgx-h20-8', chip: 'nvidia-h20', maxCards: 8, linkDomainSize: 8 },
    { id: 'atlas-800t-a2', chip: 'ascend-910b', maxCards: 8, linkDomainSize: 8 },
    { id: 'ppu-16', chip: 'thead-ppu', maxCards: 16, linkDomainSize: 16 },
    { id: 'metax-c500-8', chip: 'metax-c500', maxCards: 8, linkDomainSize: 4 },
    { id: 'biren-8', chip: 'biren-br104', maxCards: 8 },
    { id: 'kuae-s4000-8', chip: 'mthreads-s4000', maxCards: 8, linkDomainSize: 8 },
  ],
  nodeGroups: [
    { id: 'h20', cluster: 'beijing', chip: 'nvidia-h20', serverModel: 'hgx-h20-8', servers: 4, cardsPerServer: 8 },
    { id: 'ascend', cluster: 'beijing', chip: 'ascend-910b', serverModel: 'atlas-800t-a2', servers: 6, cardsPerServer: 8 },
    { id: 'ppu', cluster: 'ningxia', chip: 'thead-ppu', serverModel: 'ppu-16', servers: 4, cardsPerServer: 16 },
    { id: 'metax', cluster: 'ningxia', chip: 'metax-c500', serverModel: 'metax-c500-8', servers: 4, cardsPerServer: 8 },
    { id: 'biren', cluster: 'ningxia', chip: 'biren-br104', serverModel: 'biren-8', servers: 2, cardsPerServer: 8 },
    { id: 'mthreads', cluster: 'beijing', chip: 'mthreads-s4000', serverModel: 'kuae-s4000-8', servers: 4, cardsPerServer: 8 },
  ],
};
