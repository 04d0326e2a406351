import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import { emptyDevice } from './device-record.js';
import { flagMemoryBelowCatalog, mergeDevices, probe, ToolStatus } from './probe.js';
import { findAdapter } from './vendors/registry.js';
import { smiFixtureDir } from './testing/fixtures.js';

/**
 * Probing for real: small shell scripts stand in for the vendor tools (print a capture, hang,
 * fail, lack the execute bit) in a temp folder that is the only PATH the prober sees.
 */
let dir: string;
const fixture = (name: string): string => join(smiFixtureDir(), name);

function tool(name: string, body: string, mode = 0o755): void {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, mode);
}

/** Whether a process runs; a zombie (killed, not yet reaped by init) counts as dead. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-probe-'));
  // nvidia-smi answers `-q -x` with the XML and `topo -m` with a one-GPU matrix.
  tool('nvidia-smi', `if [ "$1" = "topo" ]; then printf '\tGPU0\tNIC0\tCPU Affinity\tNUMA Affinity\nGPU0\t X \tPIX\t0-31\t0\nNIC0\tPIX\t X \n\nLegend:\n'; else cat '${fixture('nvidia-smi-q-x.txt')}'; fi`);
  // npu-smi answers `info` with the table and `info -m` with the chip mapping (masked names in the
  // table); this version does not know `info -t topo`.
  tool(
    'npu-smi',
    `case "$*" in
  "info -m") cat '${fixture('npu-smi-info-m-910A.txt')}' ;;
  "info") cat '${fixture('npu-smi-910A-atlas800-9010.txt')}' ;;
  *) echo "Error: invalid parameter topo" >&2; exit 2 ;;
esac`,
  );
  // mx-smi hangs, with a child of its own that must die with it.
  tool('mx-smi', `sleep 60 &\necho $! > '${join(dir, 'mx-child.pid')}'\nwait`);
  tool('cnmon', `echo 'cnmon: cannot open /dev/cambricon_ctl: no such device' >&2\nexit 3`);
  // teco-smi is present but not executable.
  tool('teco-smi', `cat '${fixture('teco-smi.txt')}'`, 0o644);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('probe with fake vendor tools', () => {
  it('runs what exists, times out what hangs, reports what fails, and merges', async () => {
    const result = await probe({ path: dir, installDirs: false, timeoutMs: 1500, catalog: builtinCatalog() });
    const byTool = new Map(result.tools.map((t) => [t.tool, t]));

    expect(byTool.get('nvidia-smi')).toMatchObject({ status: ToolStatus.ok, path: join(dir, 'nvidia-smi'), devices: 1 });
    // The optional third command failed: the tool is partial, its devices still count.
    expect(byTool.get('npu-smi')).toMatchObject({ status: ToolStatus.partial, devices: 8 });
    expect(byTool.get('npu-smi')?.commands.map((c) => [c.args, c.exitCode])).toEqual([
      [['info'], 0],
      [['info', '-m'], 0],
      [['info', '-t', 'topo'], 2],
    ]);
    expect(result.warnings.some((w) => /npu-smi: .*info -t topo' failed \(exit code 2\): Error: invalid parameter topo/.test(w))).toBe(true);

    const mx = byTool.get('mx-smi');
    expect(mx?.status).toBe(ToolStatus.timeout);
    expect(mx?.commands[0]?.timedOut).toBe(true);
    expect(result.warnings.some((w) => /mx-smi: .* did not finish within 1.5 s and was killed/.test(w))).toBe(true);
    const childPid = Number(readFileSync(join(dir, 'mx-child.pid'), 'utf8'));
    expect(alive(childPid)).toBe(false);

    expect(byTool.get('cnmon')).toMatchObject({ status: ToolStatus.failed, devices: 0 });
    expect(byTool.get('cnmon')?.commands[0]).toMatchObject({ exitCode: 3, message: 'cnmon: cannot open /dev/cambricon_ctl: no such device' });
    expect(byTool.get('teco-smi')?.status).toBe(ToolStatus.notFound);
    expect(byTool.get('ppu-smi')?.status).toBe(ToolStatus.notFound);

    // 1 A100 + 8 Ascend chips; the table's masked names ("xxx") are resolved by `info -m`.
    expect(result.devices).toHaveLength(9);
    const npus = result.devices.filter((d) => d.source === 'npu-smi');
    expect(npus.every((d) => d.chip === 'ascend-910a' && d.model === 'Ascend 910A' && d.memoryTotalMiB === 32768)).toBe(true);
    expect(npus.map((d) => d.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(result.devices.find((d) => d.source === 'nvidia-smi')).toMatchObject({
      chip: 'nvidia-a100',
      memoryTotalMiB: 81920,
      topology: { peers: [], ports: [], cpuAffinity: '0-31', numaNode: 0 },
    });
    expect(result.searched).toEqual([dir]);
  });

  it('finds nothing on an empty PATH and says where it looked', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tessera-empty-'));
    try {
      const result = await probe({ path: empty, installDirs: false });
      expect(result.devices).toEqual([]);
      expect(result.tools.every((t) => t.status === ToolStatus.notFound)).toBe(true);
      expect(result.tools).toHaveLength(12);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('restricts to the tools asked for', async () => {
    const result = await probe({ path: dir, installDirs: false, tools: ['nvidia-smi'] });
    expect(result.tools.map((t) => t.tool)).toEqual(['nvidia-smi']);
    expect(result.devices).toHaveLength(1);
  });
});

describe('mergeDevices', () => {
  it('merges records of one device by bus id across spellings and fills gaps', () => {
    const a = { ...emptyDevice('hy-smi'), index: 0, busId: '0000:83:00.0', temperatureC: 40 };
    const b = { ...emptyDevice('rocm-smi'), index: 0, busId: '00000000:83:00.0', memoryTotalMiB: 65520, temperatureC: 41 };
    const c = { ...emptyDevice('hy-smi'), index: 1, busId: '0000:84:00.0' };
    const warnings: string[] = [];
    const merged = mergeDevices([a, b, c], warnings);
    expect(merged).toHaveLength(2);
    expect(merged[0]).toMatchObject({ temperatureC: 40, memoryTotalMiB: 65520 });
    expect(warnings).toEqual(['device 0000:83:00.0 is reported by both hy-smi and rocm-smi; merged.']);
  });

  it('keeps records without bus id, uuid or serial apart, and ignores masked serials', () => {
    const x = { ...emptyDevice('xpu-smi'), index: 0, serial: '02Kxxx' };
    const y = { ...emptyDevice('xpu-smi'), index: 1, serial: '02Kxxx' };
    expect(mergeDevices([x, y], [])).toHaveLength(2);
  });
});

describe('mergeDevices across vendors', () => {
  it('does not merge two tools that disagree on what sits at one bus id', () => {
    const a = { ...emptyDevice('nvidia-smi'), busId: '00000000:01:00.0', model: 'NVIDIA A100-SXM4-80GB', chip: 'nvidia-a100' };
    const b = { ...emptyDevice('npu-smi'), busId: '0000:01:00.0', model: '910B3', chip: 'ascend-910b' };
    expect(mergeDevices([a, b], [])).toHaveLength(2);
  });
});

describe('flagMemoryBelowCatalog', () => {
  const parse = (tool: string, file: string) => findAdapter(tool)?.parse(readFileSync(join(smiFixtureDir(), file), 'utf8')).devices ?? [];

  it('flags reported memory well below the catalog, per chip for cards listed per chip, and keeps the figure', () => {
    const warnings: string[] = [];
    const s4000 = parse('mthreads-gmi', 'mthreads-gmi-S4000-faq.txt');
    const s60 = parse('efsmi', 'efsmi.txt');
    const mlu = parse('cnmon', 'cnmon.txt');
    flagMemoryBelowCatalog([...s4000, ...s60, ...mlu], builtinCatalog(), warnings);
    // S4000: 32768 MiB reported on a 48 GiB (49152 MiB) card.
    expect(s4000[0]?.flags).toContain('memory-below-catalog');
    expect(s4000[0]?.memoryTotalMiB).toBe(32768);
    // S60: 49120 MiB is the full card; 42976 MiB (ECC on) is 87 % of 49152.
    expect(s60.map((d) => d.flags.includes('memory-below-catalog'))).toEqual([false, true]);
    // MLU370-X8: 23374 MiB per chip against 48 GiB / 2 chips = 24576 MiB: 95 %, not flagged.
    expect(mlu.some((d) => d.flags.includes('memory-below-catalog'))).toBe(false);
    expect(warnings).toHaveLength(2);
  });
});
