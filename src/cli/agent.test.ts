import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smiFixtureDir } from '../agent/testing/fixtures.js';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

const fixture = (name: string): string => join(smiFixtureDir(), name);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-cli-agent-'));
  const file = join(dir, 'ppu-smi');
  writeFileSync(file, `#!/bin/sh\n/bin/cat '${fixture('ppu-smi-2card-processes-doc.txt')}'\n`);
  chmodSync(file, 0o755);
  writeFileSync(join(dir, 'garbage.txt'), 'nothing to see\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tessera agent parse', () => {
  it('prints the devices of a capture as JSON', async () => {
    const io = memoryIo();
    const code = await runCli(['agent', 'parse', '--tool', 'npu-smi', fixture('npu-smi.txt'), '--json'], io);
    expect(code).toBe(0);
    const out = JSON.parse(io.out()) as { tool: string; devices: Record<string, unknown>[]; warnings: string[] };
    expect(out.tool).toBe('npu-smi');
    expect(out.devices).toHaveLength(8);
    expect(out.devices[0]).toMatchObject({ index: 0, chip: 'ascend-910b', model: '910B3', memoryTotalMiB: 65536, memoryUsedMiB: 3338, utilizationPct: 0, powerW: 102.8, temperatureC: 55, health: 'ok' });
    expect(out.warnings).toEqual([]);
  });

  it('detects the tool when --tool is omitted and prints a table', async () => {
    const io = memoryIo();
    expect(await runCli(['agent', 'parse', fixture('mthreads-gmi-S4000-faq.txt')], io)).toBe(0);
    expect(io.out()).toMatch(/1 device\(s\) from mthreads-gmi/);
    expect(io.out()).toMatch(/mthreads-s4000\s+MTT S4000\s+44302\/32768 \(used-exceeds-total\)/);
    expect(io.out()).toMatch(/warning: .*exceeds the reported total/);
  });

  it('reads several captures of one tool as one (npu-smi info plus info -m)', async () => {
    const io = memoryIo();
    expect(await runCli(['agent', 'parse', '--json', fixture('npu-smi-910A-atlas800-9010.txt'), fixture('npu-smi-info-m-910A.txt')], io)).toBe(0);
    const out = JSON.parse(io.out()) as { devices: { chip: string; model: string }[] };
    // The table masks the model ("xxx"); the mapping names it.
    expect(out.devices).toHaveLength(8);
    expect(out.devices.every((d) => d.chip === 'ascend-910a' && d.model === 'Ascend 910A')).toBe(true);
  });

  it('names the known tools for an unknown one', async () => {
    const io = memoryIo();
    expect(await runCli(['agent', 'parse', '--tool', 'foo-smi', fixture('npu-smi.txt')], io)).toBe(1);
    expect(io.err()).toMatch(/^error: Unknown tool "foo-smi"\. Known tools: nvidia-smi, ppu-smi, npu-smi, mx-smi, brsmi, mthreads-gmi, efsmi, cnmon, hy-smi, xpu-smi, ixsmi, teco-smi/);
  });

  it('says clearly when the file is missing or unrecognisable', async () => {
    const missing = memoryIo();
    expect(await runCli(['agent', 'parse', join(dir, 'nope.txt')], missing)).toBe(1);
    expect(missing.err()).toMatch(/^error: Capture file .*nope\.txt does not exist\.\n$/);
    const unknown = memoryIo();
    expect(await runCli(['agent', 'parse', join(dir, 'garbage.txt')], unknown)).toBe(1);
    expect(unknown.err()).toMatch(/Cannot tell which tool printed .*; name it with --tool/);
  });
});

describe('tessera agent probe', () => {
  it('says when no tools are found', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tessera-cli-empty-'));
    try {
      const io = memoryIo({ PATH: empty });
      expect(await runCli(['agent', 'probe', '--path-only'], io)).toBe(0);
      expect(io.out()).toMatch(/^No vendor management tools found on this machine/);
      expect(io.out()).toMatch(/--devices simulated:<chip>x<N>/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('runs a tool found on PATH', async () => {
    const io = memoryIo({ PATH: dir });
    expect(await runCli(['agent', 'probe', '--path-only', '--json'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { simulated: boolean; devices: { chip: string; source: string }[]; tools: { tool: string; status: string }[] };
    expect(out.simulated).toBe(false);
    expect(out.devices.map((d) => [d.source, d.chip])).toEqual([
      ['ppu-smi', 'thead-ppu'],
      ['ppu-smi', 'thead-ppu'],
    ]);
    // ppu-smi runs three commands; the fake prints the table each time, and the records merge by bus id.
    expect(out.tools.find((t) => t.tool === 'ppu-smi')?.status).toBe('ok');
  });

  it('builds labelled simulated devices from the catalog', async () => {
    const io = memoryIo();
    expect(await runCli(['agent', 'probe', '--devices', 'simulated:ascend-910bx2,nvidia-h20x1', '--json'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { simulated: boolean; devices: Record<string, unknown>[] };
    expect(out.simulated).toBe(true);
    expect(out.devices).toHaveLength(3);
    expect(out.devices[0]).toMatchObject({ chip: 'ascend-910b', simulated: true, model: 'simulated Huawei Ascend 910B', memoryTotalMiB: 65536 });
    const text = memoryIo();
    expect(await runCli(['agent', 'probe', '--devices', 'simulated:h20x2'], text)).toBe(0);
    expect(text.out()).toMatch(/2 simulated device\(s\)/);
  });

  it('rejects a bad --devices spec and a bad --timeout with one sentence', async () => {
    const io = memoryIo();
    expect(await runCli(['agent', 'probe', '--devices', 'simulated:nochipx2'], io)).toBe(1);
    expect(io.err()).toMatch(/^error: --devices: unknown chip "nochip"/);
    const t = memoryIo();
    expect(await runCli(['agent', 'probe', '--timeout', 'soon'], t)).toBe(1);
    expect(t.err()).toMatch(/^error: --timeout must be a number of seconds/);
  });
});
