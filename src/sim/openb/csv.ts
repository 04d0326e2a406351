import { ValidationError, type ValidationIssue } from '../../lib/errors.js';

/** One data row of a CSV file with its 1-based line number. */
export interface CsvRow {
  line: number;
  get(column: string): string;
}

/**
 * Parses simple CSV (the openb files: comma-separated, an optional double-quoted field with "" escapes,
 * no embedded newlines). Requires the listed columns in the header, in any order; reports a missing
 * column or a row of the wrong width with file and line.
 */
export function parseCsv(text: string, file: string, required: readonly string[]): CsvRow[] {
  const lines = text.split(/\r?\n/);
  const header = splitLine(lines[0] ?? '');
  const index = new Map(header.map((h, i) => [h.trim(), i]));
  const missing = required.filter((c) => !index.has(c));
  if (missing.length > 0) throw new ValidationError('bad CSV header', [{ file, line: 1, path: '', message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header: ${header.join(',')})` }]);
  const rows: CsvRow[] = [];
  const issues: ValidationIssue[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    const cells = splitLine(raw);
    if (cells.length < header.length) {
      issues.push({ file, line: i + 1, path: '', message: `expected ${header.length} fields, found ${cells.length}` });
      continue;
    }
    rows.push({ line: i + 1, get: (column) => cells[index.get(column) ?? -1] ?? '' });
  }
  if (issues.length > 0) throw new ValidationError(`${file}: malformed rows`, issues);
  return rows;
}

function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** A non-negative integer field, or an issue naming file, line and column. */
export function intField(row: CsvRow, column: string, file: string, issues: ValidationIssue[], recordId?: string): number {
  const raw = row.get(column).trim();
  const v = Number(raw);
  if (raw === '' || !Number.isFinite(v) || v < 0 || !Number.isInteger(v)) {
    issues.push({ file, line: row.line, path: column, ...(recordId ? { recordId } : {}), message: `${column} must be a non-negative integer, got "${raw}"` });
    return 0;
  }
  return v;
}
