/**
 * Parses a user-supplied catalog file (YAML or JSON; JSON is read by the same YAML 1.2 parser so
 * both get line numbers). The caller reads the file; this module only sees its text.
 *
 * Accepted shapes: a list of chip records, or `{ chips: [...], sources: [{ key, description }] }`
 * when the file cites sources of its own. Validation of the records happens in `loadCatalog`;
 * here only the file-level problems are reported (empty, too large, syntax, wrong top level).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ErrorCode, TesseraError, ValidationError } from '../lib/errors.js';
import type { CatalogFileInput } from './load.js';

/** Larger files are refused before parsing: a catalog has tens of records, not millions. */
export const MAX_CATALOG_FILE_BYTES = 10 * 1024 * 1024;

function fail(file: string, message: string, line?: number, path = ''): ValidationError {
  return new ValidationError('The catalog file is invalid', [{ file, path, message, ...(line !== undefined ? { line } : {}) }]);
}

export function tooLarge(file: string, bytes: number): TesseraError {
  const mb = (bytes / (1024 * 1024)).toFixed(1);
  return new TesseraError(ErrorCode.tooLarge, `${file} is ${mb} MB; catalog files are limited to ${MAX_CATALOG_FILE_BYTES / (1024 * 1024)} MB`, {
    context: { file, bytes },
  });
}

function byteLength(text: string): number {
  // Cheap bound first: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (text.length * 3 <= MAX_CATALOG_FILE_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
}

function segments(path: string): (string | number)[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
}

/** Line of the deepest existing node on `path` below `base` (a record or a source entry). */
function locator(doc: Document, lines: LineCounter, base: (string | number)[]): (index: number, path: string) => number | undefined {
  return (index, path) => {
    let node: unknown = doc.getIn([...base, index], true);
    const lineOf = (n: unknown): number | undefined => {
      const range = (n as { range?: [number, number, number] } | null)?.range;
      return range ? lines.linePos(range[0]).line : undefined;
    };
    let line = lineOf(node);
    for (const seg of segments(path)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        // A missing field is reported at its parent's key (where it should be added).
        if (!pair) break;
        line = lineOf(pair.key) ?? line;
        node = pair.value;
        if (isScalar(node)) line = lineOf(node) ?? line;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        if (node === undefined) break;
        line = lineOf(node) ?? line;
      } else break;
    }
    return line;
  };
}

export function parseCatalogFile(text: string, fileName: string): CatalogFileInput {
  const bytes = byteLength(text);
  if (bytes > MAX_CATALOG_FILE_BYTES) throw tooLarge(fileName, bytes);
  const isJson = /\.json$/i.test(fileName);
  const kind = isJson ? 'JSON' : 'YAML';
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line ?? lines.linePos(error.pos[0]).line;
    const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'unreadable';
    throw fail(fileName, `${kind} syntax error: ${reason}`, line);
  }
  let root: unknown;
  try {
    // The alias limit stops "billion laughs" files from expanding without bound.
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw fail(fileName, `${kind} error: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (root === null || root === undefined) {
    throw fail(fileName, 'the file is empty; expected a list of chip records, or an object with a `chips` list');
  }
  if (Array.isArray(root)) {
    return { file: fileName, records: root, locate: locator(doc, lines, []) };
  }
  if (typeof root !== 'object') {
    throw fail(fileName, `expected a list of chip records, or an object with a \`chips\` list, got ${JSON.stringify(root)}`, 1);
  }
  const obj = root as Record<string, unknown>;
  const extra = Object.keys(obj).filter((k) => k !== 'chips' && k !== 'sources');
  if (extra.length > 0) {
    const first = extra[0] ?? '';
    const pair = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && String(p.key.value) === first) : undefined;
    const range = isScalar(pair?.key) ? pair.key.range : undefined;
    const line = range ? lines.linePos(range[0]).line : 1;
    throw fail(fileName, `unknown top-level field ${JSON.stringify(first)}; a catalog file has \`chips\` and optionally \`sources\``, line, `/${first}`);
  }
  if (!Array.isArray(obj.chips)) {
    throw fail(fileName, obj.chips === undefined ? 'the `chips` list is missing' : '`chips` must be a list of chip records', 1, '/chips');
  }
  if (obj.sources !== undefined && !Array.isArray(obj.sources)) {
    throw fail(fileName, '`sources` must be a list of { key, description }', 1, '/sources');
  }
  return {
    file: fileName,
    records: obj.chips,
    ...(Array.isArray(obj.sources) ? { sources: obj.sources as unknown[] } : {}),
    locate: locator(doc, lines, ['chips']),
    locateSource: locator(doc, lines, ['sources']),
  };
}
