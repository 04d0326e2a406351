/**
 * YAML or JSON text to a plain value plus a line locator, with syntax errors as located issues.
 * Shared by fleet files and CSV mapping files so that both report file:line the same way.
 */
import { LineCounter, parseDocument } from 'yaml';
import { lineAtOffset, lineLocator, type LineLocator } from './source-map.js';
import type { FleetIssue } from './semantic-checks.js';
import { toValidationError } from './validate.js';

export interface StructuredText {
  value: unknown;
  locate: LineLocator;
}

/**
 * Parses `text` as JSON when `fileName` ends in .json (strictly, with JSON.parse: no trailing commas
 * or comments, and fifty times faster than the YAML parser on big files; the line map is then built
 * only when something needs locating), else as YAML. `needs` completes the empty-file sentence.
 */
export function readStructuredText(text: string, fileName: string, needs: string): StructuredText {
  if (text.trim() === '') throw toValidationError([{ path: '', line: 1, message: `the file is empty; ${needs}` }], { file: fileName });
  if (/\.json$/i.test(fileName)) return readJson(text, fileName);

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues: FleetIssue[] = doc.errors.map((e) => ({ path: '', line: lines.linePos(e.pos[0]).line, message: `YAML syntax error: ${firstLine(e.message)}` }));
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
    throw toValidationError([{ path: '', line: 1, message: `the file has no content (only comments); ${needs}` }], { file: fileName });
  }
  return { value, locate: lineLocator(doc, lines) };
}

function readJson(text: string, fileName: string): StructuredText {
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
  return { value, locate: lazyLocate };
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

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
