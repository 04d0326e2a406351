/**
 * Gavel's data (stanford-futuredata/gavel, `scheduler/`, MIT): the measured throughput matrix
 * `simulation_throughputs.json` and Philly-derived traces `*.trace`.
 *
 * Throughputs: `{ <worker type>: { "('<job type>', <scale factor>)": { "null": <steps/s alone>, ...co-location pairs } } }`.
 * Only the isolated (`null`) figure is used here; `*_unconsolidated` worker types are skipped.
 *
 * Trace lines are tab-separated. The shared `msr-seed0` file has 7 fields, matching Gavel's
 * `utils.parse_trace`: job type, command, num_steps_arg, needs_data_dir (0/1), total steps, arrival
 * time (s), scale factor. Gavel's later traces append a priority weight and an SLO; both are read when present.
 * That file also asks for scale factors Gavel never measured for non-distributed types (e.g.
 * Recommendation at 4 GPUs, 197 of 1180 lines). With a throughput matrix given, such a line is an
 * error by default; `unmeasuredScaleFactor: 'single-gpu'` runs it as a 1-GPU job instead, as Gavel's
 * own generator does for non-distributed types, and counts it in `downscaled`.
 */
import { invalid } from '../../lib/errors.js';
import { LineIssues, lines, num, type TraceReadOptions } from './line-issues.js';

export interface GavelThroughputs {
  /** Worker types in file order, e.g. ['k80', 'p100', 'v100']. */
  workerTypes: string[];
  /** Key `${jobType}|${scaleFactor}` -> steps/s per worker type (0 when not measured). */
  byJob: Map<string, Float64Array>;
}

export const gavelKey = (jobType: string, scaleFactor: number): string => `${jobType}|${scaleFactor}`;

const tupleKey = /^\('(.*)', (\d+)\)$/;

export function parseGavelThroughputs(text: string, file: string): GavelThroughputs {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalid(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof raw !== 'object' || raw === null) throw invalid(`${file}: expected an object of worker types`);
  const workerTypes = Object.keys(raw).filter((w) => !w.endsWith('_unconsolidated'));
  const byJob = new Map<string, Float64Array>();
  workerTypes.forEach((w, j) => {
    const jobs = (raw as Record<string, unknown>)[w];
    if (typeof jobs !== 'object' || jobs === null) throw invalid(`${file}: worker type ${w} is not an object`);
    for (const [key, entry] of Object.entries(jobs)) {
      const m = tupleKey.exec(key);
      if (!m) throw invalid(`${file}: ${w}: job key ${JSON.stringify(key)} is not of the form ('<type>', <scale factor>)`);
      const t = (entry as Record<string, unknown> | null)?.['null'];
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw invalid(`${file}: ${w}: ${key}: isolated throughput ("null") must be a number >= 0`);
      const k = gavelKey(m[1] as string, Number(m[2]));
      let row = byJob.get(k);
      if (!row) byJob.set(k, (row = new Float64Array(workerTypes.length)));
      row[j] = t;
    }
  });
  return { workerTypes, byJob };
}

export interface GavelTraceJob {
  /** 0-based order in the trace. */
  index: number;
  jobType: string;
  scaleFactor: number;
  totalSteps: number;
  arrivalSec: number;
  priorityWeight: number;
  /** Gavel's SLO factor, when the trace has one. */
  slo: number | null;
  line: number;
}

export interface GavelTraceOptions extends TraceReadOptions {
  throughputs?: GavelThroughputs;
  unmeasuredScaleFactor?: 'error' | 'single-gpu';
}

export function parseGavelTrace(text: string, opts: GavelTraceOptions): { jobs: GavelTraceJob[]; skipped: number; downscaled: number } {
  let downscaled = 0;
  const issues = new LineIssues(opts);
  const jobs: GavelTraceJob[] = [];
  for (const [n, line] of lines(text)) {
    if (line.trim() === '') continue;
    const f = line.split('\t');
    if (f.length < 7) {
      issues.add(n, '', `expected at least 7 tab-separated fields, found ${f.length}`);
      continue;
    }
    const jobType = (f[0] as string).trim();
    const totalSteps = num(f[4]);
    const arrivalSec = num(f[5]);
    const scaleFactor = num(f[6]);
    const priorityWeight = f.length > 7 ? num(f[7]) : 1;
    const slo = f.length > 8 && (f[8] as string).trim() !== '' && (f[8] as string).trim() !== 'None' ? num(f[8]) : null;
    if (jobType === '') issues.add(n, 'jobType', 'job type is empty');
    else if (totalSteps === undefined || totalSteps <= 0) issues.add(n, 'totalSteps', `total steps must be a number > 0, got ${JSON.stringify(f[4])}`);
    else if (arrivalSec === undefined || arrivalSec < 0) issues.add(n, 'arrivalTime', `arrival time must be a number >= 0, got ${JSON.stringify(f[5])}`);
    else if (scaleFactor === undefined || !Number.isInteger(scaleFactor) || scaleFactor < 1) issues.add(n, 'scaleFactor', `scale factor must be an integer >= 1, got ${JSON.stringify(f[6])}`);
    else if (priorityWeight === undefined || priorityWeight <= 0) issues.add(n, 'priorityWeight', `priority weight must be a number > 0, got ${JSON.stringify(f[7])}`);
    else if (slo === undefined) issues.add(n, 'slo', `SLO must be a number or None, got ${JSON.stringify(f[8])}`);
    else if (opts.throughputs && !opts.throughputs.byJob.has(gavelKey(jobType, scaleFactor))) {
      if (opts.unmeasuredScaleFactor === 'single-gpu' && opts.throughputs.byJob.has(gavelKey(jobType, 1))) {
        downscaled++;
        jobs.push({ index: jobs.length, jobType, scaleFactor: 1, totalSteps, arrivalSec, priorityWeight, slo, line: n });
      } else issues.add(n, 'jobType', `no measured throughput for (${jobType}, ${scaleFactor})`);
    } else jobs.push({ index: jobs.length, jobType, scaleFactor, totalSteps, arrivalSec, priorityWeight, slo, line: n });
  }
  const { skipped } = issues.finish('Gavel');
  return { jobs, skipped, downscaled };
}
