import { notFound } from '../../lib/errors.js';
import { findModelPreset, modelPresets } from './presets.js';
import type { ModelSpec } from './types.js';

/** The preset named `name`; throws a not-found error listing the presets when there is none. */
export function resolveModel(name: string): ModelSpec {
  const m = findModelPreset(name);
  if (m) return m;
  throw notFound(`Unknown model "${name}". Presets: ${modelPresets.map((p) => p.id).join(', ')}; or pass a model file (YAML/JSON, or a Hugging Face config.json).`, { model: name });
}
