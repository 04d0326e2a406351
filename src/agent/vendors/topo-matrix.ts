import { emptyDevice, emptyTopology, type DeviceRecord, type SoftwareVersions } from '../device-record.js';
import { finishDevice } from './columns.js';
import { int } from './text.js';

/**
 * The link matrix that `nvidia-smi topo -m`, `ppu-smi topo -m` and `npu-smi info -t topo` print:
 * a header of device columns (GPU0, PPU0, NPU0, ...) plus other columns (NIC0, CPU Affinity, NUMA
 * Affinity, GPU NUMA ID), then one row per device with the link class to each peer (NV12, ICN1,
 * HCCS, PIX, SYS, X for itself). Peers are matched by column name, so extra columns are harmless.
 */
export interface MatrixOptions {
  source: string;
  /** Device column prefix: GPU, PPU, NPU. */
  prefix: string;
  versions: SoftwareVersions;
  /** Create devices for rows when no other section listed any (a capture of `topo -m` alone). */
  createMissing: boolean;
}

export function attachTopologyMatrix(lines: readonly string[], devices: DeviceRecord[], options: MatrixOptions, warnings: string[]): void {
  const { prefix, source } = options;
  const rowRe = new RegExp(`^\\s*${prefix}(\\d+)\\s+(.*)$`, 'i');
  const deviceCol = new RegExp(`^${prefix}(\\d+)$`, 'i');
  // The header starts with device columns (GPU0 GPU1, or GPU0 then CPU Affinity on a one-GPU
  // host); a row starts with its device and then a link class (X, NV12, SYS).
  const headAt = lines.findIndex((l) => {
    const t = l.trim().split(/\s+/);
    return deviceCol.test(t[0] ?? '') && (deviceCol.test(t[1] ?? '') || /^(CPU|NIC\d*|NUMA)$/i.test(t[1] ?? ''));
  });
  if (headAt < 0) return;
  const header = (lines[headAt] ?? '')
    .trim()
    .split(/\s{2,}/)
    .flatMap((h) => (new RegExp(`^${prefix}\\d+(\\s+${prefix}\\d+)+$`, 'i').test(h) ? h.split(/\s+/) : [h]));
  const peerCols = header.map((h) => int(deviceCol.exec(h)?.[1] ?? null));
  const cpuCol = header.findIndex((h) => /cpu\s*affinity/i.test(h));
  const numaCol = header.findIndex((h) => /^numa\s*affinity/i.test(h));
  for (const line of lines.slice(headAt + 1)) {
    const m = rowRe.exec(line);
    if (!m) {
      if (line.trim() === '' || /^\s*(\.\.\.|legend)/i.test(line)) break;
      continue;
    }
    const index = int(m[1]);
    const cells = (m[2] ?? '').trim().split(/\s+/);
    let dev = devices.find((d) => d.index === index);
    if (!dev && options.createMissing && index !== null) {
      dev = emptyDevice(source);
      dev.index = index;
      dev.versions = { ...options.versions };
      devices.push(finishDevice(dev, warnings));
    }
    if (!dev) {
      warnings.push(`${source}: the topology matrix lists ${prefix}${index ?? '?'}, which the device list does not show; ignored.`);
      continue;
    }
    const topo = (dev.topology ??= emptyTopology());
    topo.peers = [];
    peerCols.forEach((peer, i) => {
      // Column i of the header is cell i of the row (the row label is not a column).
      const link = cells[i];
      if (peer === null || link === undefined || peer === index || /^x$/i.test(link)) return;
      topo.peers.push({ peerIndex: peer, link });
    });
    if (cpuCol >= 0) topo.cpuAffinity = cells[cpuCol] === undefined || /^n\/a$/i.test(cells[cpuCol] ?? '') ? null : (cells[cpuCol] ?? null);
    if (numaCol >= 0) topo.numaNode = int(cells[numaCol] ?? null);
  }
}
