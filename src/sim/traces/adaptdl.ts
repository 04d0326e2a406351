/**
 * Sia (github siasosp23/artifacts) and Pollux (github petuum/adaptdl, osdi21-artifact) workloads:
 * `name,time,application,num_replicas,batch_size`. Each row is a training job submitted at `time`
 * (seconds) asking for `num_replicas` GPUs. These workloads carry no run time: in Sia and Pollux the
 * simulator runs each application to its convergence target with a goodput model that is not in the
 * shared data. So the adapter leaves `durationSec` unset; the caller supplies run times (the
 * performance model via `durationOn`, or an explicit assumption such as `--duration-sec`).
 */
import type { SimJob } from '../core/types.js';
import { csvRows } from './csv-table.js';
import { LineIssues, num, type TraceReadOptions } from './line-issues.js';

export function parseAdaptdlWorkload(text: string, opts: TraceReadOptions & { source: 'sia' | 'pollux'; durationSec?: number }): { jobs: SimJob[]; skipped: number } {
  const issues = new LineIssues(opts);
  const jobs: SimJob[] = [];
  for (const row of csvRows(text, opts.file, ['name', 'time', 'application', 'num_replicas'])) {
    const name = row.get('name')?.trim() ?? '';
    const time = num(row.get('time'));
    const app = row.get('application')?.trim() ?? '';
    const replicas = num(row.get('num_replicas'));
    const bsz = num(row.get('batch_size'));
    if (name === '') issues.add(row.line, 'name', 'job name is empty');
    else if (time === undefined || time < 0) issues.add(row.line, 'time', `time must be a number >= 0, got ${JSON.stringify(row.get('time'))}`);
    else if (app === '') issues.add(row.line, 'application', 'application is empty');
    else if (replicas === undefined || !Number.isInteger(replicas) || replicas < 1) issues.add(row.line, 'num_replicas', `num_replicas must be an integer >= 1, got ${JSON.stringify(row.get('num_replicas'))}`);
    else if (row.get('batch_size') !== undefined && bsz === undefined) issues.add(row.line, 'batch_size', `batch_size must be a number, got ${JSON.stringify(row.get('batch_size'))}`);
    else
      jobs.push({
        id: name,
        tenant: opts.source,
        queue: 'default',
        priority: 0,
        submitTimeSec: time,
        cards: replicas,
        milliPerCard: 1000,
        gang: true,
        chips: { kind: 'any' },
        workloadClass: app,
        kind: 'train',
        ...(opts.durationSec !== undefined ? { durationSec: opts.durationSec } : {}),
      });
  }
  const { skipped } = issues.finish(opts.source === 'sia' ? 'Sia' : 'Pollux');
  jobs.sort((a, b) => a.submitTimeSec - b.submitTimeSec);
  return { jobs, skipped };
}
