/**
 * An inference service: a model served by N replicas, each replica one inference job, with an SLO
 * the gateway routes against. The control plane keeps `replicas` jobs alive for the service.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ValidationError } from '../lib/errors.js';
import { ChipRequestSchema, IdentSchema, ModelDescriptionSchema, NameSchema, jobStacks, schemaIssues, type ChipRequest } from './job-spec.js';

export const SloSchema = Type.Object(
  {
    ttftMsP99: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 600_000, description: 'Time to first token, p99, in ms' })),
    tpotMsP99: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 60_000, description: 'Time per output token, p99, in ms' })),
    availabilityPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const ServiceSpecSchema = Type.Object(
  {
    name: NameSchema,
    model: Type.Intersect([ModelDescriptionSchema, Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) })]),
    replicas: Type.Integer({ minimum: 0, maximum: 1024 }),
    cardsPerReplica: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    milliPerCard: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    chips: Type.Optional(ChipRequestSchema),
    command: Type.Optional(Type.Array(Type.String({ maxLength: 8192 }), { minItems: 1, maxItems: 1024 })),
    image: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    images: Type.Optional(Type.Object(Object.fromEntries(jobStacks.map((s) => [s, Type.Optional(Type.String({ minLength: 1, maxLength: 512 }))])), { additionalProperties: false })),
    slo: Type.Optional(SloSchema),
    tenant: Type.Optional(IdentSchema),
    queue: Type.Optional(IdentSchema),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type ServiceSpecInput = Static<typeof ServiceSpecSchema>;

export interface ServiceSpec {
  name: string;
  model: { name: string; paramsB?: number; precision?: string; contextTokens?: number };
  replicas: number;
  cardsPerReplica: number;
  milliPerCard: number;
  chips: ChipRequest;
  command: string[];
  image: string | null;
  images: Record<string, string>;
  slo: Static<typeof SloSchema>;
  tenant: string;
  queue: string;
  priority: number;
}

export function parseServiceSpec(value: unknown): ServiceSpec {
  const issues = schemaIssues(ServiceSpecSchema, value);
  if (issues.length > 0) throw new ValidationError('invalid service spec', issues);
  return normalizeServiceSpec(value as ServiceSpecInput);
}

export function normalizeServiceSpec(input: ServiceSpecInput): ServiceSpec {
  const cards = input.cardsPerReplica ?? 1;
  if (input.milliPerCard !== undefined && input.milliPerCard < 1000 && cards !== 1) {
    throw new ValidationError('invalid service spec', [{ path: '/milliPerCard', message: 'a fractional share (milliPerCard < 1000) needs cardsPerReplica = 1' }]);
  }
  return {
    name: input.name,
    model: { ...input.model },
    replicas: input.replicas,
    cardsPerReplica: cards,
    milliPerCard: input.milliPerCard ?? 1000,
    chips: input.chips ?? { kind: 'any' },
    // Without a command the replica runs the stack's serving image with the model name as its argument.
    command: input.command ? [...input.command] : ['serve', input.model.name],
    image: input.image ?? null,
    images: { ...((input.images ?? {}) as Record<string, string>) },
    slo: { ...(input.slo ?? {}) },
    tenant: input.tenant ?? 'default',
    queue: input.queue ?? 'default',
    priority: input.priority ?? 100,
  };
}
