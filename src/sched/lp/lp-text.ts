/**
 * Builds CPLEX LP-format text for HiGHS. Rows are appended term by term into one array of string
 * pieces that is joined once at the end: for 2,000 jobs x 12 chip types that is ~100k terms, and
 * repeated string concatenation or per-row arrays would dominate the round.
 *
 * Format (CPLEX LP, as HiGHS reads it): `Maximize` / `Minimize`, `obj: ...`, `Subject To`, one
 * named row per line, `Bounds`, `End`. Variables are non-negative unless bounded otherwise.
 */
export type Sense = 'maximize' | 'minimize';
export type RowSense = '<=' | '>=' | '=';

/** Formats a coefficient so HiGHS parses it exactly: finite, no `Infinity`, exponent form allowed. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`LP coefficient must be finite, got ${v}`);
  return String(v);
}

export class LpBuilder {
  private readonly parts: string[] = [];
  private readonly boundParts: string[] = [];
  private rowOpen = false;
  private rowHasTerm = false;

  constructor(sense: Sense) {
    this.parts.push(sense === 'maximize' ? 'Maximize\n obj:' : 'Minimize\n obj:');
    this.rowOpen = true;
  }

  /** Adds `coef * name` to the row being written (the objective until the first `row()`). */
  term(coef: number, name: string): this {
    if (coef === 0) return this;
    const c = formatNumber(coef);
    if (c.startsWith('-')) this.parts.push(' - ', c.slice(1), ' ', name);
    else this.parts.push(this.rowHasTerm ? ' + ' : ' ', c, ' ', name);
    this.rowHasTerm = true;
    return this;
  }

  /** Ends the objective and opens the constraint section; call once, after the objective terms. */
  subjectTo(): this {
    // An empty objective is legal LP text but HiGHS wants at least a zero term.
    if (!this.rowHasTerm) this.parts.push(' 0 obj_zero');
    this.parts.push('\nSubject To\n');
    this.rowOpen = false;
    return this;
  }

  /** Starts a named row; its terms follow with `term()`, then `end(sense, rhs)`. */
  row(name: string): this {
    if (this.rowOpen) throw new Error('LpBuilder: previous row not ended');
    this.parts.push(' ', name, ':');
    this.rowOpen = true;
    this.rowHasTerm = false;
    return this;
  }

  end(sense: RowSense, rhs: number): this {
    if (!this.rowHasTerm) this.parts.push(' 0 obj_zero');
    this.parts.push(' ', sense, ' ', formatNumber(rhs), '\n');
    this.rowOpen = false;
    return this;
  }

  /** `lower <= name <= upper`; omit either side with null. */
  bound(name: string, lower: number | null, upper: number | null): this {
    if (lower !== null && upper !== null) this.boundParts.push(` ${formatNumber(lower)} <= ${name} <= ${formatNumber(upper)}\n`);
    else if (upper !== null) this.boundParts.push(` ${name} <= ${formatNumber(upper)}\n`);
    else if (lower !== null) this.boundParts.push(` ${name} >= ${formatNumber(lower)}\n`);
    else this.boundParts.push(` ${name} free\n`);
    return this;
  }

  toString(): string {
    return `${this.parts.join('')}Bounds\n${this.boundParts.join('')}End\n`;
  }
}
