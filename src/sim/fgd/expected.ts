import { ValidationError } from '../../lib/errors.js';
import { parseCsv } from '../openb/csv.js';
import { MAX_COLUMN } from './binning.js';

/** Published per-seed curves: workload (e.g. `openb_pod_list_default`) -> policy (`06-FGD`) -> seed -> columns. */
export type ExpectedCurves = Map<string, Map<string, Map<number, (number | null)[]>>>;

/** Parses `fgd_expected_allo_discrete.csv` (pure: text in). */
export function parseExpected(text: string, file = 'fgd_expected_allo_discrete.csv'): ExpectedCurves {
  const rows = parseCsv(text, file, ['workload', 'sc_policy', 'seed', '0', String(MAX_COLUMN)]);
  const out: ExpectedCurves = new Map();
  for (const row of rows) {
    const seed = Number(row.get('seed'));
    if (!Number.isInteger(seed)) throw new ValidationError(`${file}: bad seed`, [{ file, line: row.line, path: 'seed', message: `seed must be an integer, got "${row.get('seed')}"` }]);
    const cols: (number | null)[] = [];
    for (let x = 0; x <= MAX_COLUMN; x++) {
      const raw = row.get(String(x)).trim();
      cols.push(raw === '' ? null : Number(raw));
    }
    const w = out.get(row.get('workload')) ?? new Map<string, Map<number, (number | null)[]>>();
    out.set(row.get('workload'), w);
    const p = w.get(row.get('sc_policy')) ?? new Map<number, (number | null)[]>();
    w.set(row.get('sc_policy'), p);
    p.set(seed, cols);
  }
  return out;
}

/** Mean over seeds of one column of one workload and policy, or null when absent. */
export function expectedMean(curves: ExpectedCurves, workload: string, policy: string, column: number): number | null {
  const seeds = curves.get(workload)?.get(policy);
  if (!seeds) return null;
  const vals = [...seeds.values()].map((c) => c[column]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return vals.length === 0 ? null : vals.reduce((a, b) => a + b, 0) / vals.length;
}
