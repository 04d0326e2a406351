/**
 * The built-in catalog: one data module per vendor, validated like any user file the first time
 * it is asked for, then kept (the data is immutable for the life of the process).
 */
import type { Catalog } from './catalog.js';
import * as alibaba from './data/alibaba.js';
import * as biren from './data/biren.js';
import * as cambricon from './data/cambricon.js';
import * as enflame from './data/enflame.js';
import * as huawei from './data/huawei.js';
import * as hygon from './data/hygon.js';
import * as iluvatar from './data/iluvatar.js';
import * as kunlunxin from './data/kunlunxin.js';
import * as metax from './data/metax.js';
import * as mthreads from './data/mthreads.js';
import * as nvidia from './data/nvidia.js';
import { sources } from './data/sources.js';
import * as tecorigin from './data/tecorigin.js';
import * as thead from './data/thead.js';
import * as zhonghao from './data/zhonghao.js';
import { loadCatalog, type CatalogFileInput } from './load.js';
import type { SourceRef } from './types.js';

const modules = [nvidia, thead, huawei, biren, metax, mthreads, enflame, zhonghao, tecorigin, cambricon, hygon, kunlunxin, iluvatar, alibaba];

/** The raw built-in data files, for callers that merge them with their own (`--catalog`). */
export function builtinFiles(): CatalogFileInput[] {
  return modules.map((m) => ({ file: m.file, records: m.records }));
}

export function builtinSources(): readonly SourceRef[] {
  return sources;
}

let cached: Catalog | undefined;

/** The validated built-in catalog (memoized). */
export function builtinCatalog(): Catalog {
  cached ??= loadCatalog(builtinFiles(), { sources });
  return cached;
}

/**
 * The built-in catalog plus extra files (parsed user catalogs). Ids and aliases must stay unique
 * across all of them; the files' own `sources` extend the built-in list.
 */
export function catalogWith(extra: readonly CatalogFileInput[]): Catalog {
  if (extra.length === 0) return builtinCatalog();
  return loadCatalog([...builtinFiles(), ...extra], { sources });
}
