import { invalid } from '../../lib/errors.js';
import { profileSpec, type ProfileSpec } from '../../sched/index.js';
import type { MixEntry } from '../../sched/plugins/fgd-mix.js';

/** The policies of the FGD experiment: Tessera profile name -> the published curve's name. */
export const FGD_POLICIES = {
  random: '01-Random',
  'dot-product': '02-DotProd',
  'gpu-clustering': '03-GpuClustering',
  'gpu-packing': '04-GpuPacking',
  'best-fit': '05-BestFit',
  fgd: '06-FGD',
  default: null,
} as const satisfies Record<string, string | null>;
export type FgdPolicy = keyof typeof FGD_POLICIES;

export function parsePolicies(list: string): FgdPolicy[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw invalid('--policy needs at least one policy');
  for (const n of names) if (!(n in FGD_POLICIES)) throw invalid(`unknown policy "${n}"; known: ${Object.keys(FGD_POLICIES).join(', ')}`);
  return names as FgdPolicy[];
}

const MIX_PLUGINS = ['fgd'];

/** The profile for one policy, with the experiment's fixed target mix for the fragmentation plugin. */
export function experimentProfile(policy: FgdPolicy | ProfileSpec, mix: MixEntry[]): ProfileSpec {
  const spec = typeof policy === 'string' ? profileSpec(policy) : structuredClone(policy);
  // Every plugin that learns the mix at prepare gets the experiment's fixed mix instead.
  for (const name of MIX_PLUGINS) if ((spec.prepare ?? []).includes(name)) spec.pluginArgs = { ...spec.pluginArgs, [name]: { targetMix: mix, ...(spec.pluginArgs?.[name] ?? {}) } };
  return spec;
}
