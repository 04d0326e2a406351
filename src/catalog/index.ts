/**
 * The chip catalog: what every accelerator is (memory, bandwidth, dense peaks, links, power,
 * software), with the source and confidence of every figure.
 *
 * - `builtinCatalog()`: the validated built-in chips (memoized); `catalogWith(files)` adds user files.
 * - `loadCatalog(files)`: validates raw records; throws `ValidationError` with file, record, field.
 * - `parseCatalogFile(text, name)`: a user YAML/JSON file, ready for `loadCatalog`/`catalogWith`.
 * - `compareChips(catalog, ids, baseline)`: the CCTV-style comparison with ratios to a baseline.
 * - `halfPrecisionPeak(chip)`, `perDevice(chip, figure)`: readings shared by perf, fleet and sim.
 */
export * from './types.js';
export { Catalog } from './catalog.js';
export { loadCatalog, withDefaults, type CatalogFileInput, type LoadOptions } from './load.js';
export { parseCatalogFile, MAX_CATALOG_FILE_BYTES, tooLarge } from './parse-file.js';
export { builtinCatalog, builtinFiles, builtinSources, catalogWith } from './builtin.js';
export { compareChips, formatNumber, formatRatio, CompareRowKey, type Comparison, type CompareRow, type CompareCell, type CompareAlternative } from './compare.js';
export { ChipRecordSchema, FigureSchema, PriceSchema, SourceRefSchema, catalogSchemas } from './schema.js';
export { closest, editDistance } from './suggest.js';
export { devicesPerCard, halfPrecisionPeak, perDevice } from './figures.js';
