import type { DeviceProcess, DeviceRecord } from '../device-record.js';
import { int, mib } from './text.js';

/**
 * Process tables. nvidia-smi and its clones (ppu-smi, xpu-smi) print one row per process:
 * device, GPU instance, compute instance, PID, type, name, memory; npu-smi prints NPU, chip,
 * PID, name, memory in bar-separated cells. Rows attach to the device with that index (npu-smi:
 * card and chip). Unparseable rows are skipped: a process list is detail, never a reason to fail.
 */
const NVIDIA_ROW = /^\|\s*(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s+([A-Z+]+)\s+(.+?)\s+(\d+(?:\.\d+)?\s*[KMG]i?B|N\/A)\s*\|\s*$/;

export function attachNvidiaProcesses(lines: readonly string[], devices: DeviceRecord[]): void {
  const start = lines.findIndex((l) => /^\|\s*Processes:/i.test(l));
  if (start < 0) return;
  for (const line of lines.slice(start + 1)) {
    const m = NVIDIA_ROW.exec(line);
    if (!m) continue;
    const dev = devices.find((d) => d.index === int(m[1]));
    const pid = int(m[4]);
    if (!dev || pid === null) continue;
    dev.processes.push(process(pid, m[6] ?? null, m[7] ?? null));
  }
}

const NPU_ROW = /^\|\s*(\d+)\s+(\d+)\s*\|\s*(\d+)\s*\|\s*(.*?)\s*\|\s*(\d+(?:\.\d+)?)\s*\|\s*$/;

export function attachNpuProcesses(lines: readonly string[], devices: DeviceRecord[]): void {
  const start = lines.findIndex((l) => /\|\s*NPU\s+Chip\s*\|\s*Process id/i.test(l));
  if (start < 0) return;
  for (const line of lines.slice(start + 1)) {
    const m = NPU_ROW.exec(line);
    if (!m) continue;
    const card = int(m[1]);
    const chip = int(m[2]);
    const dev = devices.find((d) => d.cardIndex === card && d.chipIndex === chip);
    const pid = int(m[3]);
    if (!dev || pid === null) continue;
    dev.processes.push(process(pid, m[4] ?? null, m[5] ?? null));
  }
}

function process(pid: number, name: string | null, memory: string | null): DeviceProcess {
  const n = name?.trim() ?? '';
  return { pid, name: n === '' ? null : n, memoryUsedMiB: mib(memory) };
}
