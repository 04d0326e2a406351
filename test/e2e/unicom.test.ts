/**
 * The console on the seed operator's fleet: `tessera serve --demo --fleet unicom-2025` (1,747
 * simulated nodes, 22,832 devices). The Overview shows the declared-versus-computed discrepancy
 * (3479 P stated, 3579 P in the contracts); the Fleet heatmap draws every device.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, e2eAvailable, launchBrowser, signIn, startDemoServer, watchedPage, type DemoServer, type WatchedPage } from './support.js';

const available = e2eAvailable();
if (!available.ok && process.env.CI === 'true') throw new Error(`end-to-end tests cannot run under CI: ${available.why}`);

describe.skipIf(!available.ok)('console on unicom-2025', () => {
  let server: DemoServer;
  let browser: Browser;
  let w: WatchedPage;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startDemoServer(['--fleet', 'unicom-2025']);
    browser = await launchBrowser();
    w = await watchedPage(browser, { width: 1440, height: 900 });
    await signIn(w.page, server.url, server.token);
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the declared total beside the sum of the contracts and the computed figure', async () => {
    const p = w.page;
    const declared = p.locator('[data-testid=declared]');
    await declared.waitFor({ timeout: 30_000 });
    const text = await declared.innerText();
    expect(text).toContain('3,479 P');
    expect(text).toContain('3,579 P');
    expect(text).toMatch(/differ by 100 PFLOPS/);
    expect((await p.locator('[data-testid=stat-cards] .stat-value').innerText()).replace(/\D/g, '')).toBe('22832');
    await p.screenshot({ path: join(artifacts, 'console-unicom-overview.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it('draws all 22,832 devices and filters them by vendor', async () => {
    const p = w.page;
    await p.goto(`${server.url}/#/fleet`);
    const canvas = p.locator('canvas[data-devices]');
    await canvas.waitFor({ timeout: 30_000 });
    expect(await canvas.getAttribute('data-devices')).toBe('22832');
    await p.locator('[data-testid=filter-vendor]').selectOption('metax');
    await p.locator('[data-testid=nodes] tbody tr').first().waitFor();
    expect(await p.locator('[data-testid=nodes] tbody tr td:nth-child(3)').allInnerTexts()).toSatisfy((chips: string[]) => chips.length > 0 && chips.every((c) => c.startsWith('metax')));
    await p.screenshot({ path: join(artifacts, 'console-unicom-fleet.png'), fullPage: false });
    expect(w.errors).toEqual([]);
  });
});
