import { invalid } from '../../lib/errors.js';

/** Small validators for plugin factories: each failure is one sentence naming the plugin and field. */
export function numberArg(plugin: string, args: Record<string, unknown>, key: string, dflt: number, min = -Infinity, max = Infinity): number {
  const v = args[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw invalid(`plugin "${plugin}": argument "${key}" must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

export function enumArg<T extends string>(plugin: string, args: Record<string, unknown>, key: string, allowed: readonly T[], dflt: T): T {
  const v = args[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw invalid(`plugin "${plugin}": argument "${key}" must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** Refuses arguments the plugin does not know, so a typo never passes silently. */
export function onlyArgs(plugin: string, args: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(args)) {
    if (!known.includes(key)) throw invalid(`plugin "${plugin}" has no argument "${key}"${known.length ? `; known: ${known.join(', ')}` : ''}`);
  }
}
