import { describe, expect, it } from 'vitest';
import { TesseraError } from '../lib/errors.js';
import { builtinCatalog } from './builtin.js';
import { compareChips, formatNumber, formatRatio, type Comparison } from './compare.js';
import { loadCatalog } from './load.js';
import { testSources, validRecord } from './test-records.js';

function row(c: Comparison, key: string): { text: string; ratio: number | null; ratioText: string }[] {
  const r = c.rows.find((x) => x.key === key);
  if (!r) throw new Error(`no row ${key}`);
  return r.cells.map(({ text, ratio, ratioText }) => ({ text, ratio, ratioText }));
}

describe('compareChips: the CCTV table', () => {
  const cctv = compareChips(builtinCatalog(), ['ppu', 'a800', 'h20', '910b', 'br104']);

  it('has one column per card, resolved from aliases, against the H20 by default', () => {
    expect(cctv.baselineId).toBe('nvidia-h20');
    expect(cctv.chips.map((c) => c.id)).toEqual(['thead-ppu', 'nvidia-a800', 'nvidia-h20', 'ascend-910b', 'biren-br104']);
    expect(cctv.rows.map((r) => r.key)).toEqual(['memory', 'memBandwidth', 'halfPrecision', 'int8', 'cardLink', 'power']);
    // The host interfaces the CCTV table listed: PPU PCIe 5.0 x16, A800 PCIe 4.0 x16, H20 PCIe 5.0.
    expect(cctv.chips.slice(0, 3).map((c) => c.hostLink)).toEqual(['PCIe 5.0 x16', 'PCIe 4.0 x16', 'PCIe 5.0']);
  });

  it('memory: PPU 96/96 = 1.00x, A800 80/96 = 0.83x, 910B 64/96 = 0.67x, BR104 32/96 = 0.33x', () => {
    expect(row(cctv, 'memory').map((c) => [c.text, c.ratioText])).toEqual([
      ['96 GiB HBM2e', '1.00x'],
      ['80 GiB HBM2e', '0.83x'],
      ['96 GiB HBM3 (alt. 80 GiB)', '1.00x'],
      ['64 GiB HBM2e', '0.67x'],
      ['32 GiB HBM2e', '0.33x'],
    ]);
  });

  it('memory bandwidth: unknown stays unknown, and so does its ratio; BR104 819/4000 = 0.20x', () => {
    expect(row(cctv, 'memBandwidth')).toEqual([
      { text: 'unknown', ratio: null, ratioText: 'unknown' },
      { text: 'unknown', ratio: null, ratioText: 'unknown' },
      { text: '4000 GB/s', ratio: 1, ratioText: '1.00x' },
      { text: 'unknown', ratio: null, ratioText: 'unknown' },
      { text: '819 GB/s', ratio: 819 / 4000, ratioText: '0.20x' },
    ]);
  });

  it('half precision: A800 312/148 = 2.11x, 910B 320/148 = 2.16x (alt. 256), BR104 512/148 = 3.46x', () => {
    expect(row(cctv, 'halfPrecision').map((c) => c.ratioText)).toEqual(['unknown', '2.11x', '1.00x', '2.16x', '3.46x']);
    expect(row(cctv, 'halfPrecision')[3]?.text).toBe('320 TFLOPS (alt. 256 TFLOPS)');
  });

  it('int8: A800 624/296 = 2.11x, 910B 640/296 = 2.16x, BR104 1024/296 = 3.46x', () => {
    expect(row(cctv, 'int8').map((c) => c.ratioText)).toEqual(['unknown', '2.11x', '1.00x', '2.16x', '3.46x']);
  });

  it('card-to-card: PPU 700/900 = 0.78x, A800 400/900 = 0.44x, 910B 392/900 = 0.44x, BR104 unknown', () => {
    expect(row(cctv, 'cardLink').map((c) => [c.text, c.ratioText])).toEqual([
      ['700 GB/s', '0.78x'],
      ['400 GB/s', '0.44x'],
      ['900 GB/s', '1.00x'],
      ['392 GB/s', '0.44x'],
      ['unknown', 'unknown'],
    ]);
  });

  it('power shows the H20 conflict (400 W, CCTV said 550 W); BR104 300/400 = 0.75x', () => {
    expect(row(cctv, 'power').map((c) => [c.text, c.ratioText])).toEqual([
      ['400 W', '1.00x'],
      ['400 W', '1.00x'],
      ['400 W (alt. 550 W)', '1.00x'],
      ['400 W (alt. 350 W)', '1.00x'],
      ['300 W', '0.75x'],
    ]);
    expect(cctv.conflicts.some((s) => s.startsWith('nvidia-h20 power (tdp): 400 W (N1,N2, datasheet)') && s.includes('550 W (A2,A3, press)'))).toBe(true);
  });

  it('never prints NaN or Infinity', () => {
    expect(JSON.stringify(cctv)).not.toMatch(/NaN|Infinity/);
  });
});

describe('compareChips: other baselines and edge cases', () => {
  it('against an unknown baseline figure every ratio is unknown', () => {
    // PPU memory bandwidth is unknown, so every bandwidth ratio against it is unknown.
    const c = compareChips(builtinCatalog(), ['h20', 'br104'], 'ppu');
    expect(row(c, 'memBandwidth').map((x) => x.ratioText)).toEqual(['unknown', 'unknown']);
    // Memory against the PPU: H20 96/96 = 1.00x, BR104 32/96 = 0.33x.
    expect(row(c, 'memory').map((x) => x.ratioText)).toEqual(['1.00x', '0.33x']);
  });

  it('uses fp16 where bf16 is not published and says so', () => {
    // 910A: FP16 256 only. 256/148 = 1.73x.
    const c = compareChips(builtinCatalog(), ['910a'], 'h20');
    const cell = c.rows.find((r) => r.key === 'halfPrecision')?.cells[0];
    expect([cell?.detail, cell?.value, cell?.ratioText]).toEqual(['fp16', 256, '1.73x']);
  });

  it('collapses a chip named twice and rejects unknown chips with suggestions', () => {
    expect(compareChips(builtinCatalog(), ['h20', 'nvidia-h20']).chips).toHaveLength(1);
    expect(() => compareChips(builtinCatalog(), ['h2x'])).toThrow(/Unknown chip "h2x"\. Did you mean nvidia-h20/);
    expect(() => compareChips(builtinCatalog(), [])).toThrow(TesseraError);
  });

  it('works on a small catalog built from literal records', () => {
    const catalog = loadCatalog([{ file: 't.yaml', records: [validRecord('acme-a', ['a']), validRecord('acme-b', ['b'])] }], { sources: testSources });
    const c = compareChips(catalog, ['a', 'b'], 'acme-a');
    expect(row(c, 'power').map((x) => x.text)).toEqual(['350 W (alt. 400 W)', '350 W (alt. 400 W)']);
  });

  it('formats numbers and ratios', () => {
    expect([formatNumber(614.4), formatNumber(298.6667), formatNumber(96)]).toEqual(['614.4', '298.7', '96']);
    expect([formatRatio(null), formatRatio(2 / 3)]).toEqual(['unknown', '0.67x']);
  });
});
