/**
 * Where the ranks of a multi-node job meet: rank 0's registered address (the `tessera.io/address`
 * node label), else its node id (agents default node ids to the host name), on a port derived from
 * the job id and attempt. The control plane decides it once so every rank is told the same thing.
 */
import type { NodeRecord } from '../store/index.js';

/** Node label an agent sets to the address other nodes reach it at. */
export const addressLabel = 'tessera.io/address';

/** Ports derived for rendezvous when the job names none (the agent derives the same when told none). */
export const rendezvousPortBase = 20_000;
export const rendezvousPortSpan = 10_000;

/** FNV-1a of `jobId#attempt`, so two jobs whose rank 0 share a node rarely collide and a retried attempt gets a fresh port. */
export function rendezvousPort(jobId: string, attempt: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${jobId}#${attempt}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return rendezvousPortBase + (h % rendezvousPortSpan);
}

/** The address of rank 0's node for the other ranks; a single-node job meets on the loopback. */
export function rendezvousAddr(nodeCount: number, rank0Id: string, rank0: Pick<NodeRecord, 'labels'> | null): string {
  if (nodeCount <= 1) return '127.0.0.1';
  const label = rank0?.labels[addressLabel]?.trim();
  return label ? label : rank0Id;
}
