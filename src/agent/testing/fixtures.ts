import { seededRng as libSeededRng } from '../../lib/rng.js';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test helpers for the shared SMI captures (../shared/fixtures/smi). The shared folder is found
 * through TESSERA_SHARED_DIR, else beside the repository root.
 */
export function sharedDir(): string {
  const fromEnv = process.env.TESSERA_SHARED_DIR;
  if (fromEnv) return fromEnv;
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  return resolve(repoRoot, '../shared');
}

export function smiFixtureDir(): string {
  return join(sharedDir(), 'fixtures', 'smi');
}

export function smiFixtures(): string[] {
  const dir = smiFixtureDir();
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txt')).sort() : [];
}

export function readFixture(name: string): string {
  return readFileSync(join(smiFixtureDir(), name), 'utf8');
}

/** The tool whose output a capture holds, from its file name. */
export function toolOfFixture(name: string): string {
  const known = ['nvidia-smi', 'ppu-smi', 'npu-smi', 'mx-smi', 'brsmi', 'mthreads-gmi', 'efsmi', 'cnmon', 'hy-smi', 'xpu-smi', 'ixsmi', 'teco-smi'];
  const tool = known.find((t) => name === `${t}.txt` || name.startsWith(`${t}-`));
  if (!tool) throw new Error(`no tool known for fixture ${name}`);
  return tool;
}

/** Seeded: the same seed gives the same mutations on every run. */
export function seededRng(seed: number): () => number {
  return libSeededRng(seed).next;
}
