/**
 * Build step: builds the control plane's routes (on a throwaway SQLite store), asks it for its
 * OpenAPI document, and writes the console's client types to web/src/api/types.ts.
 * Run by `npm run build:web` as `node dist/src/server/console/write-api-types.js [out]`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinCatalog } from '../../catalog/index.js';
import { openStore } from '../../store/index.js';
import { buildServer } from '../app.js';
import { openApiToTs } from './openapi-to-ts.js';
import { repoRoot } from './static-files.js';

async function main(): Promise<void> {
  const root = repoRoot();
  if (!root) throw new Error('cannot find the repository root');
  const out = process.argv[2] ?? join(root, 'web', 'src', 'api', 'types.ts');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-openapi-'));
  const store = await openStore({ dataDir: dir });
  try {
    const server = await buildServer({ store, catalog: builtinCatalog() });
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    if (res.statusCode !== 200) throw new Error(`openapi.json answered ${res.statusCode}`);
    writeFileSync(out, openApiToTs(res.json(), 'src/server/console/write-api-types.ts'));
    await server.app.close();
    process.stdout.write(`wrote ${out}\n`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
