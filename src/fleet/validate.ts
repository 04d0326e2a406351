/**
 * The one validation path for fleet documents: files (through `parseFleet`), built-in fleets and
 * imported traces all end here. Schema problems and semantic problems are collected together.
 */
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Catalog } from '../catalog/catalog.js';
import { ValidationError, type ValidationIssue } from '../lib/errors.js';
import { FleetDocSchema, type FleetDocStatic } from './schema.js';
import { checkFleetReferences, type FleetIssue } from './semantic-checks.js';
import type { LineLocator } from './source-map.js';
import type { FleetDoc } from './types.js';

/** Where a document came from: a file name (or `builtin:<name>`) and, for text, a line locator. */
export interface FleetOrigin {
  file: string;
  locate?: LineLocator;
}

/** Most issues reported for one document; the rest are counted in one closing issue. */
export const MAX_REPORTED_ISSUES = 200;

// The schema's static type and the hand-written domain type must stay the same shape.
const _sameShape: (doc: FleetDocStatic) => FleetDoc = (doc) => doc;
void _sameShape;

/**
 * Validates a parsed value as a fleet document and returns it with chip aliases resolved to
 * catalog ids. Throws a `ValidationError` carrying every issue with file, line and field.
 */
export function validateFleetValue(value: unknown, origin: FleetOrigin, catalog: Catalog): FleetDoc {
  const issues: FleetIssue[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ path: '', message: `the top level must be a mapping with name, clusters and nodeGroups, not ${describeValue(value)}` });
    throw toValidationError(issues, origin);
  }
  issues.push(...schemaIssues(FleetDocSchema, value));
  const refs = checkFleetReferences(value as Record<string, unknown>, catalog);
  issues.push(...refs.issues);
  if (issues.length > 0) throw toValidationError(issues, origin);

  const doc = value as FleetDoc;
  const chipId = (chip: string): string => refs.chips.get(chip) ?? chip;
  return {
    ...doc,
    serverModels: doc.serverModels?.map((m) => ({ ...m, chip: chipId(m.chip) })),
    nodeGroups: doc.nodeGroups.map((g) => ({ ...g, chip: chipId(g.chip) })),
  };
}

export function toValidationError(issues: FleetIssue[], origin: FleetOrigin): ValidationError {
  const located: ValidationIssue[] = issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => {
    const line = issue.line ?? origin.locate?.(issue.path, issue.at);
    return {
      file: origin.file,
      ...(line === undefined ? {} : { line }),
      path: issue.path || '/',
      ...(issue.recordId === undefined ? {} : { recordId: issue.recordId }),
      message: issue.message,
    };
  });
  if (issues.length > MAX_REPORTED_ISSUES) {
    located.push({ file: origin.file, path: '/', message: `${issues.length - MAX_REPORTED_ISSUES} more problems not shown` });
  }
  return new ValidationError(`invalid fleet ${origin.file}`, located);
}

/** Schema problems of `value`, one per field path, as sentences (see `errorMessage` in schema.ts). */
export function schemaIssues(schema: TSchema, value: unknown): FleetIssue[] {
  // Check is several times faster than Errors; walk the errors only when there are some.
  if (Value.Check(schema, value)) return [];
  const issues: FleetIssue[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    issues.push(schemaIssue(error));
    if (issues.length > MAX_REPORTED_ISSUES) break;
  }
  return issues;
}

function schemaIssue(error: ValueError): FleetIssue {
  const field = error.path.split('/').at(-1) ?? '';
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return { path: error.path, message: `${field} is required` };
    case ValueErrorType.ObjectAdditionalProperties: {
      const known = Object.keys((error.schema as { properties?: Record<string, unknown> }).properties ?? {});
      return { path: error.path, at: 'key', message: `"${field}" is not a known field here (known: ${known.join(', ')})` };
    }
    default: {
      const custom = (error.schema as { errorMessage?: unknown }).errorMessage;
      const reason = typeof custom === 'string' ? custom : (typeReasons[error.type] ?? error.message.charAt(0).toLowerCase() + error.message.slice(1));
      // A list item has no field name of its own: "item 2 of /nodeGroups".
      const subject = /^\d+$/.test(field) ? `item ${field}` : field;
      return { path: error.path, message: `${subject ? `${subject} ` : ''}${reason}, got ${describeValue(error.value)}` };
    }
  }
}

/** Sentences for type errors of fields without an `errorMessage` of their own. */
const typeReasons: Partial<Record<ValueErrorType, string>> = {
  [ValueErrorType.Object]: 'must be a mapping',
  [ValueErrorType.Array]: 'must be a list',
  [ValueErrorType.String]: 'must be a string',
  [ValueErrorType.Number]: 'must be a number',
  [ValueErrorType.Integer]: 'must be a whole number',
  [ValueErrorType.Boolean]: 'must be true or false',
};

/** A short rendering of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (empty)';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
