/**
 * Model shapes: the built-in presets (public configurations, cited), a file format for any other
 * model, and the derived numbers (parameters, FLOPs and KV bytes per token) the performance model uses.
 */
export type { ModelSpec, MoeShape, MlaShape } from './types.js';
export { modelPresets, findModelPreset, normalizeModelName } from './presets.js';
export { modelShape, type ModelShape } from './shape.js';
export { parseModelText, modelFromFile } from './parse.js';
export { ModelFileSchema, type ModelFile } from './schema.js';
export { resolveModel } from './resolve.js';
export { modelFromDescription, type ModelDescription } from './describe.js';
