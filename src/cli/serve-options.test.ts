/** `tessera serve` refuses heartbeat and lease settings that cannot work, before opening anything. */
import { describe, expect, it } from 'vitest';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

describe('tessera serve --heartbeat-sec / --node-lease-sec', () => {
  it('refuses a heartbeat that is not a positive number of seconds', async () => {
    for (const bad of ['0', '-1', 'fast', '1e9']) {
      const io = memoryIo();
      expect(await runCli(['serve', '--port', '0', '--data-dir', '/nonexistent-tessera-test', '--heartbeat-sec', bad], io)).toBe(1);
      expect(io.err()).toContain('--heartbeat-sec must be a number of seconds from 0.1 to 3600');
    }
  });

  it('refuses a lease shorter than two heartbeats, naming both options', async () => {
    const io = memoryIo();
    expect(await runCli(['serve', '--port', '0', '--data-dir', '/nonexistent-tessera-test', '--heartbeat-sec', '10', '--node-lease-sec', '15'], io)).toBe(1);
    expect(io.err()).toContain('--node-lease-sec (15) must cover at least two heartbeats (--heartbeat-sec 10)');
  });
});
