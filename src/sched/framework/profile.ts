import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValidationError, invalid, type ValidationIssue } from '../../lib/errors.js';
import { ExtensionPoint, extensionMethod, type AnyPlugin, type FilterPlugin, type GangPlugin, type PermitPlugin, type PostFilterPlugin, type PreFilterPlugin, type PreparePlugin, type PreScorePlugin, type QueueSortPlugin, type ReservePlugin, type ScorePlugin } from './plugin.js';
import type { Registry } from './registry.js';

const Name = Type.String({ pattern: '^[a-z][a-z0-9-]*$' });
const Weighted = Type.Object({ name: Name, weight: Type.Number({ exclusiveMinimum: 0, maximum: 1e6 }) }, { additionalProperties: false });

/** A profile as configuration: a plain object (JSON/YAML), validated before any plugin is built. */
export const ProfileSpecSchema = Type.Object(
  {
    name: Name,
    description: Type.Optional(Type.String()),
    queueSort: Type.Optional(Name),
    prepare: Type.Optional(Type.Array(Name)),
    preFilter: Type.Optional(Type.Array(Name)),
    filter: Type.Optional(Type.Array(Name)),
    preScore: Type.Optional(Type.Array(Name)),
    score: Type.Optional(Type.Array(Type.Union([Name, Weighted]))),
    reserve: Type.Optional(Name),
    gang: Type.Optional(Name),
    permit: Type.Optional(Type.Array(Name)),
    postFilter: Type.Optional(Type.Array(Name)),
    /** Arguments per plugin name; one instance per name is shared by every extension point that names it. */
    pluginArgs: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()))),
    /**
     * Stop filtering once this many feasible nodes are found (0 = score every node), scanning from a
     * rotating start like kube-scheduler's percentageOfNodesToScore. Exact policies use 0.
     */
    maxFeasibleNodes: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type ProfileSpec = Static<typeof ProfileSpecSchema>;

/** A profile with its plugins built, ready for the engine. */
export interface Profile {
  name: string;
  spec: ProfileSpec;
  queueSort?: QueueSortPlugin;
  prepare: PreparePlugin[];
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  preScore: PreScorePlugin[];
  score: { plugin: ScorePlugin; weight: number }[];
  reserve: ReservePlugin;
  gang?: GangPlugin;
  permit: PermitPlugin[];
  postFilter: PostFilterPlugin[];
  maxFeasibleNodes: number;
}

export function isProfile(p: unknown): p is Profile {
  return typeof p === 'object' && p !== null && 'reserve' in p && 'spec' in p;
}

/** Validates a plain object and builds its plugins from the registry. Every problem is reported with its path. */
export function loadProfile(raw: unknown, registry: Registry): Profile {
  if (!Value.Check(ProfileSpecSchema, raw)) {
    const issues: ValidationIssue[] = [...Value.Errors(ProfileSpecSchema, raw)].map((e) => ({ path: e.path || '/', message: e.message }));
    throw new ValidationError('invalid scheduler profile', issues);
  }
  const spec = raw;
  const instances = new Map<string, AnyPlugin>();
  const get = (name: string, point: ExtensionPoint, path: string): AnyPlugin => {
    let plugin = instances.get(name);
    if (!plugin) {
      if (!registry.has(name)) {
        throw new ValidationError('invalid scheduler profile', [{ path, recordId: spec.name, message: `unknown plugin "${name}"; registered plugins: ${registry.names().join(', ')}` }]);
      }
      plugin = registry.create(name, spec.pluginArgs?.[name] ?? {});
      instances.set(name, plugin);
    }
    if (typeof plugin[extensionMethod[point]] !== 'function') {
      throw new ValidationError('invalid scheduler profile', [{ path, recordId: spec.name, message: `plugin "${name}" does not implement the ${point} extension point` }]);
    }
    return plugin;
  };
  const list = <T>(point: ExtensionPoint, names: string[] | undefined): T[] => {
    const seen = new Set<string>();
    return (names ?? []).map((n, i) => {
      if (seen.has(n)) throw new ValidationError('invalid scheduler profile', [{ path: `/${point}/${i}`, recordId: spec.name, message: `plugin "${n}" is listed twice` }]);
      seen.add(n);
      return get(n, point, `/${point}/${i}`) as unknown as T;
    });
  };
  const scoreSeen = new Set<string>();
  const score = (spec.score ?? []).map((ref, i) => {
    const name = typeof ref === 'string' ? ref : ref.name;
    if (scoreSeen.has(name)) throw new ValidationError('invalid scheduler profile', [{ path: `/score/${i}`, recordId: spec.name, message: `score plugin "${name}" is listed twice` }]);
    scoreSeen.add(name);
    return { plugin: get(name, ExtensionPoint.score, `/score/${i}`) as unknown as ScorePlugin, weight: typeof ref === 'string' ? 1 : ref.weight };
  });
  if (!spec.reserve) throw new ValidationError('invalid scheduler profile', [{ path: '/reserve', recordId: spec.name, message: 'a profile needs a reserve plugin to pick devices' }]);
  for (const name of Object.keys(spec.pluginArgs ?? {})) {
    if (!instances.has(name) && !registry.has(name)) throw invalid(`profile "${spec.name}": pluginArgs names unknown plugin "${name}"`);
  }
  const profile: Profile = {
    name: spec.name,
    spec,
    prepare: list<PreparePlugin>(ExtensionPoint.prepare, spec.prepare),
    preFilter: list<PreFilterPlugin>(ExtensionPoint.preFilter, spec.preFilter),
    filter: list<FilterPlugin>(ExtensionPoint.filter, spec.filter),
    preScore: list<PreScorePlugin>(ExtensionPoint.preScore, spec.preScore),
    score,
    reserve: get(spec.reserve, ExtensionPoint.reserve, '/reserve') as unknown as ReservePlugin,
    permit: list<PermitPlugin>(ExtensionPoint.permit, spec.permit),
    postFilter: list<PostFilterPlugin>(ExtensionPoint.postFilter, spec.postFilter),
    maxFeasibleNodes: spec.maxFeasibleNodes ?? 0,
  };
  if (spec.queueSort) profile.queueSort = get(spec.queueSort, ExtensionPoint.queueSort, '/queueSort') as unknown as QueueSortPlugin;
  if (spec.gang) profile.gang = get(spec.gang, ExtensionPoint.gang, '/gang') as unknown as GangPlugin;
  return profile;
}
