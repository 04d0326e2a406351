/**
 * Fleets: clusters, server models, node groups, nodes and devices. What this folder offers:
 * - `parseFleet(text, fileName, catalog)`: YAML/JSON fleet file -> validated `FleetDoc` (errors with file:line).
 * - `validateFleetValue(value, origin, catalog)`: the same validation for documents built in code.
 * - `expandFleet(doc)`: nodes and devices with stable ids, racks and link domains.
 * - `summarizeFleet(fleet, catalog)`: per-chip and total servers, cards, memory and peak compute, with warnings.
 * - `importFleetCsv(text, fileName, mapping)`: node-list CSV from a cluster trace -> `FleetDoc`;
 *   `parseCsvMapping(text, fileName, catalog)` reads a mapping file for it.
 * - `builtinFleets`: `unicom-2025`, `demo`, and the trace fleets `openb`, `alibaba-2026`, `pai-2020`.
 */
export type { ClusterDoc, DeclaredFigures, Device, Fleet, FleetDoc, FleetNode, NodeGroupDoc, ServerModelDoc } from './types.js';
export { FleetDocSchema } from './schema.js';
export { parseFleet, fleetTooLarge, MAX_FLEET_FILE_BYTES, type ParseFleetOptions } from './parse.js';
export { validateFleetValue, type FleetOrigin } from './validate.js';
export { FleetLimits, DEFAULT_SERVERS_PER_RACK } from './semantic-checks.js';
export { expandFleet } from './expand.js';
export { summarizeFleet, PeakBasis, type ChipSummary, type FleetSummary, type GroupSummary } from './summary.js';
export { importFleetCsv, MAX_CSV_BYTES, type CsvFleetImport, type CsvFleetMapping } from './import-csv.js';
export { parseCsv } from './csv.js';
export { parseCsvMapping, CsvFleetMappingSchema, MAX_MAPPING_FILE_BYTES } from './csv-mapping.js';
export { builtinFleets, findBuiltinFleet, getBuiltinFleet, builtinFleetDoc, importBuiltinFleet, type BuiltinFleet } from './builtin/index.js';
export { alibaba2026Mapping, openbMapping, pai2020Mapping } from './builtin/trace-mappings.js';
