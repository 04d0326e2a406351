import { describe, expect, it } from 'vitest';
import { builtinCatalog } from './builtin.js';
import { devicesPerCard, halfPrecisionPeak, perDevice } from './figures.js';

describe('figure readings', () => {
  const catalog = builtinCatalog();

  it('half precision: bf16 first, then fp16, else unknown', () => {
    expect(halfPrecisionPeak(catalog.get('nvidia-h20'))).toMatchObject({ precision: 'bf16', figure: { value: 148 } });
    expect(halfPrecisionPeak(catalog.get('nvidia-t4'))).toMatchObject({ precision: 'fp16', figure: { value: 65 } });
    expect(halfPrecisionPeak(catalog.get('thead-ppu'))).toMatchObject({ precision: null, figure: { value: null } });
  });

  it('per device: BI-V150 64 GiB / 2 = 32 GiB (what ixsmi shows), MLU370-X8 48 / 2 = 24', () => {
    const bi = catalog.get('iluvatar-bi-v150');
    expect(devicesPerCard(bi)).toBe(2);
    expect(perDevice(bi, bi.memoryGiB)).toMatchObject({ value: 32, source: 'I4', confidence: 'derived' });
    const mlu = catalog.get('cambricon-mlu370-x8');
    expect(perDevice(mlu, mlu.memoryGiB).value).toBe(24);
  });

  it('per device leaves single-device cards and unknown figures alone', () => {
    const h20 = catalog.get('nvidia-h20');
    expect(perDevice(h20, h20.memoryGiB)).toBe(h20.memoryGiB);
    const bi = catalog.get('iluvatar-bi-v150');
    expect(perDevice(bi, bi.memBandwidthGBps)).toEqual({ value: null, confidence: 'unknown', note: 'n/f' });
  });
});
