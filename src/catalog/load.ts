/**
 * Loads raw chip records into a validated `Catalog`. Every problem is collected (not only the
 * first) and reported with file, record id, field path and, when the file's text is known, line.
 */
import { Value } from '@sinclair/typebox/value';
import { ValidationError, type ValidationIssue } from '../lib/errors.js';
import { Catalog } from './catalog.js';
import { checkRecord, KEBAB_ID } from './record-rules.js';
import { ChipRecordSchema, SourceRefSchema } from './schema.js';
import { FigurePaths, type ChipSpec, type SourceRef } from './types.js';

/** One file's worth of raw records, as a data module or `parseCatalogFile` provides them. */
export interface CatalogFileInput {
  file: string;
  records: unknown[];
  /** Source keys this file adds (a user file citing its own sources). */
  sources?: unknown[];
  /** Line of a field inside record `index`, when the file's text is known. */
  locate?: (index: number, path: string) => number | undefined;
  /** Line of a field inside the file's `sources` list. */
  locateSource?: (index: number, path: string) => number | undefined;
}

export interface LoadOptions {
  /** Source keys every file may cite (the built-in list); files may add their own. */
  sources?: readonly SourceRef[];
}

const UNKNOWN = { value: null, confidence: 'unknown' } as const;

/**
 * Fills the optional parts of a record: a missing figure is unknown, a missing list is empty.
 * Only absent fields are filled; a present field of the wrong type is left for the schema to
 * report. This keeps user files short without ever inventing a number.
 */
export function withDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  const r: Record<string, unknown> = { ...raw };
  const objectAt = (key: string): Record<string, unknown> | undefined => {
    if (r[key] === undefined) r[key] = {};
    const v = r[key];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const copy = { ...(v as Record<string, unknown>) };
    r[key] = copy;
    return copy;
  };
  const fill = (obj: Record<string, unknown> | undefined, key: string, value: unknown): void => {
    if (obj && obj[key] === undefined) obj[key] = value;
  };
  fill(r, 'aliases', []);
  fill(r, 'memoryType', null);
  fill(r, 'formFactor', null);
  fill(r, 'prices', []);
  fill(r, 'notes', []);
  const names = objectAt('names');
  if (names && names.zh === undefined && typeof names.en === 'string') names.zh = names.en;
  objectAt('densePeak');
  const card = objectAt('cardLink');
  fill(card, 'name', null);
  const host = objectAt('hostLink');
  fill(host, 'name', null);
  for (const dotted of FigurePaths) {
    const [a, b] = dotted.split('.') as [string, string | undefined];
    if (b === undefined) fill(r, a, { ...UNKNOWN });
    else {
      const parent = r[a];
      if (typeof parent === 'object' && parent !== null && !Array.isArray(parent)) fill(parent as Record<string, unknown>, b, { ...UNKNOWN });
    }
  }
  const software = objectAt('software');
  fill(software, 'stack', 'unknown');
  fill(software, 'smiTool', null);
  for (const list of ['k8sResources', 'visibilityEnv', 'runtimeEnv', 'devicePaths']) fill(software, list, []);
  return r;
}

/** Schema errors, one per path (TypeBox can report a missing field twice). */
function schemaIssues(record: unknown): { path: string; message: string }[] {
  const seen = new Set<string>();
  const out: { path: string; message: string }[] = [];
  for (const e of Value.Errors(ChipRecordSchema, record)) {
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    // A figure's value is checked by the record rules, with a clearer message.
    const message = e.message === 'Unexpected property' ? 'unknown field (check the spelling; see the chip record schema)' : e.message === 'Expected required property' ? 'required field is missing' : `${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}`;
    out.push({ path: e.path, message });
  }
  return out;
}

function recordLabel(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && id !== '' ? id : `#${index + 1}`;
}

function collectSources(files: readonly CatalogFileInput[], base: readonly SourceRef[], issues: ValidationIssue[]): SourceRef[] {
  const all: SourceRef[] = [...base];
  const keys = new Set(base.map((s) => s.key));
  for (const f of files) {
    (f.sources ?? []).forEach((raw, i) => {
      const line = f.locateSource?.(i, '');
      const where = { file: f.file, ...(line !== undefined ? { line } : {}) };
      const errors = [...Value.Errors(SourceRefSchema, raw)];
      const first = errors[0];
      if (first) {
        issues.push({ ...where, path: `/sources/${i}${first.path}`, message: `source entry: ${first.message.toLowerCase()}` });
        return;
      }
      const s = raw as SourceRef;
      if (s.key.trim() === '' || s.key.includes(',')) {
        issues.push({ ...where, path: `/sources/${i}/key`, message: `source key ${JSON.stringify(s.key)} must be non-empty and contain no comma` });
      } else if (keys.has(s.key)) {
        issues.push({ ...where, path: `/sources/${i}/key`, message: `source key ${JSON.stringify(s.key)} is already defined` });
      } else {
        keys.add(s.key);
        all.push({ key: s.key, description: s.description });
      }
    });
  }
  return all;
}

/**
 * Validates every record of every file and builds the catalog; throws a `ValidationError`
 * carrying every issue found. Ids and aliases must be unique across all files (an alias may not
 * equal another chip's id either), so a user file cannot silently shadow a built-in chip.
 */
export function loadCatalog(files: readonly CatalogFileInput[], options: LoadOptions = {}): Catalog {
  const issues: ValidationIssue[] = [];
  const sources = collectSources(files, options.sources ?? [], issues);
  const sourceKeys = new Set(sources.map((s) => s.key));
  const chips: ChipSpec[] = [];
  const owners = new Map<string, { file: string; id: string; as: 'id' | 'alias' }>();

  for (const f of files) {
    f.records.forEach((raw, index) => {
      const recordId = recordLabel(raw, index);
      const at = (path: string): ValidationIssue => {
        const line = f.locate?.(index, path);
        return { file: f.file, recordId, path, message: '', ...(line !== undefined ? { line } : {}) };
      };
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        issues.push({ ...at(''), message: `a chip record must be an object, got ${Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}` });
        return;
      }
      const record = withDefaults(raw as Record<string, unknown>);
      const found = [...schemaIssues(record), ...checkRecord(record, sourceKeys)];
      for (const issue of found) issues.push({ ...at(issue.path), message: issue.message });

      const claim = (name: string, as: 'id' | 'alias', path: string): void => {
        const key = name.toLowerCase();
        const owner = owners.get(key);
        if (owner && !(owner.id === recordId && as === 'alias' && owner.as === 'id')) {
          const what = as === 'id' ? 'id' : 'alias';
          issues.push({ ...at(path), message: `duplicate ${what} ${JSON.stringify(name)}: already used as the ${owner.as} of ${owner.id} in ${owner.file}` });
        } else if (!owner) owners.set(key, { file: f.file, id: recordId, as });
      };
      if (typeof record.id === 'string' && KEBAB_ID.test(record.id)) claim(record.id, 'id', '/id');
      if (Array.isArray(record.aliases)) record.aliases.forEach((a, i) => typeof a === 'string' && claim(a, 'alias', `/aliases/${i}`));
      if (found.length === 0) chips.push(record as unknown as ChipSpec);
    });
  }
  if (issues.length > 0) throw new ValidationError('The chip catalog is invalid', issues);
  return new Catalog(chips, sources);
}
