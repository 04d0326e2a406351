/**
 * The console end to end: a real `tessera serve --demo` (temp data dir, free port) and Debian's
 * Chromium through playwright-core. Opens every page, submits a job through the form, watches it
 * change state without a reload, cancels it after confirming, switches language (remembered across
 * a reload), drives the navigation by keyboard, runs a simulation, and fails on any console error,
 * page error, failed request or 5xx. Screenshots of each page go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, e2eAvailable, launchBrowser, signIn, startDemoServer, watchedPage, type DemoServer, type WatchedPage } from './support.js';

const available = e2eAvailable();
if (!available.ok && process.env.CI === 'true') throw new Error(`end-to-end tests cannot run under CI: ${available.why}`);
if (!available.ok) console.warn(`skipping console end-to-end tests: ${available.why}`);

const shot = async (page: Page, name: string): Promise<void> => {
  await page.screenshot({ path: join(artifacts, `console-${name}.png`), fullPage: true });
};

describe.skipIf(!available.ok)('console end to end (Chromium against tessera serve --demo)', () => {
  let server: DemoServer;
  let browser: Browser;
  let w: WatchedPage;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startDemoServer();
    browser = await launchBrowser();
    w = await watchedPage(browser);
    await signIn(w.page, server.url, server.token);
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const open = async (hash: string, ready: string): Promise<Page> => {
    await w.page.goto(`${server.url}/#/${hash}`);
    await w.page.locator(ready).first().waitFor({ timeout: 20_000 });
    return w.page;
  };

  it('opens every page with its data', async () => {
    let p = await open('overview', '[data-testid=stat-cards] .stat-value');
    await p.locator('[data-testid=h20eq] tbody tr').first().waitFor();
    expect(Number((await p.locator('[data-testid=stat-cards] .stat-value').innerText()).replace(/\D/g, ''))).toBeGreaterThan(0);
    await p.locator('[data-testid=events] li').first().waitFor({ timeout: 20_000 });
    await shot(p, 'overview');

    p = await open('fleet', 'canvas[data-devices]');
    expect(Number(await p.locator('canvas[data-devices]').getAttribute('data-devices'))).toBeGreaterThan(100);
    await shot(p, 'fleet');
    await p.locator('[data-testid=filter-chip]').selectOption({ index: 1 });
    const rows = await p.locator('[data-testid=nodes] tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    await p.locator('[data-testid=nodes] tbody tr a').first().click();
    await p.locator('[data-page=node] table').first().waitFor();
    await shot(p, 'node');

    p = await open('jobs', '[data-testid=jobs] tbody tr');
    await shot(p, 'jobs');
    await p.locator('[data-testid=jobs] tbody tr a').first().click();
    await p.locator('[data-testid=timeline]').waitFor();
    await p.locator('[data-testid=explain]').waitFor();
    await shot(p, 'job');

    p = await open('services', '[data-testid=services] tbody tr');
    await shot(p, 'services');
    // Scale the first service up by one, then back down (which asks first: it cancels a replica).
    const row = p.locator('[data-testid=services] tbody tr').first();
    const input = row.locator('.scale input');
    const before = Number(await input.inputValue());
    await input.fill(String(before + 1));
    await row.locator('.scale button').click();
    await row.getByText(new RegExp(`of ${before + 1} ready`)).waitFor({ timeout: 20_000 });
    await input.fill(String(before));
    await row.locator('.scale button').click();
    await p.locator('[role=alertdialog] button.danger').click();
    await row.getByText(new RegExp(`of ${before} ready`)).waitFor({ timeout: 20_000 });
    p = await open('tenants', '[data-testid=tenants] tbody tr');
    await shot(p, 'tenants');
    p = await open('catalog', '[data-testid=comparison] tbody tr');
    await p.locator('[data-testid=chips] tbody tr').first().waitFor();
    expect(await p.locator('[data-testid=comparison] thead th').count()).toBe(6);
    await shot(p, 'catalog');

    p = await open('simulator', '[data-testid=sim-form]');
    await p.locator('[data-testid=sim-run]').click();
    await p.locator('[data-testid=sim-table] tbody tr').nth(1).waitFor({ timeout: 60_000 });
    await shot(p, 'simulator');
    expect(w.errors).toEqual([]);
  });

  it('submits a job, watches it change state live, and cancels it after confirming', async () => {
    const p = await open('jobs/new', '[data-testid=submit-form]');
    await p.locator('[data-testid=estimates] tbody tr').first().waitFor();
    await p.locator('input[name=name]').fill('e2e-train');
    await p.locator('select[name=kind]').selectOption('training');
    await shot(p, 'submit');
    await p.locator('[data-testid=submit-job]').click();
    await p.locator('[data-page=job] h1').waitFor({ timeout: 20_000 });
    const url = p.url();
    expect(url).toMatch(/#\/jobs\/job-/);
    expect(await p.locator('[data-page=job] h1').innerText()).toContain('e2e-train');
    // No reload from here on: the state changes arrive over the event stream.
    await p.locator('h1 .badge[data-state=Running]').waitFor({ timeout: 60_000 });
    expect(p.url()).toBe(url);
    await p.locator('[data-testid=logs]').waitFor({ timeout: 20_000 });
    await p.locator('[data-testid=cancel-job]').click();
    const dialog = p.locator('[role=alertdialog]');
    await dialog.waitFor();
    await shot(p, 'cancel-confirm');
    await dialog.locator('button.danger').click();
    await p.locator('h1 .badge[data-state=Cancelled]').waitFor({ timeout: 20_000 });
    expect(await p.locator('[data-testid=cancel-job]').count()).toBe(0);
    expect(w.errors).toEqual([]);
  });

  it('switches language for strings, numbers and dates, and remembers it', async () => {
    const p = await open('overview', '[data-testid=stat-cards] .stat-value');
    await p.locator('[data-testid=lang]').selectOption('zh-CN');
    await p.getByRole('heading', { name: '总览' }).waitFor();
    expect(await p.locator('nav.sidebar').innerText()).toContain('集群资源');
    await p.reload();
    await p.getByRole('heading', { name: '总览' }).waitFor({ timeout: 20_000 });
    await p.locator('[data-testid=stat-cards] .stat-value').waitFor();
    await shot(p, 'overview-zh');
    await open('jobs', '[data-testid=jobs] tbody tr');
    expect(await p.locator('[data-testid=jobs] tbody tr td').nth(6).innerText()).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    await shot(p, 'jobs-zh');
    await p.locator('[data-testid=lang]').selectOption('en');
    await p.getByRole('heading', { name: 'Jobs' }).waitFor();
    expect(w.errors).toEqual([]);
  });

  it('is keyboard navigable', async () => {
    const p = await open('overview', '[data-testid=stat-cards] .stat-value');
    await p.keyboard.press('Tab');
    expect(await p.evaluate('document.activeElement?.className')).toBe('skip');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Tab');
    expect(await p.evaluate('document.activeElement?.textContent')).toBe('Fleet');
    await p.keyboard.press('Enter');
    await p.locator('canvas[data-devices]').waitFor();
    expect(p.url()).toMatch(/#\/fleet$/);
    // The heatmap takes focus; arrows move between nodes, Enter opens one.
    await p.locator('canvas[data-devices]').focus();
    const first = await p.locator('[data-testid=heatmap-focus]').innerText();
    await p.keyboard.press('ArrowRight');
    const second = await p.locator('[data-testid=heatmap-focus]').innerText();
    expect(second).not.toBe(first);
    await p.keyboard.press('Enter');
    await p.locator('[data-page=node] h1').waitFor();
    expect(await p.locator('[data-page=node] h1').innerText()).toContain(second.split(' · ')[0]!);
    expect(w.errors).toEqual([]);
  });

  it('lays out at 1280 px and on a 4K screen without horizontal page scroll', async () => {
    for (const [width, height, scale, name] of [
      [1280, 800, 1, 'overview-1280'],
      [3840, 2160, 1, 'overview-4k'],
    ] as const) {
      const v = await watchedPage(browser, { width, height, scale });
      await signIn(v.page, server.url, server.token);
      await v.page.locator('[data-testid=stat-cards] .stat-value').waitFor({ timeout: 20_000 });
      await v.page.locator('[data-testid=h20eq]').waitFor();
      const overflow = Number(await v.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
      expect(overflow, name).toBeLessThanOrEqual(0);
      await v.page.screenshot({ path: join(artifacts, `console-${name}.png`) });
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  });
});
