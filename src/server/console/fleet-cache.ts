/**
 * One read of every node and device, shared: reading 22,832 device rows costs a few hundred
 * milliseconds on a busy control plane, and the capacity view, the heatmap and the allocation
 * sampler all need the same rows. Reads younger than `maxAgeMs` are reused and concurrent
 * callers wait for the same read, so a console (or ten) never multiplies the load.
 */
import type { DeviceRecord, NodeRecord, Store } from '../../store/index.js';

export interface FleetRead {
  atMs: number;
  nodes: NodeRecord[];
  devices: DeviceRecord[];
}

export class FleetCache {
  private last: FleetRead | null = null;
  private inFlight: Promise<FleetRead> | null = null;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    readonly maxAgeMs = 1000,
  ) {}

  async read(maxAgeMs = this.maxAgeMs): Promise<FleetRead> {
    if (this.last && this.now() - this.last.atMs <= maxAgeMs) return this.last;
    this.inFlight ??= (async () => {
      try {
        const atMs = this.now();
        const [nodes, devices] = await Promise.all([this.store.listNodes({ limit: 1_000_000, offset: 0 }), this.store.listDevices()]);
        this.last = { atMs, nodes: nodes.items, devices };
        return this.last;
      } finally {
        this.inFlight = null;
      }
    })();
    return this.inFlight;
  }
}
