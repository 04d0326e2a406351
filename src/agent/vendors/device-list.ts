import { emptyDevice, type DeviceRecord, type SoftwareVersions } from '../device-record.js';
import { int } from './text.js';

/**
 * The `-L` list of nvidia-smi and ppu-smi: "GPU 0: NVIDIA H200 (UUID: GPU-...)" or
 * "PPU 0: PPU (UUID: GPU-...)", with indented MIG lines ("MIG 3g.40gb Device 0: (UUID: MIG-...)",
 * ppu-smi: "MIG g1.c1.i1, Device 0 (UUID: MIG-...)"). ppu-smi's `icn -s` prints the same device
 * line followed by "Link N:" lines; such blocks are not list entries.
 */
export const LINK_LINE = /^\s*Link\s+(\d+):\s*(.+?)\s*$/i;
const MIG_LINE = /^\s*MIG\s+([^\s,]+)\s*,?\s*Device\s+(\d+):?\s*\(UUID:\s*([^)\s]+)\s*\)/i;

export function listLine(prefix: string): RegExp {
  return new RegExp(`^\\s*${prefix}\\s+(\\d+):\\s*(.*?)\\s*\\(UUID:\\s*([^)\\s]+)\\s*\\)`, 'i');
}

/** A device line heads an `icn -s` block when Link lines follow it. */
export function headsLinkBlock(lines: readonly string[], at: number): boolean {
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (l.trim() === '') continue;
    return LINK_LINE.test(l);
  }
  return false;
}

/** With `includeLinkBlocks`, the heads of `icn -s` blocks count as entries too (a capture of `icn -s` alone). */
export function parseDeviceList(lines: readonly string[], prefix: string, source: string, versions: SoftwareVersions, includeLinkBlocks = false): DeviceRecord[] {
  const re = listLine(prefix);
  const out: DeviceRecord[] = [];
  let parent: DeviceRecord | null = null;
  lines.forEach((line, i) => {
    const m = re.exec(line);
    if (m) {
      parent = null;
      if (!includeLinkBlocks && headsLinkBlock(lines, i)) return;
      const dev = emptyDevice(source);
      dev.index = int(m[1]);
      dev.model = (m[2] ?? '').trim() || null;
      dev.uuid = m[3] ?? null;
      dev.versions = { ...versions };
      out.push(dev);
      parent = dev;
      return;
    }
    const mig = MIG_LINE.exec(line);
    if (mig && parent !== null) {
      (parent as DeviceRecord).partitions.push({ index: int(mig[2]), uuid: mig[3] ?? null, profile: mig[1] ?? null, gpuInstanceId: null, computeInstanceId: null, memoryTotalMiB: null, memoryUsedMiB: null });
    }
  });
  return out;
}

/** Gives listed UUIDs and MIG instances to the table's devices of the same index. */
export function mergeList(devices: DeviceRecord[], listed: readonly DeviceRecord[]): void {
  for (const l of listed) {
    const d = devices.find((x) => x.index === l.index);
    if (!d) continue;
    if (d.uuid === null) d.uuid = l.uuid;
    if (d.partitions.length === 0) d.partitions = l.partitions;
    else for (const p of d.partitions) p.uuid ??= l.partitions.find((q) => q.index === p.index)?.uuid ?? null;
  }
}
