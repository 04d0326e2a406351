/**
 * Small text helpers shared by the vendor parsers. Every number helper returns a finite number or
 * null: "N/A", "-", masked values ("xxxxx") and garbage all become null, never NaN or 0.
 */

/** Splits a capture into lines: drops a leading `# SOURCE:` note, CR, ANSI colour codes and control bytes. */
export function captureLines(text: string): string[] {
  const clean = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    // ANSI escape sequences (colours, cursor moves) that some tools emit on a terminal.
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g, ' ');
  const lines = clean.split('\n');
  if (lines[0] !== undefined && /^#\s*SOURCE:/i.test(lines[0])) lines.shift();
  return lines.map((l) => l.replace(/\t/g, '    '));
}

const NOT_AVAILABLE = /^(\[?n\/a\]?|na|none|-+|\[.*\]|unknown|not supported|disabled?|xx+)$/i;

export function isNotAvailable(s: string | undefined | null): boolean {
  return s === undefined || s === null || s.trim() === '' || NOT_AVAILABLE.test(s.trim());
}

/** A finite number or null. */
export function finite(n: number | null | undefined): number | null {
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** The first decimal number in the string (unit suffixes allowed), or null. */
export function num(s: string | undefined | null): number | null {
  if (s === undefined || s === null || isNotAvailable(s)) return null;
  const m = /-?\d+(?:\.\d+)?/.exec(s);
  return m ? finite(Number(m[0])) : null;
}

/** A non-negative integer, or null ("0x1a" and "12.5" are not integers). */
export function int(s: string | undefined | null): number | null {
  if (s === undefined || s === null) return null;
  const t = s.trim();
  return /^\d{1,9}$/.test(t) ? Number(t) : null;
}

/** A non-negative number, or null: a negative memory, power or utilisation figure is garbage, not data. */
function nonNegative(n: number | null): number | null {
  return n !== null && n >= 0 ? n : null;
}

/** A percentage as printed ("0%", "0.0%", "12 %"); null when not shown. */
export function pct(s: string | undefined | null): number | null {
  return nonNegative(num(s));
}

/** Temperature in Celsius from "28C", "49.0C", "39 C", "27 C", "41.0". */
export function celsius(s: string | undefined | null): number | null {
  return num(s);
}

/** Power in W from "77W", "77.71 W", "118.0W", "102.8". */
export function watts(s: string | undefined | null): number | null {
  return nonNegative(num(s));
}

/**
 * A memory amount in MiB. SMI tools print "MB" but mean MiB (npu-smi's 65536 MB is 64 GiB),
 * so MB and MiB are taken alike; GB/GiB are scaled by 1024, KB/KiB divided.
 */
export function mib(s: string | undefined | null, defaultUnit: 'MiB' | 'GiB' = 'MiB'): number | null {
  if (s === undefined || s === null || isNotAvailable(s)) return null;
  // A negative amount of memory is garbage, not data.
  if (/^-\s*\d/.test(s.trim())) return null;
  const m = /(\d+(?:\.\d+)?)\s*([KMGT]i?B)?\b/i.exec(s);
  if (!m) return null;
  const value = Number(m[1]);
  const unit = (m[2] ?? defaultUnit).toUpperCase().replace('I', '');
  const factor = unit === 'KB' ? 1 / 1024 : unit === 'GB' ? 1024 : unit === 'TB' ? 1024 * 1024 : 1;
  return finite(Math.round(value * factor * 1000) / 1000);
}

/**
 * "used / total" in MiB from the shapes the tools print: `0MiB / 143771MiB`, `858/65536 MiB`,
 * `0MiB(81920MiB)` (mthreads-gmi), `2867 / 8192` (MB columns), `0 MiB/ xxxxx MiB` (masked total).
 */
export function usage(s: string | undefined | null): { used: number | null; total: number | null } {
  if (s === undefined || s === null) return { used: null, total: null };
  const t = s.trim();
  const paren = /^(\S+?)\s*\(\s*([^)]*)\)/.exec(t);
  if (paren) return { used: mib(unitFrom(paren[1] ?? '', t)), total: mib(unitFrom(paren[2] ?? '', t)) };
  const parts = splitPair(t);
  if (!parts) return { used: mib(t), total: null };
  return { used: mib(unitFrom(parts[0], t)), total: mib(unitFrom(parts[1], t)) };
}

/**
 * Two sides of "a / b" where either side may itself be "N/A"; null unless there is exactly one
 * separating slash. Written without a backtracking regex so a long run of spaces stays linear.
 */
export function splitPair(s: string): [string, string] | null {
  const masked = s.replace(/N\/A/gi, '\u0000');
  const at = masked.indexOf('/');
  if (at < 0 || masked.indexOf('/', at + 1) >= 0) return null;
  const restore = (x: string): string => x.replace(/\u0000/g, 'N/A').trim();
  return [restore(masked.slice(0, at)), restore(masked.slice(at + 1))];
}

/** Gives a bare number the unit written once for the pair ("858/65536 MiB": 858 is MiB). */
function unitFrom(side: string, whole: string): string {
  if (/[a-z]/i.test(side) || isNotAvailable(side)) return side;
  const unit = /([KMGT]i?B)\s*\)?\s*$/i.exec(whole);
  return unit ? `${side}${unit[1]}` : side;
}

/** Splits a header cell into column names: names are separated by two or more spaces. */
export function headerNames(cell: string): string[] {
  return cell
    .trim()
    .split(/\s{2,}/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const QUANTITY = /^(?:-?[\d.]+[A-Za-z%]*|N\/A|x{2,}[A-Za-z]*)$/i;

/**
 * Splits a value cell into tokens: a unit written after a space joins its number ("39 C" -> "39C"),
 * and quantities around a slash join ("77W / 700W" -> "77W/700W"), so one column gives one token.
 */
export function valueTokens(cell: string): string[] {
  const joined = cell.replace(/(\d|N\/A|\bx{2,})\s+(MiB|MB|GiB|GB|KiB|KB|W|C|%)(?![A-Za-z])/g, '$1$2');
  const raw = joined.trim().split(/\s+/).filter((t) => t !== '');
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const tok = raw[i] ?? '';
    const prev = out[out.length - 1];
    const next = raw[i + 1];
    if (tok === '/' && prev !== undefined && next !== undefined && QUANTITY.test(prev) && QUANTITY.test(next)) {
      out[out.length - 1] = `${prev}/${next}`;
      i++;
    } else if (tok.endsWith('/') && tok.length > 1 && next !== undefined && QUANTITY.test(tok.slice(0, -1)) && QUANTITY.test(next)) {
      out.push(`${tok}${next}`);
      i++;
    } else if (tok.startsWith('/') && tok.length > 1 && prev !== undefined && QUANTITY.test(prev) && QUANTITY.test(tok.slice(1))) {
      out[out.length - 1] = `${prev}${tok}`;
    } else {
      out.push(tok);
    }
  }
  return out;
}

/** The first capture group of `re` in any line, trimmed; null when absent or not available. */
export function findValue(lines: readonly string[], re: RegExp): string | null {
  for (const line of lines) {
    const m = re.exec(line);
    if (m && m[1] !== undefined) {
      const v = m[1].trim();
      if (v !== '' && !isNotAvailable(v)) return v;
    }
  }
  return null;
}
