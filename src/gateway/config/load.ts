import { ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { LineCounter, parseDocument } from 'yaml';
import { lineLocator, type LineLocator } from '../../fleet/source-map.js';
import { ValidationError, type ValidationIssue } from '../../lib/errors.js';
import { GatewayConfigSchema, type GatewayConfigInput, type LimitsInput, type Priority, type ReplicaSpec, type RoutingPolicy } from './schema.js';

/** SLO routing: predicted first tokens this close count as a tie, broken by load (see Router). */
export const DEFAULT_TTFT_SLACK_MS = 50;

/** SLO routing: a session leaves its home replica once the home's predicted first token is this much later than the soonest (ms). */
export const DEFAULT_AFFINITY_TTFT_SLACK_MS = 200;

export interface KeyConfig {
  key: string;
  id: string;
  tenant: string;
  priority: Priority;
  limits: LimitsInput;
  /** Staff keys (the control plane's admins and operators): every tenant's replicas are reachable. */
  allTenants?: boolean;
}

export interface TenantConfig {
  id: string;
  priority: Priority;
  limits: LimitsInput;
}

/** The gateway's configuration with every default filled in. */
export interface GatewayConfig {
  replicas: ReplicaSpec[];
  tenants: TenantConfig[];
  /** API key -> key record; empty = no authentication (every caller is tenant `anonymous`). */
  keys: Map<string, KeyConfig>;
  routing: { policy: RoutingPolicy; slo: { ttftMs: number; tpotMs: number } | null; affinity: boolean; affinityMaxLoadRatio: number; affinityTtftSlackMs: number; ttftSlackMs: number; retries: number; ewmaAlpha: number };
  health: { intervalMs: number; timeoutMs: number; ejectAfterFailures: number; ejectMs: number };
  limits: { maxBodyBytes: number; maxPromptTokens: number; upstreamTimeoutMs: number };
  overload: { queueFactor: number; shedAt: Record<Priority, number> };
  pricesCnyPerHour: Record<string, number>;
  adminKey: string | null;
}

/** Parses YAML or JSON text; errors carry file, line and field. */
export function parseGatewayConfig(text: string, file: string): GatewayConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new ValidationError(`invalid gateway config ${file}`, [{ file, line: e ? lines.linePos(e.pos[0]).line : undefined, path: '/', message: `not valid YAML or JSON: ${e?.message.split('\n')[0] ?? 'parse error'}` }]);
  }
  return validateGatewayConfig(doc.toJS() as unknown, file, lineLocator(doc, lines));
}

export function validateGatewayConfig(value: unknown, file = 'gateway config', locate?: LineLocator): GatewayConfig {
  const issues: ValidationIssue[] = [];
  const at = (path: string, message: string, where: 'key' | 'value' = 'value'): void => {
    const line = locate?.(path, where);
    issues.push({ file, ...(line === undefined ? {} : { line }), path: path || '/', message });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    at('', 'the top level must be a mapping with a replicas list');
    throw new ValidationError(`invalid gateway config ${file}`, issues);
  }
  const seen = new Set<string>();
  for (const e of Value.Errors(GatewayConfigSchema, value)) {
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    const field = e.path.split('/').at(-1) ?? '';
    if (e.type === ValueErrorType.ObjectRequiredProperty) at(e.path, `${field} is required`);
    else if (e.type === ValueErrorType.ObjectAdditionalProperties) at(e.path, `unknown field ${field}`, 'key');
    else if (e.type === ValueErrorType.Union) at(e.path, `${field} must be one of the allowed values, not ${JSON.stringify(e.value)}`);
    else at(e.path, `${field}: ${e.message.toLowerCase()}${e.value === undefined ? '' : `, got ${JSON.stringify(e.value)}`}`);
    if (issues.length >= 50) break;
  }
  if (issues.length > 0) throw new ValidationError(`invalid gateway config ${file}`, issues);

  const input = value as GatewayConfigInput;
  const ids = new Map<string, number>();
  input.replicas.forEach((r, i) => {
    if (ids.has(r.id)) at(`/replicas/${i}/id`, `replica id ${r.id} is used twice (also at /replicas/${ids.get(r.id)})`);
    ids.set(r.id, i);
  });
  const keys = new Map<string, KeyConfig>();
  const tenants: TenantConfig[] = [];
  const tenantIds = new Set<string>();
  (input.tenants ?? []).forEach((t, ti) => {
    if (tenantIds.has(t.id)) at(`/tenants/${ti}/id`, `tenant id ${t.id} is used twice`);
    tenantIds.add(t.id);
    const tenant: TenantConfig = { id: t.id, priority: t.priority ?? 'normal', limits: t.limits ?? {} };
    tenants.push(tenant);
    t.keys.forEach((k, ki) => {
      if (keys.has(k.key)) at(`/tenants/${ti}/keys/${ki}/key`, 'this API key is already given to another key entry');
      keys.set(k.key, { key: k.key, id: k.id ?? `${t.id}-${ki}`, tenant: t.id, priority: k.priority ?? tenant.priority, limits: k.limits ?? {} });
    });
  });
  if (issues.length > 0) throw new ValidationError(`invalid gateway config ${file}`, issues);

  const r = input.routing ?? {};
  const h = input.health ?? {};
  const l = input.limits ?? {};
  const o = input.overload ?? {};
  return {
    replicas: input.replicas.map((x) => ({ ...x, url: x.url.replace(/\/$/, '') })),
    tenants,
    keys,
    routing: { policy: r.policy ?? 'slo', slo: r.slo ?? null, affinity: r.affinity ?? true, affinityMaxLoadRatio: r.affinityMaxLoadRatio ?? 1.5, affinityTtftSlackMs: r.affinityTtftSlackMs ?? DEFAULT_AFFINITY_TTFT_SLACK_MS, ttftSlackMs: r.ttftSlackMs ?? DEFAULT_TTFT_SLACK_MS, retries: r.retries ?? 2, ewmaAlpha: r.ewmaAlpha ?? 0.2 },
    health: { intervalMs: h.intervalMs ?? 2000, timeoutMs: h.timeoutMs ?? 1000, ejectAfterFailures: h.ejectAfterFailures ?? 3, ejectMs: h.ejectMs ?? 10_000 },
    limits: { maxBodyBytes: l.maxBodyBytes ?? 4 * 1024 * 1024, maxPromptTokens: l.maxPromptTokens ?? 131_072, upstreamTimeoutMs: l.upstreamTimeoutMs ?? 600_000 },
    overload: { queueFactor: o.queueFactor ?? 4, shedAt: { low: o.shedAt?.low ?? 0.7, normal: o.shedAt?.normal ?? 1, high: o.shedAt?.high ?? 1.3 } },
    pricesCnyPerHour: input.prices ?? {},
    adminKey: input.adminKey ?? null,
  };
}
