/**
 * Tessera's native trace: JSON Lines, one job per line (schema in README.md beside this file).
 * Validated with TypeBox; a bad line is reported as file:line with the field's path.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ChipRequest } from '../../sched/types.js';
import type { SimJob } from '../core/types.js';
import { LineIssues, lines, type TraceReadOptions } from './line-issues.js';

const ChipsSchema = Type.Union([
  Type.String({ minLength: 1, description: '"any" or one chip id' }),
  Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'acceptable chip ids' }),
  Type.Object({ stacks: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('pinned'), chip: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('any-of'), chips: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('any-stack'), stacks: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('any') }, { additionalProperties: false }),
]);

export const TraceJobSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    submitTimeSec: Type.Number({ minimum: 0 }),
    cards: Type.Integer({ minimum: 0 }),
    milliPerCard: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    gang: Type.Optional(Type.Boolean()),
    chips: Type.Optional(ChipsSchema),
    tenant: Type.Optional(Type.String({ minLength: 1 })),
    queue: Type.Optional(Type.String({ minLength: 1 })),
    priority: Type.Optional(Type.Number()),
    durationSec: Type.Optional(Type.Number({ minimum: 0 })),
    deadlineSec: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    failAfterSec: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    kind: Type.Optional(Type.String()),
    workloadClass: Type.Optional(Type.String()),
    cpuMilli: Type.Optional(Type.Number({ minimum: 0 })),
    memoryMiB: Type.Optional(Type.Number({ minimum: 0 })),
    estimatedDurationSec: Type.Optional(Type.Number({ minimum: 0 })),
    minRuntimeSec: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type TraceJob = Static<typeof TraceJobSchema>;

const check = TypeCompiler.Compile(TraceJobSchema);

export function toChipRequest(c: TraceJob['chips']): ChipRequest {
  if (c === undefined || c === 'any') return { kind: 'any' };
  if (typeof c === 'string') return { kind: 'pinned', chip: c };
  if (Array.isArray(c)) return c.length === 1 ? { kind: 'pinned', chip: c[0] as string } : { kind: 'any-of', chips: c };
  if (!('kind' in c)) return { kind: 'any-stack', stacks: c.stacks };
  return c;
}

export function toSimJob(t: TraceJob): SimJob {
  const { chips, tenant, queue, priority, milliPerCard, gang, ...rest } = t;
  return { ...rest, chips: toChipRequest(chips), tenant: tenant ?? 'default', queue: queue ?? 'default', priority: priority ?? 0, milliPerCard: milliPerCard ?? 1000, gang: gang ?? false };
}

export function parseJsonlTrace(text: string, opts: TraceReadOptions): { jobs: SimJob[]; skipped: number } {
  const issues = new LineIssues(opts);
  const jobs: SimJob[] = [];
  for (const [n, line] of lines(text)) {
    const s = line.trim();
    if (s === '' || s.startsWith('#')) continue;
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch (e) {
      issues.add(n, '', `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    if (!check.Check(value)) {
      const first = check.Errors(value).First();
      issues.add(n, first?.path ?? '', first ? first.message : 'does not match the trace schema');
      continue;
    }
    if (value.milliPerCard !== undefined && value.milliPerCard < 1000 && value.cards > 1) {
      issues.add(n, '/milliPerCard', 'a share of a card (milliPerCard < 1000) is only for 1-card jobs');
      continue;
    }
    jobs.push(toSimJob(value));
  }
  const { skipped } = issues.finish('JSONL');
  jobs.sort((a, b) => a.submitTimeSec - b.submitTimeSec);
  return { jobs, skipped };
}
