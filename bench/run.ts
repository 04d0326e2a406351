/**
 * `npm run bench`: runs every benchmark in one process, one after another, and prints their figures.
 * Each bench module exports `run(): Promise<string[]>` and compares against a baseline measured in
 * the same run (these machines are noisy; numbers from another day mean nothing).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run?: () => Promise<string[]> | string[];
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const only = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.js') && f !== 'run.js' && !f.endsWith('.test.js') && !f.endsWith('-support.js'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  let failed = 0;
  for (const file of files) {
    const started = process.hrtime.bigint();
    process.stdout.write(`\n== ${file.replace(/\.js$/, '')} ==\n`);
    try {
      const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
      if (typeof mod.run !== 'function') {
        process.stdout.write('(no run() export; skipped)\n');
        continue;
      }
      const lines = await mod.run();
      for (const line of lines) process.stdout.write(`${line}\n`);
    } catch (e) {
      failed += 1;
      process.stdout.write(`FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    const sec = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`(${sec.toFixed(1)} s)\n`);
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

void main();
