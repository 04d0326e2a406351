import { describe, expect, it } from 'vitest';
import { Health, type ParseResult } from '../device-record.js';
import { readFixture, seededRng, smiFixtures, toolOfFixture } from '../testing/fixtures.js';
import { ADAPTERS, findAdapter } from './registry.js';

/**
 * Robustness: parsers meet output they have never seen. Each capture is mutated many ways from a
 * seeded RNG (truncated, columns removed or added, values replaced by N/A or garbage, lines
 * shuffled or duplicated, binary noise); every parser must return `{devices, warnings}` without
 * throwing, with finite numbers only and records of the promised shape.
 */
type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

const GARBAGE = ['N/A', '[N/A]', 'garbage', '-1', '-', '99999999999999999999', 'NaN', 'Infinity', '1e309', '', '0x1F', '%%', '/', '(', '|', 'ÿþ', '\u0000'];

const MUTATIONS: Record<string, (text: string, rng: Rng) => string> = {
  truncate: (t, rng) => {
    const lines = t.split('\n');
    return lines.slice(0, Math.floor(rng() * lines.length)).join('\n');
  },
  truncateMidLine: (t, rng) => t.slice(0, Math.floor(rng() * t.length)),
  removeColumn: (t, rng) => {
    const k = 1 + Math.floor(rng() * 4);
    return t
      .split('\n')
      .map((l) => {
        const sep = l.includes('|') ? '|' : l.includes(',') ? ',' : null;
        if (sep === null) return l.split(/\s+/).filter((_, i) => i !== k).join(' ');
        const parts = l.split(sep);
        return parts.length > k ? [...parts.slice(0, k), ...parts.slice(k + 1)].join(sep) : l;
      })
      .join('\n');
  },
  addColumn: (t, rng) => {
    const k = 1 + Math.floor(rng() * 3);
    return t
      .split('\n')
      .map((l, i) => {
        const sep = l.includes('|') ? '|' : l.includes(',') ? ',' : null;
        if (sep === null) return l;
        const parts = l.split(sep);
        return parts.length > k ? [...parts.slice(0, k), i % 2 ? ' Extra-Col  ' : ' 42%  ', ...parts.slice(k)].join(sep) : l;
      })
      .join('\n');
  },
  replaceValues: (t, rng) => t.replace(/\d+(\.\d+)?/g, (m) => (rng() < 0.3 ? pick(rng, GARBAGE) : m)),
  replaceWords: (t, rng) => t.replace(/[A-Za-z][\w-]*/g, (m) => (rng() < 0.2 ? pick(rng, GARBAGE) : m)),
  allNa: (t) => t.replace(/\d+(\.\d+)?\s*(MiB|MB|W|C|%)?/g, 'N/A'),
  shuffleLines: (t, rng) =>
    t
      .split('\n')
      .map((l) => [rng(), l] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, l]) => l)
      .join('\n'),
  duplicateLines: (t, rng) =>
    t
      .split('\n')
      .flatMap((l) => (rng() < 0.2 ? [l, l] : [l]))
      .join('\n'),
  binaryNoise: (t, rng) => {
    const at = Math.floor(rng() * t.length);
    let noise = '';
    for (let i = 0; i < 200; i++) noise += String.fromCharCode(Math.floor(rng() * 256));
    return t.slice(0, at) + noise + t.slice(at);
  },
  crlf: (t) => t.replace(/\n/g, '\r\n'),
};

const STANDALONE = ['', '   \n\n', '\u0000\u0001\u0002', '{', '{"card0": 5}', '<gpu id="x"><fb_memory_usage><total>', 'x'.repeat(100_000), '|'.repeat(5000), '| GPU  Name |\n|===|\n| 0 |', '+---+\n|\n+---+'];

function assertSane(result: ParseResult, label: string): void {
  expect(Array.isArray(result.devices), label).toBe(true);
  expect(Array.isArray(result.warnings), label).toBe(true);
  for (const w of result.warnings) expect(typeof w, label).toBe('string');
  // JSON round trip: no NaN/Infinity (they would turn into null) and no undefined fields.
  expect(JSON.parse(JSON.stringify(result)), label).toEqual(result);
  walkNumbers(result, (n, path) => expect(Number.isFinite(n), `${label}: ${path} = ${n}`).toBe(true));
  for (const d of result.devices) {
    expect(Object.values(Health)).toContain(d.health);
    for (const key of ['memoryTotalMiB', 'memoryUsedMiB', 'utilizationPct', 'powerW', 'powerCapW'] as const) {
      const v = d[key];
      expect(v === null || (typeof v === 'number' && v >= 0), `${label}: ${key} = ${v}`).toBe(true);
    }
    expect(d.index === null || Number.isInteger(d.index), label).toBe(true);
  }
}

function walkNumbers(value: unknown, visit: (n: number, path: string) => void, path = ''): void {
  if (typeof value === 'number') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkNumbers(v, visit, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkNumbers(v, visit, `${path}.${k}`);
}

describe('vendor parsers never throw and never emit NaN', () => {
  const files = smiFixtures();

  for (const file of files) {
    it(`mutations of ${file}`, () => {
      const adapter = findAdapter(toolOfFixture(file));
      if (!adapter) throw new Error(`no adapter for ${file}`);
      const text = readFixture(file);
      // Seed from the file name so each capture gets its own, reproducible mutations.
      const rng = seededRng([...file].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
      for (const [name, mutate] of Object.entries(MUTATIONS)) {
        for (let round = 0; round < 6; round++) {
          const mutated = mutate(text, rng);
          assertSane(adapter.parse(mutated), `${file} ${name}#${round}`);
        }
      }
    });
  }

  for (const adapter of ADAPTERS) {
    it(`${adapter.tool} on every other tool's capture and on junk`, () => {
      for (const file of files) assertSane(adapter.parse(readFixture(file)), `${adapter.tool} <- ${file}`);
      for (const junk of STANDALONE) assertSane(adapter.parse(junk), `${adapter.tool} <- junk`);
      const empty = adapter.parse('');
      expect(empty.devices).toEqual([]);
      expect(empty.warnings.length).toBeGreaterThan(0);
    });
  }

  it('a value replaced by N/A becomes null, not 0', () => {
    const text = readFixture('nvidia-smi.txt').replace('77W /  700W', 'N/A /  700W').replace('28C', 'N/A');
    const [gpu] = findAdapter('nvidia-smi')?.parse(text).devices ?? [];
    expect(gpu).toMatchObject({ powerW: null, powerCapW: 700, temperatureC: null, memoryTotalMiB: 143771 });
  });

  it('an unknown extra column is ignored and the known ones still parse', () => {
    // mx-smi with a column no version has printed: the known columns keep their values.
    const text = readFixture('mx-smi-C550-v2.2.4.txt')
      .split('\n')
      .map((l) => (l.startsWith('| GPU ') ? `${l} New-Col  |` : l.startsWith('| Temp') ? `${l} Foo      |` : /^\|.*\|\s*$/.test(l) && !/^[-=+|\s]+$/.test(l) ? `${l} 7        |` : l))
      .join('\n');
    const result = findAdapter('mx-smi')?.parse(text);
    expect(result?.devices).toHaveLength(8);
    expect(result?.devices[0]).toMatchObject({ index: 0, model: 'MetaX C550', memoryTotalMiB: 65536, memoryUsedMiB: 858, powerW: 53, powerCapW: 450, temperatureC: 29 });
  });

  it('a removed column leaves its field null and the rest intact', () => {
    // npu-smi without the Bus-Id column.
    const text = readFixture('npu-smi.txt')
      .split('\n')
      .map((l) => {
        const parts = l.split('|');
        return parts.length >= 5 ? [...parts.slice(0, 2), ...parts.slice(3)].join('|') : l;
      })
      .join('\n');
    const result = findAdapter('npu-smi')?.parse(text);
    expect(result?.devices).toHaveLength(8);
    expect(result?.devices[0]).toMatchObject({ index: 0, model: '910B3', busId: null, powerW: 102.8, memoryTotalMiB: 65536, memoryUsedMiB: 3338 });
  });
});
