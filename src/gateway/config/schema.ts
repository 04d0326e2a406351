import { Type, type Static } from '@sinclair/typebox';

/** Priority tiers: under overload the gateway sheds `low` first, then `normal`; `high` last. */
export const Priority = { high: 'high', normal: 'normal', low: 'low' } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export const RoutingPolicy = {
  /** Capacity- and SLO-aware: predicted TTFT/TPOT corrected by what each replica delivers, spread by capacity. */
  slo: 'slo',
  leastRequest: 'least-request',
  roundRobin: 'round-robin',
} as const;
export type RoutingPolicy = (typeof RoutingPolicy)[keyof typeof RoutingPolicy];

const Positive = (description: string) => Type.Number({ exclusiveMinimum: 0, description });
const Count = (description: string) => Type.Integer({ minimum: 1, description });

export const LimitsSchema = Type.Object(
  {
    requestsPerMin: Type.Optional(Count('requests admitted per minute')),
    tokensPerMin: Type.Optional(Count('prompt + completion tokens per minute (admission on an estimate, accounting on actual usage)')),
  },
  { additionalProperties: false },
);

export const ReplicaSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._:-]+$' }),
    model: Type.String({ minLength: 1 }),
    url: Type.String({ pattern: '^http://[^/]+(:[0-9]+)?/?$', description: 'base URL of an OpenAI-compatible engine (http://host:port)' }),
    chip: Type.String({ minLength: 1 }),
    /** Sequences the replica serves together (its max batch); the capacity weight. */
    maxBatch: Type.Optional(Count('max batch')),
    /** KV-cache capacity in tokens (prompt + output of the sequences running together), from the engine or the performance model's memory fit. */
    kvCapacityTokens: Type.Optional(Count('KV-cache capacity in tokens')),
    /** The engine's prompt-token budget per step when it runs chunked prefill (vLLM's max_num_batched_tokens); absent: prompts prefill one at a time. */
    chunkedPrefillTokens: Type.Optional(Count('chunked-prefill token budget per step')),
    /** The engine caches prompt prefixes between requests (vLLM/SGLang automatic prefix caching): a session's next turn prefills only what is new. */
    prefixCaching: Type.Optional(Type.Boolean({ description: 'the engine reuses cached prompt prefixes (a session prefills only its new tokens)' })),
    /** Predicted at idle, from the performance model or a measurement. */
    /**
     * Predicted timing, from the performance model or a measurement: `ttftMs` for a 1,000-token
     * prompt at idle, `tpotMs` at batch 1, `tpotMsAtMaxBatch` with the batch full (linear between:
     * a decode step reads the weights once plus each sequence's KV cache).
     */
    predicted: Type.Optional(Type.Object({ ttftMs: Positive('predicted TTFT of a 1,000-token prompt'), tpotMs: Positive('predicted TPOT at batch 1'), tpotMsAtMaxBatch: Type.Optional(Positive('predicted TPOT with the batch full')) }, { additionalProperties: false })),
    apiKey: Type.Optional(Type.String({ description: 'bearer token sent to the engine' })),
    /** The control-plane inference service this replica belongs to: its traffic and SLO attainment are counted per service. */
    service: Type.Optional(Type.String({ minLength: 1, description: 'inference service id (traffic is counted per service)' })),
    /** The tenant that owns the replica: only that tenant's API keys are routed to it. Absent: every key may use it. */
    tenant: Type.Optional(Type.String({ minLength: 1, description: 'owning tenant; only its keys reach this replica' })),
  },
  { additionalProperties: false },
);

const PriorityEnum = Type.Union([Type.Literal('high'), Type.Literal('normal'), Type.Literal('low')]);

export const TenantSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    priority: Type.Optional(PriorityEnum),
    limits: Type.Optional(LimitsSchema),
    keys: Type.Array(
      Type.Object(
        {
          key: Type.String({ minLength: 8, description: 'the API key clients send as a bearer token' }),
          id: Type.Optional(Type.String({ minLength: 1 })),
          priority: Type.Optional(PriorityEnum),
          limits: Type.Optional(LimitsSchema),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);

export const GatewayConfigSchema = Type.Object(
  {
    replicas: Type.Array(ReplicaSchema),
    tenants: Type.Optional(Type.Array(TenantSchema)),
    routing: Type.Optional(
      Type.Object(
        {
          policy: Type.Optional(Type.Union([Type.Literal('slo'), Type.Literal('least-request'), Type.Literal('round-robin')])),
          slo: Type.Optional(Type.Object({ ttftMs: Positive('TTFT objective'), tpotMs: Positive('TPOT objective') }, { additionalProperties: false })),
          affinity: Type.Optional(Type.Boolean()),
          /** A session stays on its replica while that replica's load is at most this multiple of the mean. */
          affinityMaxLoadRatio: Type.Optional(Type.Number({ minimum: 1 })),
          /** SLO routing: a session stays on its replica while that replica's predicted TTFT is within this many ms of the soonest. */
          affinityTtftSlackMs: Type.Optional(Type.Number({ minimum: 0, description: 'TTFT (ms) a session may lose to stay on its replica (its prefix cache)' })),
          /** SLO routing: replicas predicted to give the first token within this many ms of the soonest count as equally fast; the least loaded of them wins. */
          ttftSlackMs: Type.Optional(Type.Number({ minimum: 0, description: 'TTFT slack (ms) within which replicas count as equally fast' })),
          retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
          ewmaAlpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    health: Type.Optional(
      Type.Object(
        {
          intervalMs: Type.Optional(Type.Integer({ minimum: 100 })),
          timeoutMs: Type.Optional(Type.Integer({ minimum: 10 })),
          ejectAfterFailures: Type.Optional(Count('consecutive failures before ejection')),
          ejectMs: Type.Optional(Type.Integer({ minimum: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
    limits: Type.Optional(
      Type.Object(
        {
          maxBodyBytes: Type.Optional(Count('largest request body')),
          maxPromptTokens: Type.Optional(Count('largest prompt (estimated tokens)')),
          upstreamTimeoutMs: Type.Optional(Type.Integer({ minimum: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
    overload: Type.Optional(
      Type.Object(
        {
          /** Requests in flight per unit of replica capacity (max batch) before shedding starts. */
          queueFactor: Type.Optional(Positive('in-flight requests per batch slot at full load')),
          /** Share of that limit at which each tier is shed. */
          shedAt: Type.Optional(Type.Object({ low: Type.Optional(Positive('')), normal: Type.Optional(Positive('')), high: Type.Optional(Positive('')) }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Rent per chip, CNY per card-hour, for cost per million tokens. Unknown prices stay unknown. */
    prices: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0 }))),
    adminKey: Type.Optional(Type.String({ minLength: 8 })),
  },
  { additionalProperties: false },
);

export type GatewayConfigInput = Static<typeof GatewayConfigSchema>;
export type ReplicaSpec = Static<typeof ReplicaSchema>;
export type TenantInput = Static<typeof TenantSchema>;
export type LimitsInput = Static<typeof LimitsSchema>;
