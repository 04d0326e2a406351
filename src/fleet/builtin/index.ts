/**
 * The built-in fleets. Data fleets are plain `FleetDoc` modules; trace fleets are imported from a
 * node-list CSV in the shared data folder, which the caller (CLI, server) reads and passes in, so
 * this module stays free of I/O. Both kinds go through `validateFleetValue`, like any fleet file.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { notFound } from '../../lib/errors.js';
import { importFleetCsv, type CsvFleetImport, type CsvFleetMapping } from '../import-csv.js';
import type { FleetDoc } from '../types.js';
import { validateFleetValue } from '../validate.js';
import { demo } from './demo.js';
import { alibaba2026Mapping, openbMapping, pai2020Mapping } from './trace-mappings.js';
import { unicom2025 } from './unicom-2025.js';

export type BuiltinFleet =
  | { kind: 'data'; name: string; description: string; doc: FleetDoc }
  /** `dataPath` is relative to the shared folder (`../shared` beside the repository). */
  | { kind: 'csv'; name: string; description: string; dataPath: string; mapping: CsvFleetMapping };

export const builtinFleets: readonly BuiltinFleet[] = [
  { kind: 'data', name: 'unicom-2025', description: unicom2025.description ?? '', doc: unicom2025 },
  { kind: 'data', name: 'demo', description: demo.description ?? '', doc: demo },
  { kind: 'csv', name: 'openb', description: openbMapping.description ?? '', dataPath: 'data/openb/openb_node_list_gpu_node.csv', mapping: openbMapping },
  { kind: 'csv', name: 'alibaba-2026', description: alibaba2026Mapping.description ?? '', dataPath: 'data/alibaba-2026/node_info_df.csv', mapping: alibaba2026Mapping },
  { kind: 'csv', name: 'pai-2020', description: pai2020Mapping.description ?? '', dataPath: 'data/pai-2020/pai_machine_spec.csv', mapping: pai2020Mapping },
];

export function findBuiltinFleet(name: string): BuiltinFleet | undefined {
  return builtinFleets.find((f) => f.name === name);
}

export function getBuiltinFleet(name: string): BuiltinFleet {
  const found = findBuiltinFleet(name);
  if (!found) throw notFound(`No built-in fleet "${name}". Built-in fleets: ${builtinFleets.map((f) => f.name).join(', ')}.`, { fleet: name });
  return found;
}

/** A data fleet's document, validated against the catalog. */
export function builtinFleetDoc(name: string, catalog: Catalog): FleetDoc {
  const entry = getBuiltinFleet(name);
  if (entry.kind !== 'data') throw notFound(`Built-in fleet "${name}" is imported from ${entry.dataPath}; read that file and call importBuiltinFleet.`);
  return validateFleetValue(entry.doc, { file: `builtin:${name}` }, catalog);
}

/** A trace fleet's document from its CSV text, validated against the catalog. */
export function importBuiltinFleet(name: string, csvText: string, catalog: Catalog): CsvFleetImport {
  const entry = getBuiltinFleet(name);
  if (entry.kind !== 'csv') throw notFound(`Built-in fleet "${name}" is not imported from a CSV.`);
  const imported = importFleetCsv(csvText, entry.dataPath, entry.mapping);
  return { ...imported, doc: validateFleetValue(imported.doc, { file: entry.dataPath }, catalog) };
}
