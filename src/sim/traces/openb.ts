/**
 * Alibaba openb pod lists (github alibaba/clusterdata cluster-trace-gpu-v2023, CC-BY-4.0) as a
 * trace: a pod arrives at `creation_time` and runs until `deletion_time` (seconds). `num_gpu` 0 is a
 * CPU-only pod (no cards); 1 with `gpu_milli` < 1000 is a share of one card; more are whole cards on
 * one node. `gpu_spec` (e.g. `V100M16|V100M32`) limits the models; empty means any.
 */
import type { SimJob } from '../core/types.js';
import { csvRows } from './csv-table.js';
import { LineIssues, num, type TraceReadOptions } from './line-issues.js';

/** openb model codes -> catalog chip ids (as the openb fleet import maps them). */
export const OPENB_CHIPS: Record<string, string> = {
  G1: 'openb-g1',
  G2: 'openb-g2',
  G3: 'openb-g3',
  T4: 'nvidia-t4',
  P100: 'nvidia-p100',
  V100M16: 'nvidia-v100-16g',
  V100M32: 'nvidia-v100-32g',
  A10: 'nvidia-a10',
};

const REQUIRED = ['name', 'cpu_milli', 'memory_mib', 'num_gpu', 'gpu_milli', 'gpu_spec', 'creation_time', 'deletion_time'];

export function parseOpenbPods(text: string, opts: TraceReadOptions): { jobs: SimJob[]; skipped: number } {
  const issues = new LineIssues(opts);
  const jobs: SimJob[] = [];
  for (const row of csvRows(text, opts.file, REQUIRED)) {
    const name = row.get('name')?.trim() ?? '';
    const cpu = num(row.get('cpu_milli'));
    const mem = num(row.get('memory_mib'));
    const gpus = num(row.get('num_gpu'));
    const milli = num(row.get('gpu_milli'));
    const created = num(row.get('creation_time'));
    const deleted = num(row.get('deletion_time'));
    const spec = row.get('gpu_spec')?.trim() ?? '';
    const qos = row.get('qos')?.trim();
    if (name === '') issues.add(row.line, 'name', 'pod name is empty');
    else if (cpu === undefined || cpu < 0) issues.add(row.line, 'cpu_milli', `cpu_milli must be a number >= 0, got ${JSON.stringify(row.get('cpu_milli'))}`);
    else if (mem === undefined || mem < 0) issues.add(row.line, 'memory_mib', `memory_mib must be a number >= 0, got ${JSON.stringify(row.get('memory_mib'))}`);
    else if (gpus === undefined || !Number.isInteger(gpus) || gpus < 0) issues.add(row.line, 'num_gpu', `num_gpu must be an integer >= 0, got ${JSON.stringify(row.get('num_gpu'))}`);
    else if (gpus > 0 && (milli === undefined || milli <= 0 || milli > 1000)) issues.add(row.line, 'gpu_milli', `gpu_milli must be in 1..1000, got ${JSON.stringify(row.get('gpu_milli'))}`);
    else if (created === undefined || created < 0) issues.add(row.line, 'creation_time', `creation_time must be a number >= 0, got ${JSON.stringify(row.get('creation_time'))}`);
    else if (deleted === undefined || deleted < created) issues.add(row.line, 'deletion_time', `deletion_time must be a number >= creation_time, got ${JSON.stringify(row.get('deletion_time'))}`);
    else {
      const models = spec === '' ? [] : spec.split('|').map((m) => m.trim());
      const unknown = models.filter((m) => !(m in OPENB_CHIPS));
      if (unknown.length > 0) {
        issues.add(row.line, 'gpu_spec', `unknown GPU model ${unknown.join(', ')}`);
        continue;
      }
      jobs.push({
        id: name,
        tenant: qos ?? 'default',
        queue: 'default',
        priority: 0,
        submitTimeSec: created,
        cards: gpus,
        milliPerCard: gpus === 0 ? 0 : gpus === 1 ? (milli as number) : 1000,
        gang: false,
        chips: models.length === 0 ? { kind: 'any' } : models.length === 1 ? { kind: 'pinned', chip: OPENB_CHIPS[models[0] as string] as string } : { kind: 'any-of', chips: models.map((m) => OPENB_CHIPS[m] as string) },
        cpuMilli: cpu,
        memoryMiB: mem,
        durationSec: deleted - created,
        kind: 'batch',
      });
    }
  }
  const { skipped } = issues.finish('openb');
  // Stable sort: the pod lists are nearly sorted already; equal times keep file order.
  jobs.sort((a, b) => a.submitTimeSec - b.submitTimeSec);
  return { jobs, skipped };
}
