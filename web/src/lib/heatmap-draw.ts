/**
 * Draws every device as one cell of a grid straight into an ImageData buffer (one 32-bit write per
 * pixel, no per-cell canvas calls), so 22,832 devices redraw in a few milliseconds. Cells are grouped
 * by node: devices of one node are consecutive, row-major.
 */
import { rgba, viridisRamp } from './palette';

export interface HeatmapData {
  /** Allocated milli-cards per device (0..1000). */
  used: ArrayLike<number>;
  /** 1 where the device is unhealthy. */
  unhealthy: Uint8Array;
  /** 1 where the device's node is lost. */
  lost: Uint8Array;
  /** 1 where the device passes the filter (others are drawn faded). */
  visible: Uint8Array;
}

export interface Layout {
  cell: number;
  gap: number;
  cols: number;
  rows: number;
  width: number;
  height: number;
}

const ramp = viridisRamp();
const unhealthyColour = rgba(213, 94, 0);
const lostColour = rgba(40, 40, 40);
const fadedColour = rgba(228, 231, 235);
const background = rgba(255, 255, 255);

/** The largest cell (2..14 px) with which `count` cells fit `width`, and the resulting grid. */
export function layoutFor(count: number, width: number, maxHeight = 900): Layout {
  for (let cell = 14; cell >= 2; cell--) {
    const gap = cell >= 6 ? 1 : 0;
    const cols = Math.max(1, Math.floor((width + gap) / (cell + gap)));
    const rows = Math.ceil(count / cols);
    const height = rows * (cell + gap);
    if (height <= maxHeight || cell === 2) return { cell, gap, cols, rows, width: cols * (cell + gap), height: Math.max(1, height) };
  }
  throw new Error('unreachable');
}

/** Device index at canvas pixel (x, y), or -1. */
export function cellAt(l: Layout, count: number, x: number, y: number): number {
  const col = Math.floor(x / (l.cell + l.gap));
  const row = Math.floor(y / (l.cell + l.gap));
  if (col < 0 || col >= l.cols || row < 0) return -1;
  const i = row * l.cols + col;
  return i < count ? i : -1;
}

export function colourOf(d: HeatmapData, i: number): number {
  if (!d.visible[i]) return fadedColour;
  if (d.lost[i]) return lostColour;
  if (d.unhealthy[i]) return unhealthyColour;
  const u = d.used[i] ?? 0;
  return ramp[u < 0 ? 0 : u > 1000 ? 1000 : u | 0]!;
}

/** Fills `pixels` (width l.width, row-major RGBA as Uint32) with the grid. */
export function paint(pixels: Uint32Array, l: Layout, d: HeatmapData): void {
  pixels.fill(background);
  const count = d.used.length;
  const stride = l.width;
  const step = l.cell + l.gap;
  for (let i = 0; i < count; i++) {
    const c = colourOf(d, i);
    const x0 = (i % l.cols) * step;
    const y0 = Math.floor(i / l.cols) * step;
    for (let y = 0; y < l.cell; y++) {
      const row = (y0 + y) * stride + x0;
      pixels.fill(c, row, row + l.cell);
    }
    // Unhealthy cells also carry a cross, so they do not depend on colour alone.
    if (l.cell >= 6 && d.unhealthy[i] && d.visible[i]) {
      for (let k = 1; k < l.cell - 1; k++) {
        pixels[(y0 + k) * stride + x0 + k] = background;
        pixels[(y0 + k) * stride + x0 + l.cell - 1 - k] = background;
      }
    }
  }
}
