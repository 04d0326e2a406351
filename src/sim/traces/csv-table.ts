/**
 * Header-addressed reading of the simple CSV files the public traces use (no quoted commas): each
 * row comes back with its 1-based line number and a column getter by header name.
 */
import { invalid } from '../../lib/errors.js';
import { lines } from './line-issues.js';

export interface CsvRow {
  line: number;
  get(column: string): string | undefined;
  fields: string[];
}

export function* csvRows(text: string, file: string, required: string[]): Generator<CsvRow> {
  let header: Map<string, number> | undefined;
  for (const [n, line] of lines(text)) {
    if (line.trim() === '') continue;
    const fields = line.split(',');
    if (!header) {
      header = new Map(fields.map((h, i) => [h.trim(), i]));
      const missing = required.filter((c) => !header?.has(c));
      if (missing.length > 0) throw invalid(`${file}:${n}: header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
      continue;
    }
    const h = header;
    yield { line: n, fields, get: (c) => { const i = h.get(c); return i === undefined ? undefined : fields[i]; } };
  }
}
