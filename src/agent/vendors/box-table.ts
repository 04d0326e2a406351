import { headerNames, valueTokens } from './text.js';

/**
 * Reads the boxed tables most SMI tools print (nvidia-smi and its clones, npu-smi, cnmon, ...):
 * a header of one or more lines, then one record per group of lines between rule lines.
 * Columns are found from the table's own bars, and values are matched to header names, so a tool
 * version that adds, drops or widens a column still parses. Nothing here throws.
 */

/** A cell: its text and where it sits on the line. */
interface Cell {
  text: string;
  start: number;
  end: number;
}

/** One record: for each header name, the value printed under it (names are as the header prints them). */
export type TableRecord = Map<string, string>;

export interface BoxTable {
  /** Header names in order of appearance. */
  names: string[];
  records: TableRecord[];
  /** The raw record lines, for tool-specific extras. */
  rawRecords: string[][];
}

/** A rule: only frame characters, with a run of - or =. */
export function isRule(line: string): boolean {
  const t = line.trim();
  return t.length >= 3 && /^[-=+|\s]+$/.test(t) && /[-=]{3}/.test(t);
}

export function isRow(line: string): boolean {
  return line.includes('|') && !isRule(line);
}

function cells(line: string): Cell[] {
  const out: Cell[] = [];
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i === line.length || line[i] === '|') {
      out.push({ text: line.slice(start, i), start, end: i });
      start = i + 1;
    }
  }
  // A leading or trailing bar frames the row; it does not open an empty column.
  if (out.length > 1 && (out[0]?.text.trim() ?? '') === '' && /^\s*\|/.test(line)) out.shift();
  if (out.length > 1 && (out[out.length - 1]?.text.trim() ?? '') === '' && /\|\s*$/.test(line)) out.pop();
  return out;
}

/** The header cell a value cell belongs to: same position when the counts agree, else the most overlap. */
function matchCell(header: Cell[], cell: Cell, position: number, sameCount: boolean): number {
  if (sameCount) return position;
  let best = -1;
  let bestOverlap = 0;
  header.forEach((h, i) => {
    const overlap = Math.min(h.end, cell.end) - Math.max(h.start, cell.start);
    if (overlap > bestOverlap) {
      bestOverlap = overlap;
      best = i;
    }
  });
  return best;
}

const KIND_PATTERNS: [string, RegExp, RegExp][] = [
  // [kind, header name pattern, token pattern]
  ['temp', /temp/i, /^-?\d+(\.\d+)?C$/],
  ['power', /pwr|power/i, /W(\/|$)|^N\/A\/N\/A$/],
  ['memory', /mem|usage|hbm/i, /\d(MiB|MB|GiB|GB)|\(|\//],
  ['pct', /util|%|fan|dused|aicore|rate/i, /%$/],
  ['bus', /bus|pci/i, /^[0-9a-f]{2,8}:[0-9a-f]{2}(:[0-9a-f]{2})?\.[0-7]$/i],
];

function tokenKind(tok: string): string | null {
  for (const [kind, , re] of KIND_PATTERNS) if (re.test(tok)) return kind;
  return null;
}

function headerKind(name: string): string | null {
  for (const [kind, re] of KIND_PATTERNS) if (re.test(name)) return kind;
  return null;
}

/**
 * Matches the tokens of one value cell to the names of its header cell. Equal counts pair up;
 * a `Name` column takes any extra words (model names have spaces); two watt figures under a
 * "Usage/Cap" header join; otherwise each token goes to the next header whose kind fits it.
 */
export function assignTokens(names: string[], tokens: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (names.length === 0 || tokens.length === 0) return out;
  if (names.length === 1) {
    out.set(names[0] ?? '', tokens.join(' '));
    return out;
  }
  if (tokens.length === names.length) {
    names.forEach((n, i) => out.set(n, tokens[i] ?? ''));
    return out;
  }
  const nameAt = names.findIndex((n) => /^name$/i.test(n));
  if (tokens.length > names.length && nameAt >= 0) {
    const extra = tokens.length - names.length;
    names.forEach((n, i) => {
      if (i < nameAt) out.set(n, tokens[i] ?? '');
      else if (i === nameAt) out.set(n, tokens.slice(i, i + extra + 1).join(' '));
      else out.set(n, tokens[i + extra] ?? '');
    });
    return out;
  }
  const pairAt = names.findIndex((n) => /usage\s*\/\s*cap|\(usage\/cap\)/i.test(n));
  if (tokens.length === names.length + 1 && pairAt >= 0) {
    const w = tokens.findIndex((t, i) => /^[\d.]+W$|^N\/A$/i.test(t) && /^[\d.]+W$|^N\/A$/i.test(tokens[i + 1] ?? ''));
    if (w >= 0) {
      const merged = [...tokens.slice(0, w), `${tokens[w]}/${tokens[w + 1]}`, ...tokens.slice(w + 2)];
      if (merged.length === names.length) return assignTokens(names, merged);
    }
  }
  // Fallback: walk tokens in order; each goes to the next unassigned header whose kind accepts it.
  let from = 0;
  for (const tok of tokens) {
    const kind = tokenKind(tok);
    for (let i = from; i < names.length; i++) {
      const hk = headerKind(names[i] ?? '');
      if (hk === kind || (kind === null && hk === null) || /^N\/A$/i.test(tok)) {
        out.set(names[i] ?? '', tok);
        from = i + 1;
        break;
      }
    }
  }
  return out;
}

export interface TableOptions {
  /** Recognises the first header line of the device table. */
  headerStart: RegExp;
  /** A record group that matches this ends the table (a process table that follows without a gap). */
  stop?: RegExp;
}

/** Finds the device table in the lines and reads its records; null when there is no such table. */
export function readBoxTable(lines: readonly string[], options: TableOptions): BoxTable | null {
  const stop = options.stop ?? /process/i;
  const startAt = lines.findIndex((l) => isRow(l) && options.headerStart.test(l));
  if (startAt < 0) return null;
  const header: Cell[][] = [];
  let i = startAt;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isRule(line)) break;
    if (!isRow(line)) break;
    header.push(cells(line));
  }
  const headerNamesPerCell = header.map((row) => row.map((c) => headerNames(c.text)));
  const names = headerNamesPerCell.flat(2);

  const groups: string[][] = [];
  let current: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isRule(line)) {
      if (current.length > 0) groups.push(current);
      current = [];
      continue;
    }
    if (!isRow(line)) break;
    current.push(line);
  }
  if (current.length > 0) groups.push(current);

  const records: TableRecord[] = [];
  const rawRecords: string[][] = [];
  const height = Math.max(1, header.length);
  for (const group of groups) {
    if (stop.test(group.join('\n'))) break;
    for (let k = 0; k < group.length; k += height) {
      const chunk = group.slice(k, k + height);
      const record: TableRecord = new Map();
      chunk.forEach((line, li) => {
        const hrow = header[li];
        const hnames = headerNamesPerCell[li];
        if (!hrow || !hnames) return;
        const vcells = cells(line);
        vcells.forEach((vc, ci) => {
          const hi = matchCell(hrow, vc, ci, vcells.length === hrow.length);
          const cellNames = hnames[hi];
          if (!cellNames) return;
          for (const [n, v] of assignTokens(cellNames, valueTokens(vc.text))) if (!record.has(n)) record.set(n, v);
        });
      });
      if (record.size > 0) {
        records.push(record);
        rawRecords.push(chunk);
      }
    }
  }
  return { names, records, rawRecords };
}

/** The value under the first header name matching `re`, or undefined. */
export function column(record: TableRecord, re: RegExp): string | undefined {
  for (const [name, value] of record) if (re.test(name)) return value;
  return undefined;
}
