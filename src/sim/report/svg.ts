/**
 * Tiny inline-SVG charts for the self-contained report: a multi-series line chart over time and a
 * grouped bar chart. No scripts, no fonts, no network: the file opens anywhere.
 */
export const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#4b5563'];

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

export interface LineSeries {
  label: string;
  points: [number, number][];
}

export function lineChart(title: string, series: LineSeries[], opts: { xLabel: string; yLabel: string; yMax?: number; width?: number; height?: number }): string {
  const w = opts.width ?? 640;
  const h = opts.height ?? 260;
  const m = { l: 56, r: 16, t: 28, b: 40 };
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1e-9, ...all.map((p) => p[0]));
  const yMax = opts.yMax ?? Math.max(1e-9, ...all.map((p) => p[1]));
  const x = (v: number): number => m.l + (v / xMax) * (w - m.l - m.r);
  const y = (v: number): number => h - m.b - (v / yMax) * (h - m.t - m.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const grid = ticks.map((f) => `<line x1="${m.l}" x2="${w - m.r}" y1="${y(f * yMax)}" y2="${y(f * yMax)}" stroke="#e5e7eb"/><text x="${m.l - 6}" y="${y(f * yMax) + 4}" text-anchor="end" font-size="10">${fmt(f * yMax)}</text>`).join('');
  const xt = ticks.map((f) => `<text x="${x(f * xMax)}" y="${h - m.b + 14}" text-anchor="middle" font-size="10">${fmt(f * xMax)}</text>`).join('');
  const lines = series
    .map((s, i) => {
      const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join('');
      return `<path d="${d}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1.5"/>`;
    })
    .join('');
  const legend = series.map((s, i) => `<text x="${m.l + 8 + i * 120}" y="${m.t - 10}" font-size="11" fill="${PALETTE[i % PALETTE.length]}">&#9632; ${esc(s.label)}</text>`).join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif">${grid}${xt}${lines}${legend}<text x="${(w + m.l) / 2}" y="${h - 6}" text-anchor="middle" font-size="11">${esc(opts.xLabel)}</text><text x="12" y="${h / 2}" font-size="11" transform="rotate(-90 12 ${h / 2})" text-anchor="middle">${esc(opts.yLabel)}</text></svg></figure>`;
}

export function barChart(title: string, categories: string[], groups: { label: string; values: number[] }[], opts: { yLabel: string; yMax?: number; width?: number; height?: number }): string {
  const w = opts.width ?? Math.max(480, 60 + categories.length * (24 * groups.length + 16));
  const h = opts.height ?? 260;
  const m = { l: 56, r: 16, t: 28, b: 70 };
  const yMax = opts.yMax ?? Math.max(1e-9, ...groups.flatMap((g) => g.values));
  const band = (w - m.l - m.r) / Math.max(1, categories.length);
  const bw = Math.max(2, (band - 8) / Math.max(1, groups.length));
  const y = (v: number): number => h - m.b - (v / yMax) * (h - m.t - m.b);
  const bars = categories
    .map((c, ci) => {
      const x0 = m.l + ci * band + 4;
      const rects = groups.map((g, gi) => {
        const v = g.values[ci] ?? 0;
        return `<rect x="${(x0 + gi * bw).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${(h - m.b - y(v)).toFixed(1)}" fill="${PALETTE[gi % PALETTE.length]}"><title>${esc(g.label)} ${esc(c)}: ${fmt(v)}</title></rect>`;
      });
      return `${rects.join('')}<text x="${x0 + band / 2}" y="${h - m.b + 12}" font-size="10" text-anchor="end" transform="rotate(-35 ${x0 + band / 2} ${h - m.b + 12})">${esc(c)}</text>`;
    })
    .join('');
  const axis = [0, 0.5, 1].map((f) => `<line x1="${m.l}" x2="${w - m.r}" y1="${y(f * yMax)}" y2="${y(f * yMax)}" stroke="#e5e7eb"/><text x="${m.l - 6}" y="${y(f * yMax) + 4}" text-anchor="end" font-size="10">${fmt(f * yMax)}</text>`).join('');
  const legend = groups.map((g, i) => `<text x="${m.l + 8 + i * 120}" y="${m.t - 10}" font-size="11" fill="${PALETTE[i % PALETTE.length]}">&#9632; ${esc(g.label)}</text>`).join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif">${axis}${bars}${legend}<text x="12" y="${h / 2}" font-size="11" transform="rotate(-90 12 ${h / 2})" text-anchor="middle">${esc(opts.yLabel)}</text></svg></figure>`;
}
