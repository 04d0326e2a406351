import { seededRng } from '../../lib/rng.js';
import { schedule } from '../schedule.js';
import type { Decision, Placement, QueueConfig, Running, ScheduleResult, SchedJob, SchedNode, Snapshot } from '../types.js';
import { tenantFairProfile, type TenantFairOptions } from './profiles.js';
import { queueingRegistry } from './register.js';

/** Scenario helpers for the queueing tests: run the tenant-fair profile and read the decisions. */
export function run(snapshot: Partial<Snapshot> & { nodes: SchedNode[] }, queue: SchedJob[], options: TenantFairOptions = {}): ScheduleResult {
  return schedule({ running: [], nowSec: 0, ...snapshot }, queue, { profile: tenantFairProfile('fast', options), registry: queueingRegistry(), rng: seededRng(1) });
}

export const bound = (r: ScheduleResult): string[] => r.decisions.filter((d) => d.kind === 'bind').map((d) => d.jobId);
export const preempted = (r: ScheduleResult): Extract<Decision, { kind: 'preempt' }>[] => r.decisions.filter((d): d is Extract<Decision, { kind: 'preempt' }> => d.kind === 'preempt');
export const chipOf = (r: ScheduleResult, id: string): string | undefined => r.decisions.find((d): d is Extract<Decision, { kind: 'bind' }> => d.kind === 'bind' && d.jobId === id)?.chip;
export const reasons = (r: ScheduleResult, id: string): string => (r.pending[id] ?? []).map((p) => `${p.plugin}: ${p.reason}`).join(' | ');

/** A running job holding whole cards `devices` on `nodeId`. */
export function running(jobId: string, queue: string, tenant: string, nodeId: string, devices: number[], extra: Partial<Running> = {}): Running {
  const placements: Placement[] = [{ nodeId, devices, milliPerDevice: 1000 }];
  return { jobId, tenant, queue, priority: 0, startTimeSec: 0, borrowed: false, placements, chip: 'nvidia-h20', ...extra };
}

/** Marks a node's devices as taken by the given running jobs (the snapshot carries free milli net of running work). */
export function occupy(nodes: SchedNode[], runs: Running[]): SchedNode[] {
  const byId = new Map(nodes.map((n) => [n.id, { ...n, freeMilli: [...n.freeMilli] }]));
  for (const r of runs) for (const p of r.placements) for (const d of p.devices) {
    const n = byId.get(p.nodeId);
    if (n) n.freeMilli[d] = (n.freeMilli[d] as number) - p.milliPerDevice;
  }
  return nodes.map((n) => byId.get(n.id) as SchedNode);
}

export const q = (name: string, extra: Omit<QueueConfig, 'name'> = {}): QueueConfig => ({ name, ...extra });
