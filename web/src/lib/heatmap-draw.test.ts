import { describe, expect, it } from 'vitest';
import { cellAt, colourOf, layoutFor, paint, type HeatmapData } from './heatmap-draw';
import { rgba, viridisRamp } from './palette';

const data = (used: number[], over: Partial<Record<'unhealthy' | 'lost' | 'visible', number[]>> = {}): HeatmapData => {
  const n = used.length;
  const arr = (xs: number[] | undefined, fill: number) => Uint8Array.from(xs ?? new Array<number>(n).fill(fill));
  return { used, unhealthy: arr(over.unhealthy, 0), lost: arr(over.lost, 0), visible: arr(over.visible, 1) };
};

describe('layoutFor', () => {
  it('fits 22,832 devices in a 1,200 px wide canvas no taller than 900 px', () => {
    const l = layoutFor(22_832, 1200);
    // 5 px cells (no gap): 240 columns, ceil(22832 / 240) = 96 rows = 480 px; 6 px cells + 1 gap: 171 cols, 134 rows = 938 px > 900.
    expect(l).toMatchObject({ cell: 5, gap: 0, cols: 240, rows: 96, height: 480 });
  });
  it('uses big cells for a small fleet', () => {
    const l = layoutFor(224, 1000);
    // 14 px + 1 gap = 15 px per cell: floor(1001 / 15) = 66 columns, 4 rows.
    expect(l).toMatchObject({ cell: 14, gap: 1, cols: 66, rows: 4 });
  });
});

describe('cellAt', () => {
  it('maps pixels back to device indices, and gaps to the cell on their left', () => {
    const l = layoutFor(224, 1000);
    expect(cellAt(l, 224, 0, 0)).toBe(0);
    expect(cellAt(l, 224, 15, 0)).toBe(1);
    expect(cellAt(l, 224, 0, 15)).toBe(66);
    expect(cellAt(l, 224, 14 * 15, 3 * 15)).toBe(212); // row 3, column 14: 3 * 66 + 14
    expect(cellAt(l, 224, 30 * 15, 3 * 15)).toBe(-1); // 3 * 66 + 30 = 228: past the last device
    expect(cellAt(l, 224, 66 * 15 + 1, 0)).toBe(-1); // right of the last column
  });
});

describe('colourOf and paint', () => {
  const ramp = viridisRamp();
  it('colours by allocated share, and overrides with lost, unhealthy and filtered', () => {
    const d = data([0, 1000, 500, 500, 500], { unhealthy: [0, 0, 0, 1, 0], lost: [0, 0, 0, 0, 1] });
    expect(colourOf(d, 0)).toBe(ramp[0]);
    expect(colourOf(d, 1)).toBe(ramp[1000]);
    expect(colourOf(d, 2)).toBe(ramp[500]);
    expect(colourOf(d, 3) >>> 0).toBe(rgba(213, 94, 0));
    expect(colourOf(d, 4) >>> 0).toBe(rgba(40, 40, 40));
    const hidden = data([1000], { visible: [0] });
    expect(colourOf(hidden, 0) >>> 0).toBe(rgba(228, 231, 235));
  });
  it('fills each cell and marks unhealthy cells with a cross', () => {
    const d = data([1000, 0], { unhealthy: [0, 1] });
    const l = layoutFor(2, 40);
    const px = new Uint32Array(l.width * l.height);
    paint(px, l, d);
    const at = (x: number, y: number) => px[y * l.width + x]! >>> 0;
    expect(at(2, 5)).toBe(ramp[1000]! >>> 0);
    const x1 = l.cell + l.gap;
    expect(at(x1, 0)).toBe(rgba(213, 94, 0));
    expect(at(x1 + 1, 1)).toBe(rgba(255, 255, 255)); // the cross's diagonal
  });
});
