/**
 * Rules a chip record must satisfy beyond its schema: enumerations, id and alias formats, and
 * the provenance rules of figures (a known figure is finite, positive and sourced; an unknown
 * one is null with confidence `unknown`; a derived one says how; conflicts name a primary).
 * Each rule reports `{ path, message }`; the loader adds file, record id and line.
 */
import { Confidence, FigurePaths, SoftwareStack, Vendor } from './types.js';

export interface RuleIssue {
  path: string;
  message: string;
}

export const KEBAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Aliases are what people type: lower-case letters, digits, `-`, `_` and `.` (`bi-v150`, `k100_ai`). */
export const ALIAS = /^[a-z0-9][a-z0-9._-]*$/;

const vendors = Object.values(Vendor) as string[];
const stacks = Object.values(SoftwareStack) as string[];
const confidences = Object.values(Confidence) as string[];

function oneOf(value: unknown, allowed: string[], what: string): string | undefined {
  if (typeof value === 'string' && allowed.includes(value)) return undefined;
  return `${what} ${JSON.stringify(value)} is not one of: ${allowed.join(', ')}`;
}

function get(record: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = record;
  for (const key of dotted.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  return JSON.stringify(value) ?? String(value);
}

/** Checks the source field of a known figure or price: present, and every key listed. */
function checkSource(source: unknown, path: string, knownSources: ReadonlySet<string>, issues: RuleIssue[]): void {
  if (typeof source !== 'string' || source.trim() === '') {
    issues.push({ path: `${path}/source`, message: 'a known figure needs a source (a key from the source list, e.g. "N1" or "N1,N2")' });
    return;
  }
  for (const key of source.split(',').map((k) => k.trim())) {
    if (key === '' || !knownSources.has(key)) {
      issues.push({ path: `${path}/source`, message: `source key ${JSON.stringify(key)} is not in the source list; add it to the file's \`sources\` or use an existing key` });
    }
  }
}

/** Checks one figure (or one alternative, with `isAlternative`). */
export function checkFigure(figure: unknown, path: string, knownSources: ReadonlySet<string>, isAlternative = false): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (typeof figure !== 'object' || figure === null) return issues; // the schema reports the type
  const f = figure as Record<string, unknown>;
  const bad = oneOf(f.confidence, confidences, 'confidence');
  if (bad) {
    issues.push({ path: `${path}/confidence`, message: bad });
    return issues;
  }
  const value = f.value;
  if (value === null) {
    if (f.confidence !== 'unknown') {
      issues.push({ path: `${path}/confidence`, message: `the value is null (unknown) but confidence is "${String(f.confidence)}"; an unknown figure has confidence "unknown"` });
    }
    if (isAlternative) issues.push({ path: `${path}/value`, message: 'an alternative must be a known value, not null' });
    if (Array.isArray(f.alternatives) && f.alternatives.length > 0) {
      issues.push({ path: `${path}/alternatives`, message: 'an unknown figure cannot have alternatives; make the best-supported one the primary value' });
    }
    return issues;
  }
  if (typeof value !== 'number') {
    issues.push({ path: `${path}/value`, message: `must be a number or null (unknown), got ${describe(value)}` });
    return issues;
  }
  if (!Number.isFinite(value) || value <= 0) {
    issues.push({ path: `${path}/value`, message: `must be a finite number greater than 0, got ${describe(value)}; write null with confidence "unknown" when the figure is not known` });
  }
  if (f.confidence === 'unknown') {
    issues.push({ path: `${path}/confidence`, message: 'a figure with a value cannot have confidence "unknown"; give its confidence and source, or set the value to null' });
    return issues;
  }
  checkSource(f.source, path, knownSources, issues);
  if (f.confidence === 'derived' && (typeof f.note !== 'string' || f.note.trim() === '')) {
    issues.push({ path: `${path}/note`, message: 'a derived figure must say how it was derived in `note`' });
  }
  const alternatives = f.alternatives;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    alternatives.forEach((alt, i) => issues.push(...checkFigure(alt, `${path}/alternatives/${i}`, knownSources, true)));
    if (typeof f.primaryReason !== 'string' || f.primaryReason.trim() === '') {
      issues.push({ path: `${path}/primaryReason`, message: 'a figure with alternatives must say in `primaryReason` why its value is the primary one' });
    }
  } else if (f.primaryReason !== undefined) {
    issues.push({ path: `${path}/primaryReason`, message: 'primaryReason is given but there are no alternatives' });
  }
  return issues;
}

/**
 * Record-level rules. Assumes nothing about types beyond what it checks itself, so it can run on
 * a record the schema rejected and still report every independent problem.
 */
export function checkRecord(record: Record<string, unknown>, knownSources: ReadonlySet<string>): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const id = record.id;
  if (typeof id === 'string' && !KEBAB_ID.test(id)) {
    issues.push({ path: '/id', message: `id ${JSON.stringify(id)} must be kebab-case: lower-case letters and digits separated by single hyphens (e.g. "nvidia-h20")` });
  }
  if (record.vendor !== undefined) {
    const bad = oneOf(record.vendor, vendors, 'vendor');
    if (bad) issues.push({ path: '/vendor', message: bad });
  }
  const names = record.names as Record<string, unknown> | undefined;
  if (names && typeof names.en === 'string' && names.en.trim() === '') issues.push({ path: '/names/en', message: 'the English name must not be empty' });
  if (Array.isArray(record.aliases)) {
    record.aliases.forEach((alias, i) => {
      if (typeof alias === 'string' && !ALIAS.test(alias)) {
        issues.push({ path: `/aliases/${i}`, message: `alias ${JSON.stringify(alias)} must be lower-case letters, digits, "-", "_" or "." (what a user types)` });
      }
    });
  }
  const software = record.software as Record<string, unknown> | undefined;
  if (software && software.stack !== undefined) {
    const bad = oneOf(software.stack, stacks, 'software stack');
    if (bad) issues.push({ path: '/software/stack', message: bad });
  }
  for (const dotted of FigurePaths) {
    issues.push(...checkFigure(get(record, dotted), `/${dotted.replace('.', '/')}`, knownSources));
  }
  if (Array.isArray(record.prices)) {
    record.prices.forEach((price, i) => issues.push(...checkPrice(price, `/prices/${i}`, knownSources)));
  }
  return issues;
}

function checkPrice(price: unknown, path: string, knownSources: ReadonlySet<string>): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (typeof price !== 'object' || price === null) return issues;
  const p = price as Record<string, unknown>;
  const field = p.kind === 'rent' ? 'cnyPerHour' : p.kind === 'purchase' ? 'cny' : undefined;
  if (!field) {
    issues.push({ path: `${path}/kind`, message: `price kind ${JSON.stringify(p.kind)} is not one of: rent, purchase` });
  } else {
    const amount = p[field];
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
      issues.push({ path: `${path}/${field}`, message: `a ${String(p.kind)} price needs ${field} as a finite number greater than 0, got ${describe(amount)}` });
    }
  }
  if (p.confidence === 'unknown' || !confidences.includes(String(p.confidence))) {
    issues.push({ path: `${path}/confidence`, message: `price confidence ${JSON.stringify(p.confidence)} must be one of: datasheet, press, derived, declared (an unknown price is left out)` });
  }
  checkSource(p.source, path, knownSources, issues);
  return issues;
}
