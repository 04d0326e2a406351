/** `tessera jobs logs` on a multi-node job: all ranks interleaved and prefixed, or one rank with --rank. */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlane, type TestPlane } from '../server/test-support.js';
import { parseJobSpec } from '../workload/index.js';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

describe('tessera jobs logs --rank', () => {
  let p: TestPlane;
  let env: Record<string, string>;
  let gangId: string;
  let singleId: string;
  beforeAll(async () => {
    p = await testPlane();
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    env = { TESSERA_SERVER: `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`, TESSERA_TOKEN: p.tokens.admin };
    const sys = { id: 'test', role: 'system' as const };
    const submit = async () => (await p.store.submitJob(parseJobSpec({ name: 'x', kind: 'training', command: ['true'], resources: { count: 1 } }), { actor: sys })).job.id;
    gangId = await submit();
    singleId = await submit();
    // Rank 1's first chunk ends mid-line; its next chunk finishes the line after a rank-0 line came in.
    await p.store.appendLogs(gangId, 1, [{ seq: 1, stream: 'stdout', text: 'r0 hello\n' }], { nodeRank: 0, nodeId: 'a' });
    await p.store.appendLogs(gangId, 1, [{ seq: 1, stream: 'stdout', text: 'r1 part' }], { nodeRank: 1, nodeId: 'b' });
    await p.store.appendLogs(gangId, 1, [{ seq: 2, stream: 'stdout', text: 'r0 second\n' }], { nodeRank: 0, nodeId: 'a' });
    await p.store.appendLogs(gangId, 1, [{ seq: 2, stream: 'stdout', text: 'ial\nr1 next\n' }], { nodeRank: 1, nodeId: 'b' });
    await p.store.appendLogs(singleId, 1, [{ seq: 1, stream: 'stdout', text: 'only\n' }]);
  });
  afterAll(async () => p.close());

  const run = async (argv: string[]) => {
    const io = memoryIo(env);
    const code = await runCli(argv, io);
    return { code, out: io.out(), err: io.err() };
  };

  it('interleaves all ranks with a prefix at the start of each line', async () => {
    const r = await run(['jobs', 'logs', gangId]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('[rank 0] r0 hello\n[rank 1] r1 part[rank 0] r0 second\nial\n[rank 1] r1 next\n');
  });

  it('prints one rank alone, unprefixed', async () => {
    expect((await run(['jobs', 'logs', gangId, '--rank', '1'])).out).toBe('r1 partial\nr1 next\n');
    expect((await run(['jobs', 'logs', gangId, '--rank', '0'])).out).toBe('r0 hello\nr0 second\n');
  });

  it('leaves a single-node job unprefixed and refuses a bad rank', async () => {
    expect((await run(['jobs', 'logs', singleId])).out).toBe('only\n');
    const bad = await run(['jobs', 'logs', gangId, '--rank', '-1']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--rank must be a node rank');
  });
});
