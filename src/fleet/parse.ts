/**
 * `parseFleet`: fleet file text (YAML, or JSON by file extension) to a validated `FleetDoc`.
 * Syntax errors, schema errors and semantic errors all come back in one `ValidationError` whose
 * issues carry file, line, field path and reason.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { Catalog } from '../catalog/catalog.js';
import { ErrorCode, TesseraError } from '../lib/errors.js';
import { lineAtOffset, lineLocator, type LineLocator } from './source-map.js';
import type { FleetDoc } from './types.js';
import { toValidationError, validateFleetValue } from './validate.js';
import type { FleetIssue } from './semantic-checks.js';

/** Fleet files above this size are refused before parsing; a 100,000-node fleet with names is ~5 MiB. */
export const MAX_FLEET_FILE_BYTES = 16 * 1024 * 1024;

export interface ParseFleetOptions {
  maxBytes?: number;
}

export function parseFleet(text: string, fileName: string, catalog: Catalog, options: ParseFleetOptions = {}): FleetDoc {
  const maxBytes = options.maxBytes ?? MAX_FLEET_FILE_BYTES;
  // One UTF-16 unit is at least one UTF-8 byte, so the length is a lower bound of the byte size.
  if (text.length > maxBytes) throw fleetTooLarge(fileName, text.length, maxBytes);
  if (text.trim() === '') {
    throw toValidationError([{ path: '', line: 1, message: 'the file is empty; a fleet needs name, clusters and nodeGroups' }], { file: fileName });
  }
  if (/\.json$/i.test(fileName)) return parseJsonFleet(text, fileName, catalog);

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues: FleetIssue[] = doc.errors.map((e) => ({
      path: '',
      line: lines.linePos(e.pos[0]).line,
      message: `${/\.json$/i.test(fileName) ? 'JSON' : 'YAML'} syntax error: ${firstLine(e.message)}`,
    }));
    throw toValidationError(issues, { file: fileName });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    // Alias bombs ("billion laughs") and unresolved aliases end here.
    const message = e instanceof Error ? firstLine(e.message) : String(e);
    throw toValidationError([{ path: '', line: 1, message: `YAML could not be read: ${message}` }], { file: fileName });
  }
  if (value === null || value === undefined) {
    throw toValidationError([{ path: '', line: 1, message: 'the file has no content (only comments); a fleet needs name, clusters and nodeGroups' }], { file: fileName });
  }
  return validateFleetValue(value, { file: fileName, locate: lineLocator(doc, lines) }, catalog);
}

/**
 * JSON goes through JSON.parse, which is strict (no trailing commas or comments, unlike YAML) and
 * some fifty times faster than the YAML parser on big files; the YAML document that maps paths to
 * lines is built only when there is something to report.
 */
function parseJsonFleet(text: string, fileName: string, catalog: Catalog): FleetDoc {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw toValidationError([jsonSyntaxIssue(text, e)], { file: fileName });
  }
  let locate: LineLocator | undefined;
  const lazyLocate: LineLocator = (path, at) => {
    if (!locate) {
      const lines = new LineCounter();
      locate = lineLocator(parseDocument(text, { lineCounter: lines }), lines);
    }
    return locate(path, at);
  };
  return validateFleetValue(value, { file: fileName, locate: lazyLocate }, catalog);
}

export function fleetTooLarge(fileName: string, size: number, maxBytes: number): TesseraError {
  return new TesseraError(ErrorCode.tooLarge, `${fileName}: the fleet file is ${formatBytes(size)}, above the ${formatBytes(maxBytes)} limit; split it or group identical nodes into node groups`, {
    context: { file: fileName, size, maxBytes },
  });
}

function jsonSyntaxIssue(text: string, e: unknown): FleetIssue {
  const message = e instanceof Error ? e.message : String(e);
  const position = /at position (\d+)/.exec(message)?.[1];
  const offset = position === undefined ? text.length : Number(position);
  const line = lineAtOffset(text, offset);
  const column = offset - text.lastIndexOf('\n', offset - 1);
  const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)/, '');
  return { path: '', line, message: `JSON syntax error: ${reason} (column ${column})` };
}

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
