import { ErrorCode, TesseraError, invalid } from '../../lib/errors.js';
import type { AnyPlugin, PluginFactory } from './plugin.js';

/**
 * The explicit list of plugins a profile may name. Registering a name twice is a programming error
 * and is refused, so two plugins can never silently shadow each other.
 */
export class Registry {
  private readonly factories = new Map<string, PluginFactory>();

  register(name: string, factory: PluginFactory): this {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw invalid(`plugin name "${name}" must be kebab-case (a-z, 0-9, -)`);
    if (this.factories.has(name)) throw new TesseraError(ErrorCode.conflict, `plugin "${name}" is already registered`);
    this.factories.set(name, factory);
    return this;
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  names(): string[] {
    return [...this.factories.keys()].sort();
  }

  /** Builds a plugin; the factory validates `args`. */
  create(name: string, args: Record<string, unknown> = {}): AnyPlugin {
    const factory = this.factories.get(name);
    if (!factory) throw invalid(`unknown plugin "${name}"; registered plugins: ${this.names().join(', ')}`);
    const plugin = factory(args);
    if (plugin.name !== name) throw invalid(`plugin factory "${name}" built a plugin named "${plugin.name}"`);
    return plugin;
  }

  /** A copy that can be extended without touching this one. */
  clone(): Registry {
    const copy = new Registry();
    for (const [name, factory] of this.factories) copy.register(name, factory);
    return copy;
  }
}
