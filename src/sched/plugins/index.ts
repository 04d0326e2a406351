/** Every built-in plugin, registered by name. Add a plugin: one file with NAME and factory, one line here. */
import { Registry } from '../framework/registry.js';
import * as bestDevice from './best-device.js';
import * as bestFit from './best-fit.js';
import * as cardFit from './card-fit.js';
import * as chipEligibility from './chip-eligibility.js';
import * as chipPreference from './chip-preference.js';
import * as cpuJobPacking from './cpu-job-packing.js';
import * as dotProduct from './dot-product.js';
import * as fgd from './fgd.js';
import * as gangTopology from './gang-topology.js';
import * as gpuClustering from './gpu-clustering.js';
import * as gpuPacking from './gpu-packing.js';
import * as jobShape from './job-shape.js';
import * as leastAllocated from './least-allocated.js';
import * as linkDomain from './link-domain.js';
import * as neverFits from './never-fits.js';
import * as nodeResourcesFit from './node-resources-fit.js';
import * as nodeSchedulable from './node-schedulable.js';
import * as nodeSize from './node-size.js';
import * as prioritySort from './priority-sort.js';
import * as randomDevice from './random-device.js';
import * as randomScore from './random-score.js';

export const builtinPlugins = [
  bestDevice, bestFit, cardFit, chipEligibility, chipPreference, cpuJobPacking, dotProduct, fgd, gangTopology, gpuClustering,
  gpuPacking, jobShape, leastAllocated, linkDomain, neverFits, nodeResourcesFit, nodeSize, nodeSchedulable, prioritySort, randomDevice, randomScore,
] as const;

/** A fresh registry holding the built-in plugins; extend it with `register` (duplicates are refused). */
export function builtinRegistry(): Registry {
  const registry = new Registry();
  for (const p of builtinPlugins) registry.register(p.NAME, p.factory);
  return registry;
}

export { typicalMix, type MixEntry, type ShapeLike } from './fgd-mix.js';
export { FragMeter } from './fragmentation.js';
export type { FgdPlugin } from './fgd.js';
