import { invalid } from '../lib/errors.js';

/** Throws a clear error unless `value` is a positive integer (or undefined when optional). */
export function positiveInt(field: string, value: number | undefined, optional = false): void {
  if (value === undefined) {
    if (optional) return;
    throw invalid(`${field} is required.`, { field });
  }
  if (!Number.isInteger(value) || value <= 0) throw invalid(`${field} must be a positive whole number (got ${String(value)}).`, { field, value });
}

export function positiveNumber(field: string, value: number | undefined, optional = false): void {
  if (value === undefined) {
    if (optional) return;
    throw invalid(`${field} is required.`, { field });
  }
  if (!Number.isFinite(value) || value <= 0) throw invalid(`${field} must be a positive number (got ${String(value)}).`, { field, value });
}

/** Rounds for output: finite, a few significant digits, never NaN or Infinity. */
export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return 0;
  if (x === 0) return 0;
  const mag = Math.floor(Math.log10(Math.abs(x)));
  const factor = 10 ** Math.max(0, digits - 1 - mag);
  return Math.round(x * factor) / factor;
}

export const GiB = 1024 ** 3;
