import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from '../conformance.js';
import { openSqliteStore } from './store.js';

storeConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-sqlite-'));
  let t = 1_800_000_000_000;
  const store = await openSqliteStore({ path: join(dir, 'tessera.db'), now: () => t });
  return {
    store,
    advance: (ms) => (t += ms),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
