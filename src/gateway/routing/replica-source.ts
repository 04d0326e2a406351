import type { ReplicaSpec } from '../config/schema.js';

/**
 * Where the gateway learns its replicas. A static file today; the control plane's inference
 * services implement the same contract later. `current()` is always the whole set; listeners
 * get the whole new set after every change (adds, removals, chip or URL changes).
 */
export interface ReplicaSource {
  current(): readonly ReplicaSpec[];
  subscribe(listener: (replicas: readonly ReplicaSpec[]) => void): () => void;
}

/** A fixed list (from the gateway's config file); `replace` lets an operator reload it. */
export class StaticReplicaSource implements ReplicaSource {
  private replicas: readonly ReplicaSpec[];
  private readonly listeners = new Set<(r: readonly ReplicaSpec[]) => void>();

  constructor(replicas: readonly ReplicaSpec[]) {
    this.replicas = replicas;
  }

  current(): readonly ReplicaSpec[] {
    return this.replicas;
  }

  subscribe(listener: (replicas: readonly ReplicaSpec[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  replace(replicas: readonly ReplicaSpec[]): void {
    this.replicas = replicas;
    for (const l of this.listeners) l(replicas);
  }
}
