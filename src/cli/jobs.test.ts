/** The CLI over the API: jobs, nodes, tenants and tokens commands against a real control plane on loopback. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlane, type TestPlane } from '../server/test-support.js';
import { memoryIo } from './io.js';
import { runCli } from './main.js';
import { parseQuota } from './tenants.js';

describe('tessera jobs / nodes / tenants / tokens', () => {
  let p: TestPlane;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    p = await testPlane();
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    env = { TESSERA_SERVER: `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`, TESSERA_TOKEN: p.tokens.admin };
    dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
    writeFileSync(join(dir, 'job.yaml'), 'name: train-demo\nkind: training\ncommand: [torchrun, train.py]\nresources:\n  count: 2\n  chips: { kind: any-of, chips: [h20, 910b] }\n');
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nkind: training\ncommand: []\nresources: { count: 0 }\n');
  });
  afterAll(async () => {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (argv: string[], extraEnv: Record<string, string> = {}) => {
    const io = memoryIo({ ...env, ...extraEnv }, dir);
    const code = await runCli(argv, io);
    return { code, out: io.out(), err: io.err() };
  };

  it('submits from YAML, lists, gets, explains and cancels', async () => {
    const sub = await run(['jobs', 'submit', 'job.yaml', '--json', '--idempotency-key', 'k1']);
    expect(sub.code).toBe(0);
    const job = JSON.parse(sub.out) as { id: string; spec: { resources: { chips: { chips: string[] } } } };
    expect(job.spec.resources.chips.chips).toEqual(['nvidia-h20', 'ascend-910b']);
    expect((await run(['jobs', 'submit', 'job.yaml', '--idempotency-key', 'k1'])).out).toBe(`already submitted ${job.id} (Pending)\n`);
    const list = await run(['jobs', 'list']);
    expect(list.out).toContain(job.id);
    expect(list.out).toContain('1 of 1 jobs');
    expect((await run(['jobs', 'get', job.id])).out).toMatch(/state\s+Pending/);
    expect((await run(['jobs', 'explain', job.id])).out).toContain('waiting for admission');
    expect((await run(['jobs', 'cancel', job.id, '--reason', 'test'])).out).toBe(`${job.id} Cancelled\n`);
    expect((await run(['jobs', 'logs', job.id])).code).toBe(0);
  });

  it('reports bad input and server refusals as one sentence with exit 1', async () => {
    const bad = await run(['jobs', 'submit', 'bad.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: /);
    expect(bad.err).toContain('/resources/count');
    expect((await run(['jobs', 'get', 'job-nope'])).err).toBe('error: job job-nope not found (HTTP 404)\n');
    expect((await run(['jobs', 'list'], { TESSERA_TOKEN: 'tsk_wrong' })).err).toContain('HTTP 401');
    const down = await run(['jobs', 'list', '--server', 'http://127.0.0.1:1']);
    expect(down.err).toContain('cannot reach the control plane');
  });

  it('manages tenants and tokens, lists nodes', async () => {
    expect((await run(['tenants', 'create', 'acme', '--quota', '*=8,h20=4'])).out).toBe('created tenant acme (quota *=8,nvidia-h20=4)\n');
    expect((await run(['tenants', 'list'])).out).toContain('acme');
    const tok = await run(['tokens', 'create', '--name', 'acme-ci', '--role', 'member', '--tenant', 'acme', '--json']);
    const secret = (JSON.parse(tok.out) as { secret: string }).secret;
    // The member sees only acme's jobs.
    expect((await run(['jobs', 'list', '--json'], { TESSERA_TOKEN: secret })).out).toContain('"total": 0');
    expect((await run(['tokens', 'list'], { TESSERA_TOKEN: secret })).code).toBe(1);
    await p.store.registerNode({ id: 'sim-1', cluster: 'c1', chip: 'nvidia-h20', devices: [{ index: 0 }], simulated: true }, { id: 'x', role: 'system' });
    const nodes = await run(['nodes', 'list']);
    expect(nodes.out).toMatch(/sim-1\s+c1\s+nvidia-h20\s+1\s+Ready.*simulated/);
    expect(() => parseQuota('h20')).toThrow("'h20' is not chip=cards");
  });
});
