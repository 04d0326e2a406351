/**
 * Colours that colour-blind readers can tell apart: the Okabe–Ito categorical palette for series,
 * and viridis (perceptually uniform, monotone in lightness) for the device heatmap's ramp.
 */
export const okabeIto = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

export const stateColour: Record<string, string> = {
  Pending: '#E69F00',
  Admitted: '#F0E442',
  Scheduled: '#56B4E9',
  Running: '#0072B2',
  Succeeded: '#009E73',
  Failed: '#D55E00',
  Cancelled: '#999999',
  Preempted: '#CC79A7',
  Lost: '#000000',
};

/** Viridis anchor colours at 0, 0.25, 0.5, 0.75, 1. */
const viridisStops: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** 1001 colours, one per milli-card of allocation, as packed little-endian RGBA (for ImageData). */
export function viridisRamp(steps = 1001): Uint32Array {
  const out = new Uint32Array(steps);
  for (let i = 0; i < steps; i++) {
    const x = (i / (steps - 1)) * (viridisStops.length - 1);
    const k = Math.min(viridisStops.length - 2, Math.floor(x));
    const f = x - k;
    const a = viridisStops[k]!;
    const b = viridisStops[k + 1]!;
    const r = Math.round(a[0] + (b[0] - a[0]) * f);
    const g = Math.round(a[1] + (b[1] - a[1]) * f);
    const bl = Math.round(a[2] + (b[2] - a[2]) * f);
    out[i] = (255 << 24) | (bl << 16) | (g << 8) | r;
  }
  return out;
}

export function rgba(r: number, g: number, b: number): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

export function cssOf(packed: number): string {
  return `rgb(${packed & 255}, ${(packed >>> 8) & 255}, ${(packed >>> 16) & 255})`;
}
