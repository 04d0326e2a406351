import { ValidationError, type ValidationIssue } from '../../lib/errors.js';
import { openbChip } from './chips.js';
import { intField, parseCsv } from './csv.js';

/** One node of an openb node list (`sn, cpu_milli, memory_mib, gpu, model`). */
export interface OpenbNode {
  name: string;
  cpuMilli: number;
  memoryMiB: number;
  gpus: number;
  /** The trace's model name (`V100M16`, `G2`, ...). */
  model: string;
  /** The Tessera chip id for the model. */
  chip: string;
}

/** Parses an openb node list (pure: text in). Every bad field is reported with file and line. */
export function parseOpenbNodes(text: string, file = 'nodes.csv'): OpenbNode[] {
  const rows = parseCsv(text, file, ['sn', 'cpu_milli', 'memory_mib', 'gpu', 'model']);
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  const nodes = rows.map((row) => {
    const name = row.get('sn').trim();
    if (name === '') issues.push({ file, line: row.line, path: 'sn', message: 'sn (node name) is empty' });
    if (seen.has(name)) issues.push({ file, line: row.line, path: 'sn', recordId: name, message: `duplicate node name ${name}` });
    seen.add(name);
    const model = row.get('model').trim();
    return { name, cpuMilli: intField(row, 'cpu_milli', file, issues, name), memoryMiB: intField(row, 'memory_mib', file, issues, name), gpus: intField(row, 'gpu', file, issues, name), model, chip: openbChip(model) };
  });
  if (issues.length > 0) throw new ValidationError(`${file}: invalid node list`, issues);
  if (nodes.length === 0) throw new ValidationError(`${file}: empty node list`, [{ file, path: '', message: 'the node list has no rows' }]);
  return nodes;
}
