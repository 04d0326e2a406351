import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findGoRandSource } from '../../../test/support/go-source.js';
import { parseOpenbPods } from '../openb/pods.js';
import { experimentRng } from './experiment-rng.js';
import { GoRand, parseGoCookedTable } from './go-rand.js';
import { tuneWorkload } from './workload.js';

const synthetic = `var rngCooked [607]int64 = [...]int64{\n${Array.from({ length: 607 }, (_, i) => (i % 2 ? -i : i * 1000003)).join(', ')},\n}`;

describe('Go math/rand port', () => {
  it('parses a cooked table (negative entries keep their low 63 bits) and refuses a wrong one', () => {
    const t = parseGoCookedTable(synthetic);
    expect(t).toHaveLength(607);
    expect(t[1]).toBe((1n << 63n) - 1n); // -1 as int64 -> all 63 low bits set
    expect(() => parseGoCookedTable('package rand')).toThrow(/no rngCooked table/);
    expect(() => parseGoCookedTable('rngCooked [607]int64 = [...]int64{1, 2}')).toThrow(/has 2 entries/);
  });

  it('draws within range, and Perm is a permutation', () => {
    const r = new GoRand(parseGoCookedTable(synthetic), 42);
    for (const n of [1, 2, 3, 7, 1000, 2 ** 20 + 1]) for (let i = 0; i < 50; i++) expect(r.intn(n)).toBeLessThan(n);
    expect([...r.perm(50)].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  // With Go's own table (any Go release's src/math/rand/rng.go), the port replays the published runs:
  // fgd-method.md §4.6 gives the first arrivals of seed 42 on the default trace and its 10866 pods.
  // Go's table is found on this machine (CI installs Debian's golang-1.19-src); under CI=true a
  // missing table fails instead of skipping.
  const goSource = findGoRandSource();
  if (!goSource && process.env.CI === 'true') {
    it('finds Go\'s rng.go (CI installs golang-1.19-src)', () => {
      expect.fail('Go source not found: install golang-1.19-src or set TESSERA_GO_SOURCE');
    });
  }
  const shared = process.env.TESSERA_SHARED_DIR ?? new URL('../../../../shared', import.meta.url).pathname;
  it.skipIf(!goSource)('replays the published seed-42 arrival order (skipped only outside CI when no Go source is installed)', () => {
    const cooked = parseGoCookedTable(readFileSync(goSource as string, 'utf8'));
    const pods = parseOpenbPods(readFileSync(join(shared, 'data/openb/openb_pod_list_default.csv'), 'utf8'));
    const rng = experimentRng(42, cooked);
    rng.discard(1);
    const w = tuneWorkload(pods, 6212000, 1.3, rng);
    expect(w.pods.slice(0, 5).map((p) => p.name)).toEqual(['openb-pod-0255', 'openb-pod-1685', 'openb-pod-6784', 'openb-pod-4463', 'openb-pod-0602']);
    expect(w.pods).toHaveLength(10866);
  });
});
