import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageLedger } from './accounting.js';
import { readUsageFile, writeUsageFile } from './usage-file.js';

describe('usage ledger', () => {
  it('sums tokens per tenant, model and chip, and prices chips per million tokens', () => {
    let now = 0;
    const ledger = new UsageLedger(() => now);
    ledger.record('acme', 'm', 'nvidia-h20', 600_000, 400_000, true);
    ledger.record('acme', 'm', 'nvidia-h20', 0, 0, false);
    now = 3_600_000; // one hour
    const r = ledger.report(new Map([['nvidia-h20', 2], ['ascend-910b', 1]]), { 'nvidia-h20': 10 });
    expect(r.rows).toEqual([{ tenant: 'acme', model: 'm', chip: 'nvidia-h20', requests: 2, errors: 1, promptTokens: 600_000, completionTokens: 400_000 }]);
    // 2 replicas x 1 h x 10 CNY/h over 1 M tokens = 20 CNY per million tokens; the 910B has no price and served nothing.
    expect(r.chips).toEqual([
      { chip: 'ascend-910b', replicas: 1, tokens: 0, priceCnyPerHour: null, cnyPerMillionTokens: null },
      { chip: 'nvidia-h20', replicas: 2, tokens: 1_000_000, priceCnyPerHour: 10, cnyPerMillionTokens: 20 },
    ]);
  });

  it('keeps totals across restarts through the usage file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-usage-'));
    const file = join(dir, 'usage.json');
    expect(readUsageFile(file)).toEqual([]);
    const first = new UsageLedger(() => 0);
    first.record('t', 'm', 'c', 10, 5, true);
    writeUsageFile(file, first.report(new Map(), {}));
    const second = new UsageLedger(() => 0);
    second.restore(readUsageFile(file));
    second.record('t', 'm', 'c', 1, 1, true);
    expect(second.report(new Map(), {}).rows[0]).toMatchObject({ requests: 2, promptTokens: 11, completionTokens: 6 });
    writeFileSync(file, 'not json');
    expect(() => readUsageFile(file)).toThrow(/not a usage document/);
  });
});
