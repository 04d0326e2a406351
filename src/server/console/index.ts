/**
 * The console's server side: `mountConsole` (read-model routes + the built single-page app at `/`),
 * the capacity model and allocation history behind the Overview, and `openApiToTs`, which turns
 * the API's OpenAPI document into the console's typed client (`web/src/api/types.ts`).
 */
export { mountConsole, type ConsoleOptions } from './mount.js';
export { CapacityModel, type Capacity } from './capacity.js';
export { AllocationHistory, type HistorySample } from './history.js';
export { FleetCache, type FleetRead } from './fleet-cache.js';
export { consoleRoutes, seedComparisonChips } from './routes.js';
export { loadStaticFiles, consoleDir, repoRoot } from './static-files.js';
export { openApiToTs } from './openapi-to-ts.js';
