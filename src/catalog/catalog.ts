import { notFound } from '../lib/errors.js';
import type { ChipSpec, Vendor } from './types.js';

/**
 * A validated set of chips with id and alias lookup. Construct it through `loadCatalog`
 * (which validates records); the constructor itself trusts its input.
 */
export class Catalog {
  readonly chips: readonly ChipSpec[];
  private readonly byId = new Map<string, ChipSpec>();
  private readonly byAlias = new Map<string, ChipSpec>();

  constructor(chips: readonly ChipSpec[]) {
    this.chips = chips;
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

  private unknown(name: string): Error {
    const key = name.toLowerCase();
    const close = this.chips
      .map((c) => c.id)
      .filter((id) => id.includes(key) || key.includes(id.split('-').slice(1).join('-')))
      .slice(0, 3);
    const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : ' Run `tessera catalog list` for the ids.';
    return notFound(`Unknown chip "${name}".${hint}`, { chip: name });
  }
}
