/**
 * Malformed trace lines: each adapter reports them with file:line. By default a trace with any bad
 * line is fatal (one ValidationError listing them, with the count); with `skipBad` the bad lines are
 * skipped and counted, and the adapter's result says how many.
 */
import { ValidationError, type ValidationIssue } from '../../lib/errors.js';

export interface TraceReadOptions {
  /** File name used in messages. */
  file: string;
  /** Skip malformed lines instead of failing. */
  skipBad?: boolean;
}

/** Issues past this many are counted but not kept, so a garbage file cannot exhaust memory. */
const MAX_KEPT = 50;

export class LineIssues {
  readonly issues: ValidationIssue[] = [];
  count = 0;

  constructor(private readonly opts: TraceReadOptions) {}

  add(line: number, path: string, message: string): void {
    this.count++;
    if (this.issues.length < MAX_KEPT) this.issues.push({ file: this.opts.file, line, path, message });
  }

  /** Throws when there were bad lines and skipping was not asked for. */
  finish(kind: string): { skipped: number; issues: ValidationIssue[] } {
    if (this.count > 0 && !this.opts.skipBad) {
      throw new ValidationError(`${kind} trace ${this.opts.file} has ${this.count} malformed line${this.count === 1 ? '' : 's'} (use --skip-bad to skip them)`, this.issues);
    }
    return { skipped: this.count, issues: this.issues };
  }
}

/** Splits text into lines without copying the whole file twice; yields 1-based line numbers. */
export function* lines(text: string): Generator<[number, string]> {
  let start = 0;
  let n = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    n++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (end === text.length && line === '') break;
    yield [n, line];
    start = end + 1;
  }
}

/** A finite number from a field, or undefined. Empty strings are not zero. */
export function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (t === '') return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}
