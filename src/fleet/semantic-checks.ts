/**
 * Checks a fleet document beyond its schema: references (cluster, server model, chip), duplicate
 * ids, per-server card counts against the server model, link domains, explicit node names and size
 * limits. Fields are read defensively: a check runs when the fields it needs are well-formed and is
 * skipped otherwise (the schema reports those), so one run reports every problem it can find.
 */
import type { Catalog } from '../catalog/catalog.js';
import { closeMatches } from './suggest.js';

/** A problem located by field path; the parser adds file and line. */
export interface FleetIssue {
  path: string;
  message: string;
  recordId?: string;
  /** Point at the field's key rather than its value (unknown fields). */
  at?: 'key' | 'value';
  /** Line already known (syntax errors); otherwise the parser locates `path`. */
  line?: number;
}

/** Expansion materialises every device, so a fleet above these sizes is refused up front. */
export const FleetLimits = {
  maxNodes: 500_000,
  maxCards: 4_000_000,
} as const;

export const DEFAULT_SERVERS_PER_RACK = 8;

/** Chip ids found in the catalog, by alias or id; filled by `checkFleetReferences`. */
export type ChipResolution = Map<string, string>;

export function checkFleetReferences(raw: Record<string, unknown>, catalog: Catalog): { issues: FleetIssue[]; chips: ChipResolution } {
  const issues: FleetIssue[] = [];
  const chips: ChipResolution = new Map();
  const resolveChip = (chip: string, path: string, recordId: string): string | undefined => {
    const found = catalog.tryResolve(chip);
    if (found) {
      chips.set(chip, found.id);
      return found.id;
    }
    const close = closeMatches(chip, [...catalog.chips.map((c) => c.id), ...catalog.chips.flatMap((c) => c.aliases)]).map(
      (m) => catalog.tryResolve(m)?.id ?? m,
    );
    const hint = close.length > 0 ? ` Did you mean ${[...new Set(close)].join(', ')}?` : ' Run `tessera catalog list` for the ids.';
    issues.push({ path, recordId, message: `unknown chip "${chip}".${hint}` });
    return undefined;
  };

  const clusterIds = new Set<string>();
  items(raw.clusters).forEach((c, index) => {
    const id = str(c.id);
    if (id === undefined) return;
    if (clusterIds.has(id)) issues.push({ path: `/clusters/${index}/id`, recordId: id, message: `duplicate cluster id "${id}"` });
    clusterIds.add(id);
  });

  const modelsById = new Map<string, { id: string; maxCards: number | undefined; linkDomainSize: number | undefined; chipId: string | undefined }>();
  items(raw.serverModels).forEach((m, index) => {
    const base = `/serverModels/${index}`;
    const id = str(m.id);
    const chip = str(m.chip);
    const maxCards = posInt(m.maxCards);
    const linkDomainSize = posInt(m.linkDomainSize);
    const chipId = chip === undefined ? undefined : resolveChip(chip, `${base}/chip`, id ?? `#${index}`);
    if (maxCards !== undefined && linkDomainSize !== undefined && maxCards % linkDomainSize !== 0) {
      issues.push({ path: `${base}/linkDomainSize`, recordId: id, message: `link domain size ${linkDomainSize} does not divide maxCards ${maxCards}` });
    }
    if (id === undefined) return;
    if (modelsById.has(id)) issues.push({ path: `${base}/id`, recordId: id, message: `duplicate server model id "${id}"` });
    else modelsById.set(id, { id, maxCards, linkDomainSize, chipId });
  });

  const groupIds = new Set<string>();
  const groups = items(raw.nodeGroups);
  let totalNodes = 0;
  let totalCards = 0;
  for (const g of groups) {
    const servers = posInt(g.servers) ?? 0;
    totalNodes += servers;
    totalCards += servers * (posInt(g.cardsPerServer) ?? 0);
  }
  // Past the limit, generating every node name to look for clashes would itself be the problem.
  const checkNames = totalNodes <= FleetLimits.maxNodes && totalCards <= FleetLimits.maxCards;
  const nodeNames = new Map<string, string>();
  const reported = new Set<string>();
  groups.forEach((g, index) => {
    const base = `/nodeGroups/${index}`;
    const id = str(g.id);
    const recordId = id ?? `#${index}`;
    const cluster = str(g.cluster);
    const chip = str(g.chip);
    const servers = posInt(g.servers);
    const cardsPerServer = posInt(g.cardsPerServer);
    const linkDomainSize = posInt(g.linkDomainSize);
    const serverModel = str(g.serverModel);
    if (id !== undefined) {
      if (groupIds.has(id)) issues.push({ path: `${base}/id`, recordId: id, message: `duplicate node group id "${id}"` });
      groupIds.add(id);
    }
    if (cluster !== undefined && !clusterIds.has(cluster)) {
      const close = closeMatches(cluster, [...clusterIds]);
      const known = clusterIds.size > 0 ? ` Declared clusters: ${[...clusterIds].slice(0, 10).join(', ')}.` : '';
      issues.push({ path: `${base}/cluster`, recordId, message: `unknown cluster "${cluster}".${close.length > 0 ? ` Did you mean ${close.join(', ')}?` : known}` });
    }
    const chipId = chip === undefined ? undefined : resolveChip(chip, `${base}/chip`, recordId);
    const model = serverModel === undefined ? undefined : modelsById.get(serverModel);
    if (serverModel !== undefined && !model) {
      issues.push({ path: `${base}/serverModel`, recordId, message: `unknown server model "${serverModel}"; declare it under serverModels` });
    }
    if (model && cardsPerServer !== undefined && model.maxCards !== undefined && cardsPerServer > model.maxCards) {
      issues.push({
        path: `${base}/cardsPerServer`,
        recordId,
        message: `${cardsPerServer} cards per server is more than server model "${model.id}" holds (maxCards ${model.maxCards})`,
      });
    }
    if (model && chipId && model.chipId && chipId !== model.chipId) {
      issues.push({ path: `${base}/chip`, recordId, message: `chip ${chipId} differs from server model "${model.id}", which holds ${model.chipId}` });
    }
    if (cardsPerServer !== undefined && linkDomainSize !== undefined && cardsPerServer % linkDomainSize !== 0) {
      issues.push({ path: `${base}/linkDomainSize`, recordId, message: `link domain size ${linkDomainSize} does not divide ${cardsPerServer} cards per server` });
    } else if (g.linkDomainSize === undefined && cardsPerServer !== undefined && model?.linkDomainSize !== undefined && cardsPerServer % model.linkDomainSize !== 0) {
      issues.push({
        path: `${base}/cardsPerServer`,
        recordId,
        message: `server model "${model.id}" has link domains of ${model.linkDomainSize} cards, which do not divide ${cardsPerServer} cards per server; set linkDomainSize on the group`,
      });
    }
    const names = Array.isArray(g.nodeNames) ? g.nodeNames : undefined;
    if (names !== undefined && servers !== undefined && names.length !== servers) {
      issues.push({ path: `${base}/nodeNames`, recordId, message: `lists ${names.length} node names but the group has ${servers} servers` });
    }
    if (!checkNames) return;
    if (names !== undefined) {
      names.forEach((name: unknown, i) => {
        if (typeof name === 'string') addNodeName(name, `${base}/nodeNames/${i}`, recordId);
      });
    } else if (id !== undefined && servers !== undefined) {
      for (let n = 0; n < servers; n++) addNodeName(`${id}-${n}`, `${base}/id`, recordId);
    }
  });
  if (totalNodes > FleetLimits.maxNodes || totalCards > FleetLimits.maxCards) {
    issues.push({
      path: '/nodeGroups',
      at: 'key',
      message: `the fleet declares ${totalNodes} servers and ${totalCards} cards; the limit is ${FleetLimits.maxNodes} servers and ${FleetLimits.maxCards} cards per fleet file`,
    });
  }
  return { issues, chips };

  function addNodeName(name: string, path: string, groupId: string): void {
    const owner = nodeNames.get(name);
    if (owner !== undefined) {
      // Report each clash once per (field, other group), not once per generated name.
      const key = `${path}|${owner}`;
      if (!reported.has(key)) {
        reported.add(key);
        issues.push({ path, recordId: groupId, message: `duplicate node name "${name}" (also in node group "${owner}")` });
      }
      return;
    }
    nodeNames.set(name, groupId);
  }
}

function items(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.map((v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function posInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}
