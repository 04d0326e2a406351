import { afterAll, describe, it } from 'vitest';
import { freshDatabase, pgAvailability, stopSharedPostgres } from '../../../test/pg/pg-harness.js';
import { storeConformance } from '../conformance.js';
import { openPostgresStore } from './store.js';

const { skipReason } = pgAvailability();

if (skipReason) {
  describe('store conformance: postgres', () => {
    it.skip(`skipped: ${skipReason}`, () => undefined);
  });
} else {
  afterAll(stopSharedPostgres);
  storeConformance('postgres', async () => {
    let t = 1_800_000_000_000;
    const store = await openPostgresStore({ url: await freshDatabase(), now: () => t });
    return { store, advance: (ms) => (t += ms), cleanup: () => store.close() };
  });
}
