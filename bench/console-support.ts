/**
 * Shared by the end-to-end tests (test/e2e) and bench/console-load.ts: a real `tessera serve --demo` on a free port with a temp data dir, and
 * Debian's Chromium driven by playwright-core (no browser download). Console errors and failed
 * page requests are collected so a test can fail on any of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** The repository root (this file runs from bench/ as source and from dist/bench/ when built). */
function findRepo(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tessera') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root');
    dir = up;
  }
}

export const repo = findRepo();
export const artifacts = join(repo, 'test-artifacts');

export interface DemoServer {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function startDemoServer(extra: string[] = [], token = 'e2e-admin-token-0123456789'): Promise<DemoServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [join(repo, 'bin', 'tessera.js'), 'serve', '--demo', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...extra], {
    cwd: repo,
    env: { ...process.env, TESSERA_ADMIN_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`tessera serve did not start in 150 s:\n${out}`)), 150_000);
    const on = (b: Buffer): void => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`tessera serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    token,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  errors: string[];
}

/** A page whose console errors, page errors and failed requests (other than aborted streams) are recorded. */
export async function watchedPage(browser: Browser, opts: { width?: number; height?: number; locale?: string; scale?: number } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }, locale: opts.locale ?? 'en-US', deviceScaleFactor: opts.scale ?? 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    // Streams cut by navigation or page close are expected; anything else is an error.
    if (!/ERR_ABORTED|NS_BINDING_ABORTED/.test(why)) errors.push(`requestfailed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) errors.push(`http ${r.status()}: ${r.url()}`);
  });
  return { page, context, errors };
}

export async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.locator('input[name=token]').fill(token);
  await page.locator('button[type=submit]').click();
  await page.locator('nav.sidebar').waitFor();
}
