import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { invalid } from '../../lib/errors.js';
import type { UsageReport, UsageRow } from './accounting.js';

/** Where usage totals are stored between runs: one JSON document, replaced atomically. */
export interface UsageFile {
  savedAtMs: number;
  rows: UsageRow[];
}

/** Reads saved rows; a missing file is an empty history, a corrupt one is an error naming the file. */
export function readUsageFile(path: string): UsageRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  try {
    const doc = JSON.parse(text) as Partial<UsageFile>;
    if (!Array.isArray(doc.rows)) throw new Error('no rows');
    return doc.rows.filter((r): r is UsageRow => typeof r === 'object' && r !== null && typeof r.tenant === 'string' && typeof r.chip === 'string' && typeof r.model === 'string' && Number.isFinite(r.promptTokens) && Number.isFinite(r.completionTokens));
  } catch {
    throw invalid(`The usage file ${path} is not a usage document written by tessera gateway; move it away or fix it.`);
  }
}

export function writeUsageFile(path: string, report: UsageReport): void {
  const doc: UsageFile = { savedAtMs: report.untilMs, rows: report.rows };
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(tmp, path);
}
