import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validate } from '../../bench/perf-validation.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'data', 'perf-validation.json');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
}

function p90(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil(0.9 * (s.length - 1))] ?? NaN;
}

describe('validation set (bench/data/perf-validation.json)', () => {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { points: { id: string; kind: string; split: string; source: { url: string }; measured: number | null; vidurFile?: string }[] };

  it('has at least 25 published points, each with a source, a split and a measurement', () => {
    expect(data.points.length).toBeGreaterThanOrEqual(25);
    expect(new Set(data.points.map((p) => p.id)).size).toBe(data.points.length);
    for (const p of data.points) {
      expect(p.source.url, p.id).toMatch(/^https?:\/\//);
      expect(['fit', 'check'], p.id).toContain(p.split);
      expect(p.measured !== null || p.vidurFile !== undefined, p.id).toBe(true);
    }
  });

  it('stays within the targets: median APE <= 20% and p90 <= 50%, for inference and training', () => {
    const results = validate();
    for (const group of ['inference', 'training'] as const) {
      const errs = results.filter((r) => r.group === group && r.errorPct !== null).map((r) => r.errorPct as number);
      expect(errs.length).toBeGreaterThan(10);
      expect(median(errs), `${group} median APE`).toBeLessThanOrEqual(20);
      expect(p90(errs), `${group} p90 APE`).toBeLessThanOrEqual(50);
    }
    // Every point gets a number or an explicit reason.
    for (const r of results) expect(r.predicted !== null || r.note.length > 0, r.id).toBe(true);
  });
});
