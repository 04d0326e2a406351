/**
 * A small tolerant reader for the flat, attribute-light XML that `nvidia-smi -q -x` prints.
 * It finds elements by name and nesting, never builds a DOM, and never throws: a truncated
 * document yields what was complete plus `truncated: true` on the element that lost its end tag.
 */
export interface XmlElement {
  /** Inner text between the start and end tags (or to the end of input when truncated). */
  inner: string;
  attrs: string;
  truncated: boolean;
}

/** All elements named `tag` directly or deeply inside `xml` that are not nested in another `tag`. */
export function elements(xml: string, tag: string): XmlElement[] {
  const out: XmlElement[] = [];
  const open = new RegExp(`<${escape(tag)}(\\s[^>]*)?(/)?>`, 'g');
  let m: RegExpExecArray | null;
  let from = 0;
  open.lastIndex = 0;
  while ((m = open.exec(xml)) !== null) {
    if (m.index < from) continue;
    if (m[2] === '/') {
      out.push({ inner: '', attrs: m[1] ?? '', truncated: false });
      continue;
    }
    const start = m.index + m[0].length;
    const end = matchingClose(xml, tag, start);
    if (end < 0) {
      out.push({ inner: xml.slice(start), attrs: m[1] ?? '', truncated: true });
      break;
    }
    out.push({ inner: xml.slice(start, end), attrs: m[1] ?? '', truncated: false });
    from = end;
    open.lastIndex = end;
  }
  return out;
}

/** The first element at `path` (`fb_memory_usage/total`), or null. */
export function child(xml: string, path: string): XmlElement | null {
  let current: XmlElement | null = { inner: xml, attrs: '', truncated: false };
  for (const tag of path.split('/')) {
    if (current === null) return null;
    current = elements(current.inner, tag)[0] ?? null;
  }
  return current;
}

/** The decoded text at `path`, trimmed; null when absent or empty. */
export function text(xml: string, path: string): string | null {
  const el = child(xml, path);
  if (el === null) return null;
  const t = decode(el.inner.replace(/<[^>]*>/g, '')).trim();
  return t === '' ? null : t;
}

/** `xml` with every `tag` element removed, so that lookups do not descend into nested devices. */
export function without(xml: string, tag: string): string {
  let out = xml;
  for (let guard = 0; guard < 1000; guard++) {
    const open = new RegExp(`<${escape(tag)}(\\s[^>]*)?>`).exec(out);
    if (!open) break;
    const start = open.index + open[0].length;
    const end = matchingClose(out, tag, start);
    const closeLen = `</${tag}>`.length;
    out = end < 0 ? out.slice(0, open.index) : out.slice(0, open.index) + out.slice(end + closeLen);
  }
  return out;
}

/** Attribute value from an element's attribute text. */
export function attr(attrs: string, name: string): string | null {
  const m = new RegExp(`\\b${escape(name)}\\s*=\\s*"([^"]*)"`).exec(attrs);
  return m ? decode(m[1] ?? '') : null;
}

function matchingClose(xml: string, tag: string, from: number): number {
  const re = new RegExp(`<(/?)${escape(tag)}(\\s[^>]*)?(/?)>`, 'g');
  re.lastIndex = from;
  let depth = 1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml)) !== null) {
    if (m[3] === '/') continue;
    depth += m[1] === '/' ? -1 : 1;
    if (depth === 0) return m.index;
  }
  return -1;
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
