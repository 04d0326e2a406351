/**
 * `parseFleet`: fleet file text (YAML, or JSON by file extension) to a validated `FleetDoc`.
 * Syntax errors, schema errors and semantic errors all come back in one `ValidationError` whose
 * issues carry file, line, field path and reason.
 */
import type { Catalog } from '../catalog/catalog.js';
import { ErrorCode, TesseraError } from '../lib/errors.js';
import { readStructuredText } from './structured-text.js';
import type { FleetDoc } from './types.js';
import { validateFleetValue } from './validate.js';

/** Fleet files above this size are refused before parsing; a 100,000-node fleet with names is ~2 MiB of YAML. */
export const MAX_FLEET_FILE_BYTES = 16 * 1024 * 1024;

export interface ParseFleetOptions {
  maxBytes?: number;
}

export function parseFleet(text: string, fileName: string, catalog: Catalog, options: ParseFleetOptions = {}): FleetDoc {
  const maxBytes = options.maxBytes ?? MAX_FLEET_FILE_BYTES;
  // One UTF-16 unit is at least one UTF-8 byte, so the length is a lower bound of the byte size.
  if (text.length > maxBytes) throw fleetTooLarge(fileName, text.length, maxBytes);
  const { value, locate } = readStructuredText(text, fileName, 'a fleet needs name, clusters and nodeGroups');
  return validateFleetValue(value, { file: fileName, locate }, catalog);
}

/** The size-limit error; the default advice fits fleet files (`what` and `advice` fit others). */
export function fleetTooLarge(
  fileName: string,
  size: number,
  maxBytes: number,
  what = 'fleet file',
  advice = 'split it or group identical nodes into node groups',
): TesseraError {
  return new TesseraError(ErrorCode.tooLarge, `${fileName}: the ${what} is ${formatBytes(size)}, above the ${formatBytes(maxBytes)} limit; ${advice}`, {
    context: { file: fileName, size, maxBytes },
  });
}

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
