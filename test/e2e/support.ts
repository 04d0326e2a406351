/** End-to-end helpers (shared with bench/console-load.ts, where they live so the bench build has them). */
export { artifacts, chromiumArgs, chromiumPath, launchBrowser, repo, signIn, startDemoServer, watchedPage, type DemoServer, type WatchedPage } from '../../bench/console-support.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, repo } from '../../bench/console-support.js';

/** Whether the end-to-end prerequisites exist; under CI their absence is a failure, not a skip. */
export function e2eAvailable(): { ok: boolean; why: string } {
  if (!existsSync(chromiumPath)) return { ok: false, why: `no Chromium at ${chromiumPath} (apt-get install chromium)` };
  if (!existsSync(join(repo, 'dist', 'src', 'cli', 'main.js'))) return { ok: false, why: 'dist/ not built (npm run build)' };
  if (!existsSync(join(repo, 'web', 'dist', 'index.html'))) return { ok: false, why: 'console not built (npm run build:web)' };
  return { ok: true, why: '' };
}
