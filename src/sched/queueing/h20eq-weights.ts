import { invalid } from '../../lib/errors.js';

/**
 * How many H20 cards one card of a chip counts for in `h20eq` quotas and in DRF shares. The figure
 * depends on the kind of work (see `perf/h20eq.ts`), so the caller supplies it per deployment, e.g.
 * from `tessera perf h20eq --class <class>`; a chip absent from the table counts 1 per card, and
 * so does every chip when no table is given (`source: 'default'`, said in the pending reasons).
 */
export interface H20eqWeights {
  of(chip: string): number;
  source: 'table' | 'default';
  /** Identity of the table, so a book built with other weights is rebuilt. */
  key: string;
}

export const DEFAULT_H20EQ: H20eqWeights = { of: () => 1, source: 'default', key: '' };

/** Validates a plugin argument `{ chipId: weight }` (weights > 0, finite). */
export function parseH20eqArg(plugin: string, raw: unknown): H20eqWeights {
  if (raw === undefined) return DEFAULT_H20EQ;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(`plugin "${plugin}": argument "h20eq" must be an object of chip id -> H20-equivalents per card`);
  const table = new Map<string, number>();
  for (const [chip, w] of Object.entries(raw)) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0 || w > 1e3) throw invalid(`plugin "${plugin}": h20eq.${chip} must be a number in (0, 1000], got ${JSON.stringify(w)}`);
    table.set(chip, w);
  }
  return { of: (chip) => table.get(chip) ?? 1, source: 'table', key: JSON.stringify([...table].sort()) };
}
