/** Shared API schemas (TypeBox): request parts and response shapes for the OpenAPI document. */
import { Type, type TSchema } from '@sinclair/typebox';
import { jobStates } from '../workload/index.js';

export const ErrorSchema = Type.Object(
  {
    error: Type.String({ description: 'Error code: invalid_input, unauthorized, forbidden, not_found, conflict, too_large, infeasible, ...' }),
    message: Type.String(),
    issues: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Error' },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, default: 0 })),
};

export function pageOf(item: TSchema): TSchema {
  return Type.Object({ items: Type.Array(item), total: Type.Integer({ minimum: 0 }) });
}

export const PlacementSchema = Type.Object({ nodeId: Type.String(), devices: Type.Array(Type.Integer()), milliPerDevice: Type.Integer() });

export const JobStateSchema = Type.Union(jobStates.map((s) => Type.Literal(s)));

export const JobSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    state: JobStateSchema,
    tenant: Type.String(),
    queue: Type.String(),
    priority: Type.Integer(),
    version: Type.Integer(),
    attempt: Type.Integer(),
    cards: Type.Integer(),
    milliPerCard: Type.Integer(),
    chip: Type.Union([Type.String(), Type.Null()]),
    placements: Type.Array(PlacementSchema),
    reason: Type.Union([Type.String(), Type.Null()]),
    exitCode: Type.Union([Type.Integer(), Type.Null()]),
    serviceId: Type.Union([Type.String(), Type.Null()]),
    submittedAtMs: Type.Integer(),
    updatedAtMs: Type.Integer(),
    startedAtMs: Type.Union([Type.Integer(), Type.Null()]),
    finishedAtMs: Type.Union([Type.Integer(), Type.Null()]),
    notBeforeMs: Type.Union([Type.Integer(), Type.Null()]),
    spec: Type.Object({}, { additionalProperties: true, description: 'The job spec with defaults filled in' }),
  },
  { $id: 'Job' },
);

export const NodeSchema = Type.Object(
  {
    id: Type.String(),
    cluster: Type.String(),
    chip: Type.String(),
    rack: Type.String(),
    cards: Type.Integer(),
    state: Type.String(),
    schedulable: Type.Boolean(),
    simulated: Type.Boolean(),
    stacks: Type.Array(Type.String()),
    lastHeartbeatAtMs: Type.Integer(),
  },
  { $id: 'Node', additionalProperties: true },
);

export const TenantSchema = Type.Object(
  { id: Type.String(), name: Type.String(), quota: Type.Record(Type.String(), Type.Integer()), createdAtMs: Type.Integer(), updatedAtMs: Type.Integer() },
  { $id: 'Tenant' },
);

export const EventSchema = Type.Object(
  { id: Type.Integer(), atMs: Type.Integer(), type: Type.String(), subject: Type.String(), tenant: Type.Union([Type.String(), Type.Null()]), data: Type.Object({}, { additionalProperties: true }) },
  { $id: 'Event' },
);

export const AnyObject = Type.Object({}, { additionalProperties: true });

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
} as const;
