import { describe, expect, it } from 'vitest';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

const run = async (argv: string[], env: Record<string, string> = { PATH: process.env.PATH ?? '' }) => {
  const io = memoryIo(env);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
};

describe('tessera agent (run loop options)', () => {
  it('explains what it needs when started without a server', async () => {
    const r = await run(['agent']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/needs --server <url> and --token <token>; for device discovery use `tessera agent probe`/);
  });

  it('checks the server URL, the token, the runtime and numeric options with one clear sentence', async () => {
    expect((await run(['agent', '--server', 'not a url', '--token', 't'])).err).toMatch(/--server must be a URL/);
    expect((await run(['agent', '--server', 'ftp://x', '--token', 't'])).err).toMatch(/http:\/\/ or https:\/\//);
    expect((await run(['agent', '--server', 'http://127.0.0.1:1'])).err).toMatch(/--token <token> \(or --token-file, or TESSERA_AGENT_TOKEN\) is required/);
    expect((await run(['agent', '--server', 'http://127.0.0.1:1', '--token-file', '/nonexistent/token'])).err).toMatch(/--token-file \/nonexistent\/token cannot be read: ENOENT/);
    expect((await run(['agent', 'run', '--server', 'http://127.0.0.1:1', '--token', 't', '--runtime', 'podman'])).err).toMatch(/--runtime must be one of process, docker, containerd/);
    expect((await run(['agent', '--server', 'http://127.0.0.1:1', '--token', 't', '--grace-sec', '-1'])).err).toMatch(/--grace-sec must be a number/);
    expect((await run(['agent', '--server', 'http://127.0.0.1:1', '--token', 't', '--log-buffer-mib', 'lots'])).err).toMatch(/--log-buffer-mib must be a number from 0.0625 to 4096/);
    expect((await run(['agent', '--server', 'http://127.0.0.1:1', '--token', 't', '--node-id', '-bad id'])).err).toMatch(/--node-id '-bad id' is not a valid node id/);
    expect((await run(['agent', '--server', 'http://127.0.0.1:1', '--token', 't', '--label', 'novalue'])).err).toMatch(/--label must look like key=value/);
  });

  it('says clearly when the container engine is absent', async () => {
    const r = await run(['agent', '--server', 'http://127.0.0.1:1', '--token', 't', '--runtime', 'docker', '--devices', 'simulated:ascend-910bx2'], { PATH: '/nonexistent' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--runtime docker needs docker, which is not on PATH/);
    const c = await run(['agent', 'run', '--server', 'http://127.0.0.1:1', '--token', 't', '--runtime', 'containerd'], { PATH: '/nonexistent' });
    expect(c.err).toMatch(/needs nerdctl/);
  });

  it('leaves `agent probe --devices` to the probe command', async () => {
    const r = await run(['agent', 'probe', '--devices', 'simulated:ascend-910bx2', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { devices: unknown[] }).devices).toHaveLength(2);
  });
});
