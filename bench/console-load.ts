/**
 * Console figures, measured in Debian's Chromium against a real `tessera serve --demo --fleet
 * unicom-2025` (1,747 simulated nodes, 22,832 devices):
 * - gzipped JavaScript of the first load (bytes on the wire; target < 500 kB), against the
 *   self-contained /api/docs page as the same-run baseline;
 * - Overview interactive time (navigation start to the capacity cards and job counts rendered;
 *   target < 2 s), against the time to load /api/docs on the same server;
 * - heatmap redraw of every device (target < 100 ms): the drawing itself (`tessera:heatmap-draw`)
 *   and a whole filter change (model + React + draw, to the next frame), against a naive
 *   fillRect-per-device drawing of the same grid in the same page.
 */
import { pathToFileURL } from 'node:url';
import type { Page, Response } from 'playwright-core';
import { launchBrowser, startDemoServer } from './console-support.js';

const RUNS = 5;
const REDRAWS = 20;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor((s.length - 1) / 2)]!;
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

/** Bytes of JavaScript as transferred (compressed when the server compressed it). */
async function jsBytes(responses: Response[]): Promise<{ wire: number; raw: number; files: number }> {
  let wire = 0;
  let raw = 0;
  let files = 0;
  for (const r of responses) {
    const type = r.headers()['content-type'] ?? '';
    if (!type.includes('javascript')) continue;
    files++;
    const body = await r.body();
    raw += body.length;
    const len = Number(r.headers()['content-length']);
    wire += Number.isFinite(len) && len > 0 ? len : body.length;
  }
  return { wire, raw, files };
}

export async function run(): Promise<string[]> {
  const server = await startDemoServer(['--fleet', 'unicom-2025']);
  const browser = await launchBrowser();
  const lines: string[] = [];
  try {
    const fresh = async (): Promise<{ page: Page; responses: Response[]; close(): Promise<void> }> => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript(`localStorage.setItem('tessera.token', ${JSON.stringify(server.token)}); localStorage.setItem('tessera.lang', 'en');`);
      const page = await context.newPage();
      const responses: Response[] = [];
      page.on('response', (r) => responses.push(r));
      return { page, responses, close: () => context.close() };
    };

    // First load and Overview interactive time, each on a cold context (no cache).
    const interactive: number[] = [];
    const docs: number[] = [];
    let js = { wire: 0, raw: 0, files: 0 };
    for (let i = 0; i < RUNS; i++) {
      const a = await fresh();
      await a.page.goto(`${server.url}/#/overview`);
      await a.page.waitForFunction(`performance.getEntriesByName('tessera:overview-ready').length > 0`, undefined, { timeout: 30_000 });
      interactive.push(Number(await a.page.evaluate(`performance.getEntriesByName('tessera:overview-ready')[0].startTime`)));
      if (i === 0) js = await jsBytes(a.responses);
      await a.close();
      const b = await fresh();
      await b.page.goto(`${server.url}/api/docs`);
      await b.page.waitForFunction(`document.querySelectorAll('details.op').length > 0`, undefined, { timeout: 30_000 });
      docs.push(Number(await b.page.evaluate(`performance.now()`)));
      await b.close();
    }
    const devices = await fresh();
    const docsPage = await devices.page.goto(`${server.url}/api/docs`);
    const docsBytes = Number(docsPage?.headers()['content-length'] ?? (await docsPage?.body())?.length ?? 0);
    lines.push(`first load: ${js.files} JavaScript file(s), ${(js.wire / 1024).toFixed(1)} kB gzipped on the wire (${(js.raw / 1024).toFixed(1)} kB uncompressed); target < 500 kB: ${js.wire < 500 * 1024 ? 'met' : 'NOT met'}`);
    lines.push(`  baseline: /api/docs page ${(docsBytes / 1024).toFixed(1)} kB (self-contained HTML, no framework)`);
    lines.push(`overview interactive on unicom-2025 (22,832 devices): median ${ms(median(interactive))}, max ${ms(Math.max(...interactive))} over ${RUNS} cold loads; target < 2 s: ${median(interactive) < 2000 ? 'met' : 'NOT met'}`);
    lines.push(`  baseline: /api/docs rendered in median ${ms(median(docs))}; ratio ${(median(interactive) / median(docs)).toFixed(2)}x`);

    // Heatmap redraws: toggle the chip filter and wait for the next frame each time.
    const p = devices.page;
    await p.goto(`${server.url}/#/fleet`);
    await p.locator('canvas[data-devices]').waitFor({ timeout: 30_000 });
    const count = Number(await p.locator('canvas[data-devices]').getAttribute('data-devices'));
    const chips = await p.locator('[data-testid=filter-chip] option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    const cycle = await p.evaluate(`(async () => {
      const sel = document.querySelector('[data-testid=filter-chip]');
      const values = ${JSON.stringify(chips)};
      const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set;
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      performance.clearMeasures('tessera:heatmap-draw');
      const whole = [];
      for (let i = 0; i < ${REDRAWS}; i++) {
        const t0 = performance.now();
        setter.call(sel, values[(i + 1) % values.length]);
        sel.dispatchEvent(new Event('change', { bubbles: true }));
        await frame();
        whole.push(performance.now() - t0);
      }
      const draws = performance.getEntriesByName('tessera:heatmap-draw').map((e) => e.duration);
      // Baseline: the same grid drawn the naive way, one fillRect per device.
      const c = document.createElement('canvas');
      const canvas = document.querySelector('canvas[data-devices]');
      c.width = canvas.width; c.height = canvas.height;
      const ctx = c.getContext('2d');
      const naive = [];
      for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        const cols = 240, cell = 5;
        for (let i = 0; i < ${count}; i++) { ctx.fillStyle = 'hsl(' + (i % 360) + ',60%,50%)'; ctx.fillRect((i % cols) * cell, Math.floor(i / cols) * cell, cell, cell); }
        ctx.getImageData(0, 0, 1, 1);
        naive.push(performance.now() - t0);
      }
      return { whole, draws, naive };
    })()`);
    const r = cycle as { whole: number[]; draws: number[]; naive: number[] };
    lines.push(`heatmap redraw of ${count.toLocaleString('en')} devices: drawing median ${ms(median(r.draws))}, p95 ${ms(pct(r.draws, 0.95))}, max ${ms(Math.max(...r.draws))} over ${r.draws.length} draws; target < 100 ms: ${pct(r.draws, 0.95) < 100 ? 'met' : 'NOT met'}`);
    lines.push(`  whole filter change to the next frame (model + React + draw): median ${ms(median(r.whole))}, p95 ${ms(pct(r.whole, 0.95))}`);
    lines.push(`  baseline: one fillRect per device, median ${ms(median(r.naive))}; ImageData drawing is ${(median(r.naive) / median(r.draws)).toFixed(1)}x faster`);
    await devices.close();
  } finally {
    await browser.close();
    await server.stop();
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().then(
    (lines) => console.log(lines.join('\n')),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
