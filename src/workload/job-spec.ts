/**
 * What a user asks for when submitting a training, fine-tuning, batch or inference job. The TypeBox
 * schema is the single definition: the API validates at the edge with it, the OpenAPI document is
 * generated from it, and `normalizeJobSpec` fills the defaults so the rest of the system sees a
 * complete `JobSpec`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValidationError, type ValidationIssue } from '../lib/errors.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry.js';

export const JobKind = {
  training: 'training',
  finetune: 'finetune',
  batch: 'batch',
  inference: 'inference',
} as const;
export type JobKind = (typeof JobKind)[keyof typeof JobKind];

/** Software stacks a job may name an image for (the catalog's `software.stack` values). */
export const jobStacks = ['cuda', 'sail', 'cann', 'supa', 'maca', 'musa', 'topsrider', 'neuware', 'dtk', 'xpu', 'corex', 'sdaa', 'taize'] as const;

const idPattern = '^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?$';
export const NameSchema = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$', description: 'Human-readable name' });
export const IdentSchema = Type.String({ minLength: 1, maxLength: 64, pattern: idPattern, description: 'Lower-case identifier (a-z, 0-9, . _ -)' });

export const ChipRequestSchema = Type.Union(
  [
    Type.Object({ kind: Type.Literal('pinned'), chip: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('any-of'), chips: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 64 }) }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('any-stack'), stacks: Type.Array(Type.Union(jobStacks.map((s) => Type.Literal(s))), { minItems: 1, maxItems: 16 }) }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('any') }, { additionalProperties: false }),
  ],
  { description: 'Which chips may run the job: one pinned chip, a list of acceptable chips, any chip of the listed software stacks, or any chip' },
);
export type ChipRequest = Static<typeof ChipRequestSchema>;

export const ResourcesSchema = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 4096, description: 'Cards in total (1 for a fractional job)' }),
    milliPerCard: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Share of one card in thousandths; 1000 = a whole card' })),
    gang: Type.Optional(Type.Boolean({ description: 'All cards at once or none; default true when count > 1' })),
    chips: Type.Optional(ChipRequestSchema),
    cpuMilli: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    memoryMiB: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
  },
  { additionalProperties: false },
);

export const RetryPolicySchema = Type.Object(
  {
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    backoff: Type.Optional(
      Type.Object(
        {
          initialSec: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
          factor: Type.Optional(Type.Number({ minimum: 1, maximum: 10 })),
          maxSec: Type.Optional(Type.Number({ minimum: 0, maximum: 604_800 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ModelDescriptionSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 128 })),
    paramsB: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000, description: 'Parameters, in billions' })),
    precision: Type.Optional(Type.Union(['fp32', 'tf32', 'bf16', 'fp16', 'fp8', 'int8'].map((p) => Type.Literal(p)))),
    contextTokens: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  },
  { additionalProperties: false, description: 'Optional description of the model, so Tessera can choose a chip' },
);

const EnvSchema = Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' }), Type.String({ maxLength: 8192 }), { maxProperties: 256 });

export const JobSpecSchema = Type.Object(
  {
    name: NameSchema,
    kind: Type.Union(Object.values(JobKind).map((k) => Type.Literal(k))),
    command: Type.Array(Type.String({ maxLength: 8192 }), { minItems: 1, maxItems: 1024 }),
    env: Type.Optional(EnvSchema),
    image: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Image used for every stack without its own entry in images' })),
    images: Type.Optional(
      Type.Object(Object.fromEntries(jobStacks.map((s) => [s, Type.Optional(Type.String({ minLength: 1, maxLength: 512 }))])), {
        additionalProperties: false,
        description: 'Container image or environment per software stack',
      }),
    ),
    resources: ResourcesSchema,
    tenant: Type.Optional(IdentSchema),
    queue: Type.Optional(IdentSchema),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    retry: Type.Optional(RetryPolicySchema),
    model: Type.Optional(ModelDescriptionSchema),
    estimatedDurationSec: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 31_536_000 })),
    minRuntimeSec: Type.Optional(Type.Number({ minimum: 0, maximum: 31_536_000 })),
    labels: Type.Optional(Type.Record(Type.String({ maxLength: 63 }), Type.String({ maxLength: 256 }), { maxProperties: 64 })),
  },
  { additionalProperties: false },
);
/** A submission as received: optional fields may be missing. */
export type JobSpecInput = Static<typeof JobSpecSchema>;

/** A submission with every default filled in. */
export interface JobSpec {
  name: string;
  kind: JobKind;
  command: string[];
  env: Record<string, string>;
  image: string | null;
  images: Partial<Record<(typeof jobStacks)[number], string>>;
  resources: { count: number; milliPerCard: number; gang: boolean; chips: ChipRequest; cpuMilli: number | null; memoryMiB: number | null };
  tenant: string;
  queue: string;
  priority: number;
  retry: RetryPolicy;
  model: Static<typeof ModelDescriptionSchema> | null;
  estimatedDurationSec: number | null;
  minRuntimeSec: number | null;
  labels: Record<string, string>;
}

export const defaultTenant = 'default';
export const defaultQueue = 'default';

/** Schema errors as issues with JSON-pointer paths, e.g. `/resources/count`. */
export function schemaIssues(schema: Parameters<typeof Value.Errors>[0], value: unknown, file?: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const e of Value.Errors(schema, value)) {
    issues.push({ ...(file ? { file } : {}), path: e.path || '/', message: e.message });
    if (issues.length >= 20) break;
  }
  return issues;
}

/** Checks that the schema cannot express (cross-field rules). */
export function semanticIssues(input: JobSpecInput): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const r = input.resources;
  if (r.milliPerCard !== undefined && r.milliPerCard < 1000 && r.count !== 1) {
    issues.push({ path: '/resources/milliPerCard', message: 'a fractional share (milliPerCard < 1000) needs resources.count = 1' });
  }
  if (input.retry?.backoff) {
    const b = input.retry.backoff;
    if (b.initialSec !== undefined && b.maxSec !== undefined && b.maxSec < b.initialSec) {
      issues.push({ path: '/retry/backoff/maxSec', message: 'maxSec must be at least initialSec' });
    }
  }
  return issues;
}

/** Validates an untrusted submission and fills defaults; throws a ValidationError naming every bad field. */
export function parseJobSpec(value: unknown, file?: string): JobSpec {
  const issues = schemaIssues(JobSpecSchema, value, file);
  if (issues.length > 0) throw new ValidationError('invalid job spec', issues);
  const input = value as JobSpecInput;
  const semantic = semanticIssues(input).map((i) => ({ ...(file ? { file } : {}), ...i }));
  if (semantic.length > 0) throw new ValidationError('invalid job spec', semantic);
  return normalizeJobSpec(input);
}

/** Fills defaults of a schema-valid submission. */
export function normalizeJobSpec(input: JobSpecInput): JobSpec {
  const r = input.resources;
  const backoff = { ...defaultRetryPolicy.backoff, ...(input.retry?.backoff ?? {}) };
  return {
    name: input.name,
    kind: input.kind as JobKind,
    command: [...input.command],
    env: { ...(input.env ?? {}) },
    image: input.image ?? null,
    images: { ...(input.images ?? {}) },
    resources: {
      count: r.count,
      milliPerCard: r.milliPerCard ?? 1000,
      gang: r.gang ?? r.count > 1,
      chips: r.chips ?? { kind: 'any' },
      cpuMilli: r.cpuMilli ?? null,
      memoryMiB: r.memoryMiB ?? null,
    },
    tenant: input.tenant ?? defaultTenant,
    queue: input.queue ?? defaultQueue,
    priority: input.priority ?? 0,
    retry: { maxAttempts: input.retry?.maxAttempts ?? defaultRetryPolicy.maxAttempts, backoff },
    model: input.model ?? null,
    estimatedDurationSec: input.estimatedDurationSec ?? null,
    minRuntimeSec: input.minRuntimeSec ?? null,
    labels: { ...(input.labels ?? {}) },
  };
}

/** The image to run on a chip of `stack`: its own entry, else the default image, else none. */
export function imageForStack(spec: JobSpec, stack: string): string | null {
  return (spec.images as Record<string, string | undefined>)[stack] ?? spec.image;
}
