/**
 * The simulation report: one self-contained HTML file (inline CSS and SVG, no scripts, no network)
 * with the run's inputs, a side-by-side metrics table, and charts of allocation, fragmentation and
 * queue length over time, utilisation per chip and JCT per policy.
 */
import type { SimResult } from '../core/types.js';
import { barChart, esc, lineChart } from './svg.js';

export interface ReportRun {
  label: string;
  result: SimResult;
}

export interface ReportMeta {
  title: string;
  /** Inputs as label/value pairs: fleet, trace, seed, assumptions. */
  inputs: [string, string][];
  notes?: string[];
}

const hours = (s: number | null): string => (s === null ? 'n/a' : (s / 3600).toFixed(2));
const pct = (v: number | null): string => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);

/** The rows shared by the CLI table and the report: metric name, then one cell per run. */
export function metricRows(runs: ReportRun[]): [string, ...string[]][] {
  const row = (name: string, f: (r: SimResult) => string): [string, ...string[]] => [name, ...runs.map((x) => f(x.result))];
  return [
    row('jobs completed', (r) => `${r.jobs.completed} / ${r.jobs.seen}`),
    row('rejected', (r) => String(r.jobs.rejected)),
    row('unfinished', (r) => String(r.jobs.unfinished)),
    row('JCT mean (h)', (r) => hours(r.jctSec.mean)),
    row('JCT p50 (h)', (r) => hours(r.jctSec.p50)),
    row('JCT p99 (h)', (r) => hours(r.jctSec.p99)),
    row('queueing delay mean (h)', (r) => hours(r.queueDelaySec.mean)),
    row('makespan (h)', (r) => hours(r.makespanSec)),
    row('GPU allocation rate', (r) => pct(r.allocationRate)),
    row('fragmentation', (r) => pct(r.fragmentation)),
    row('busy card-hours', (r) => r.perChip.reduce((s, c) => s + c.busyCardHours, 0).toFixed(0)),
    row('cost', (r) => (r.cost === null ? 'n/a (no prices)' : `${r.cost.toFixed(0)}${r.costPartial ? ' (partial)' : ''}`)),
    row('energy (kWh, busy cards at TDP)', (r) => (r.energyKWh === null ? 'n/a' : `${r.energyKWh.toFixed(0)}${r.energyPartial ? ' (partial)' : ''}`)),
    row('SLO attainment', (r) => pct(r.sloAttainment)),
    row('preemptions', (r) => String(r.jobs.preemptions)),
    row('failures', (r) => String(r.jobs.failures)),
    row('schedule() calls', (r) => String(r.scheduleCalls)),
  ];
}

export function renderReport(runs: ReportRun[], meta: ReportMeta): string {
  const head = `<tr><th>metric</th>${runs.map((r) => `<th>${esc(r.label)}</th>`).join('')}</tr>`;
  const body = metricRows(runs)
    .map(([name, ...cells]) => `<tr><td>${esc(name)}</td>${cells.map((c) => `<td class="n">${esc(c)}</td>`).join('')}</tr>`)
    .join('');
  const tl = (f: (p: SimResult['series'][number]) => number) => runs.map((r) => ({ label: r.label, points: r.result.series.map((p) => [p.tSec / 3600, f(p)] as [number, number]) }));
  const chips = [...new Set(runs.flatMap((r) => r.result.perChip.map((c) => c.chip)))].sort();
  const util = runs.map((r) => ({ label: r.label, values: chips.map((c) => 100 * (r.result.perChip.find((x) => x.chip === c)?.utilisation ?? 0)) }));
  const tenants = [...new Set(runs.flatMap((r) => r.result.perTenant.map((t) => t.tenant)))].sort();
  const share = runs.map((r) => ({ label: r.label, values: tenants.map((t) => 100 * (r.result.perTenant.find((x) => x.tenant === t)?.share ?? 0)) }));
  const jct = [{ label: 'JCT mean (h)', values: runs.map((r) => (r.result.jctSec.mean ?? 0) / 3600) }, { label: 'JCT p50 (h)', values: runs.map((r) => (r.result.jctSec.p50 ?? 0) / 3600) }];
  const rejections = runs
    .filter((r) => r.result.rejections.length > 0)
    .map((r) => `<h3>${esc(r.label)}: first rejections</h3><ul>${r.result.rejections.slice(0, 10).map((x) => `<li><code>${esc(x.jobId)}</code>: ${esc(x.reason)}</li>`).join('')}</ul>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(meta.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#111;max-width:1100px}table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #d1d5db;padding:4px 8px;font-size:13px}th{background:#f3f4f6}.n{text-align:right;font-variant-numeric:tabular-nums}figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}code{font-size:12px}</style>
</head><body>
<h1>${esc(meta.title)}</h1>
<table>${meta.inputs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>Metrics</h2>
<table>${head}${body}</table>
${(meta.notes ?? []).map((n) => `<p>${esc(n)}</p>`).join('')}
<h2>Charts</h2>
${lineChart('GPU allocation rate over time', tl((p) => 100 * p.allocationRate), { xLabel: 'hours', yLabel: '% of cards allocated', yMax: 100 })}
${lineChart('Fragmentation over time (free capacity stranded on partly used cards)', tl((p) => 100 * p.fragmentation), { xLabel: 'hours', yLabel: '%', yMax: 100 })}
${lineChart('Pending jobs over time', tl((p) => p.pending), { xLabel: 'hours', yLabel: 'jobs' })}
${barChart('Utilisation per chip type', chips, util, { yLabel: '% busy', yMax: 100 })}
${barChart('Job completion time per run', runs.map((r) => r.label), jct, { yLabel: 'hours' })}
${tenants.length > 1 ? barChart('Share of card-hours per tenant', tenants, share, { yLabel: '%', yMax: 100 }) : ''}
${rejections}
<p style="color:#6b7280;font-size:12px">Generated by tessera sim. Self-contained: no scripts, no network.</p>
</body></html>
`;
}
