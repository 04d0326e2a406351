import { ValidationError, type ValidationIssue } from '../../lib/errors.js';
import { openbChip } from './chips.js';
import { intField, parseCsv } from './csv.js';

/** One task of an openb pod list, normalised the way the FGD simulator's CSV-to-YAML step does. */
export interface OpenbPod {
  name: string;
  cpuMilli: number;
  memoryMiB: number;
  /** GPUs requested (0 for a CPU-only task, or when gpu_milli is 0). */
  gpus: number;
  /** Milli per GPU: 1..1000 (values above 1000 become 1000), 0 for CPU-only. */
  milliPerGpu: number;
  /** Accepted models as the raw `|`-joined spec without empty parts ('' = any), and as chip ids. */
  spec: string;
  chips: string[] | null;
}

/** `gpus * milliPerGpu`: the task's GPU demand in milli. */
export const totalMilli = (p: OpenbPod): number => p.gpus * p.milliPerGpu;

/**
 * Parses an openb pod list (pure: text in). Creation and deletion times are not used by the FGD
 * experiment, so they are not required; `gpu_spec` may be absent (the multigpu variants), meaning any.
 */
export function parseOpenbPods(text: string, file = 'pods.csv'): OpenbPod[] {
  const rows = parseCsv(text, file, ['name', 'cpu_milli', 'memory_mib', 'num_gpu', 'gpu_milli']);
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  const pods = rows.map((row): OpenbPod => {
    const name = row.get('name').trim();
    if (name === '') issues.push({ file, line: row.line, path: 'name', message: 'name is empty' });
    if (seen.has(name)) issues.push({ file, line: row.line, path: 'name', recordId: name, message: `duplicate pod name ${name}` });
    seen.add(name);
    const numGpu = intField(row, 'num_gpu', file, issues, name);
    const rawMilli = intField(row, 'gpu_milli', file, issues, name);
    // pod_csv_to_yaml.py: gpu-milli = milli if 0 < milli <= 1000, 1000 if > 1000, else 0; no GPU annotation when num_gpu is 0.
    const milli = numGpu === 0 ? 0 : rawMilli > 1000 ? 1000 : rawMilli;
    const spec = numGpu === 0 ? '' : row.get('gpu_spec').split('|').map((s) => s.trim()).filter((s) => s !== '' && s.toLowerCase() !== 'nan').join('|');
    return {
      name,
      cpuMilli: intField(row, 'cpu_milli', file, issues, name),
      memoryMiB: intField(row, 'memory_mib', file, issues, name),
      gpus: milli === 0 ? 0 : numGpu,
      milliPerGpu: milli,
      spec,
      chips: spec === '' ? null : spec.split('|').map(openbChip),
    };
  });
  if (issues.length > 0) throw new ValidationError(`${file}: invalid pod list`, issues);
  return pods;
}
