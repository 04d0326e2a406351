/**
 * Maps a field path (`/nodeGroups/2/servers`) back to its 1-based line in the YAML or JSON text,
 * so that every validation issue can say file:line. Built on the `yaml` package's document API.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** Line lookup for a parsed document; `undefined` when the text had no document (empty file). */
export type LineLocator = (path: string, at?: 'key' | 'value') => number | undefined;

export function pathSegments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Finds the deepest node along `path` and returns its line. When the path ends inside a missing
 * field, the line of the nearest existing parent is returned (where the field should be added).
 * `at: 'key'` points at a mapping key rather than its value (for unknown fields).
 */
export function lineLocator(doc: Document, lines: LineCounter): LineLocator {
  const lineOf = (offset: number | undefined): number | undefined => (offset === undefined ? undefined : lines.linePos(offset).line);
  return (path, at = 'value') => {
    let node: unknown = doc.contents;
    let line = lineOf(rangeStart(node));
    const segments = pathSegments(path);
    for (const [i, segment] of segments.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
        if (!pair) return line;
        const keyLine = lineOf(rangeStart(pair.key));
        line = keyLine ?? line;
        if (at === 'key' && i === segments.length - 1) return line;
        node = pair.value;
        line = lineOf(rangeStart(node)) ?? line;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (item === undefined) return line;
        node = item;
        line = lineOf(rangeStart(node)) ?? line;
      } else {
        return line;
      }
    }
    return line;
  };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** 1-based line of a character offset, for errors found outside the YAML parser (JSON.parse). */
export function lineAtOffset(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
