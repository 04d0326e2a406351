/**
 * A CSV mapping file (YAML or JSON) for `importFleetCsv`: which columns hold the node name, card
 * count, model, CPU and memory, and which catalog chip each trace model is. Validated like a fleet
 * file: every problem with file:line, field and reason; model chips are checked against the catalog.
 */
import { Type } from '@sinclair/typebox';
import type { Catalog } from '../catalog/catalog.js';
import type { CsvFleetMapping } from './import-csv.js';
import type { FleetIssue } from './semantic-checks.js';
import { readStructuredText } from './structured-text.js';
import { closeMatches } from './suggest.js';
import { schemaIssues, toValidationError } from './validate.js';

const Column = Type.String({ minLength: 1, errorMessage: 'must be a column name' });

export const CsvFleetMappingSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, errorMessage: 'must be a non-empty string' }),
    description: Type.Optional(Type.String({ errorMessage: 'must be a string' })),
    source: Type.Optional(Type.String({ errorMessage: 'must be a string' })),
    cluster: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', errorMessage: 'must be an id of letters, digits, ".", "_" or "-"' })),
    header: Type.Optional(Type.Array(Column, { minItems: 1, errorMessage: 'must be a list of column names' })),
    columns: Type.Object(
      { node: Column, cards: Column, model: Column, cpu: Type.Optional(Column), memory: Type.Optional(Column) },
      { additionalProperties: false, errorMessage: 'must map node, cards and model (and optionally cpu, memory) to column names' },
    ),
    cpuUnit: Type.Optional(Type.Union([Type.Literal('milli'), Type.Literal('cores')], { errorMessage: 'must be milli or cores' })),
    memoryUnit: Type.Optional(Type.Union([Type.Literal('MiB'), Type.Literal('GiB')], { errorMessage: 'must be MiB or GiB' })),
    models: Type.Record(Type.String(), Type.Union([Type.String({ minLength: 1 }), Type.Null()], { errorMessage: 'must be a chip id, or null to leave the model out' }), {
      errorMessage: 'must map trace model names to chip ids',
    }),
    unknownModels: Type.Optional(Type.Union([Type.Literal('error'), Type.Literal('skip')], { errorMessage: 'must be error or skip' })),
    serversPerRack: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a positive whole number' })),
  },
  { additionalProperties: false },
);

export const MAX_MAPPING_FILE_BYTES = 1024 * 1024;

export function parseCsvMapping(text: string, fileName: string, catalog: Catalog): CsvFleetMapping {
  if (text.length > MAX_MAPPING_FILE_BYTES) {
    throw toValidationError([{ path: '', line: 1, message: `the mapping file is larger than ${MAX_MAPPING_FILE_BYTES / 1024} KiB` }], { file: fileName });
  }
  const { value, locate } = readStructuredText(text, fileName, 'a mapping needs name, columns and models');
  const origin = { file: fileName, locate };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw toValidationError([{ path: '', message: 'the top level must be a mapping with name, columns and models' }], origin);
  }
  const issues: FleetIssue[] = schemaIssues(CsvFleetMappingSchema, value);
  const models = (value as { models?: unknown }).models;
  const resolved: Record<string, string | null> = {};
  if (models !== null && typeof models === 'object' && !Array.isArray(models)) {
    for (const [model, chip] of Object.entries(models as Record<string, unknown>)) {
      if (typeof chip !== 'string') {
        if (chip === null) resolved[model] = null;
        continue;
      }
      const found = catalog.tryResolve(chip);
      if (found) {
        resolved[model] = found.id;
        continue;
      }
      const close = closeMatches(chip, catalog.chips.map((c) => c.id));
      issues.push({ path: `/models/${model.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `unknown chip "${chip}".${close.length > 0 ? ` Did you mean ${close.join(', ')}?` : ' Run `tessera catalog list` for the ids.'}` });
    }
  }
  if (issues.length > 0) throw toValidationError(issues, origin);
  return { ...(value as CsvFleetMapping), models: resolved };
}
