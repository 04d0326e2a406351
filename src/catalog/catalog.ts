import { notFound } from '../lib/errors.js';
import { closest } from './suggest.js';
import type { ChipSpec, SourceRef, Vendor } from './types.js';

/**
 * A validated set of chips with id and alias lookup. Construct it through `loadCatalog`
 * (which validates records); the constructor itself trusts its input.
 */
export class Catalog {
  readonly chips: readonly ChipSpec[];
  /** The source keys the figures cite, with what each one is. */
  readonly sources: readonly SourceRef[];
  private readonly byId = new Map<string, ChipSpec>();
  private readonly byAlias = new Map<string, ChipSpec>();
  private readonly sourceByKey = new Map<string, SourceRef>();

  constructor(chips: readonly ChipSpec[], sources: readonly SourceRef[] = []) {
    this.chips = chips;
    this.sources = sources;
    for (const s of sources) this.sourceByKey.set(s.key, s);
    for (const chip of chips) {
      this.byId.set(chip.id, chip);
      for (const alias of chip.aliases) this.byAlias.set(alias.toLowerCase(), chip);
    }
  }

  /** The chip with this exact id, or undefined. */
  find(id: string): ChipSpec | undefined {
    return this.byId.get(id);
  }

  /** The chip with this exact id; throws a not-found error that suggests close ids. */
  get(id: string): ChipSpec {
    const chip = this.byId.get(id);
    if (!chip) throw this.unknown(id);
    return chip;
  }

  /** Resolves an id or an alias (`ppu`, `910b`, `h20`, case-insensitive) to a chip. */
  resolve(nameOrAlias: string): ChipSpec {
    const key = nameOrAlias.trim().toLowerCase();
    const chip = this.byId.get(key) ?? this.byAlias.get(key);
    if (!chip) throw this.unknown(nameOrAlias);
    return chip;
  }

  tryResolve(nameOrAlias: string): ChipSpec | undefined {
    const key = nameOrAlias.trim().toLowerCase();
    return this.byId.get(key) ?? this.byAlias.get(key);
  }

  list(filter: { vendor?: Vendor | string } = {}): ChipSpec[] {
    return this.chips.filter((c) => filter.vendor === undefined || c.vendor === filter.vendor);
  }

  /** The vendors present, in catalog order. */
  vendors(): string[] {
    return [...new Set(this.chips.map((c) => c.vendor))];
  }

  /** What a source key refers to, or undefined for a key the catalog does not know. */
  source(key: string): SourceRef | undefined {
    return this.sourceByKey.get(key);
  }

  private unknown(name: string): Error {
    const names = this.chips.flatMap((c) => [c.id, ...c.aliases]);
    const ids = new Set<string>();
    for (const n of closest(name.trim().toLowerCase(), names, 6)) {
      const chip = this.byId.get(n) ?? this.byAlias.get(n);
      if (chip) ids.add(chip.id);
    }
    const close = [...ids].slice(0, 3);
    const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : ' Run `tessera catalog list` for the ids.';
    return notFound(`Unknown chip "${name}".${hint}`, { chip: name, suggestions: close });
  }
}
