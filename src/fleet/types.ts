/**
 * Fleet domain types. A fleet file (YAML or JSON) is a `FleetDoc`; `expandFleet` turns it into a
 * `Fleet` of nodes and devices with stable ids. Topology levels, from near to far:
 * device -> link domain (an NVLink/HCCS/ICN/MetaXLink island inside a node) -> node -> rack -> cluster.
 */

/** A figure the operator declared (a contract, a press report), kept apart from catalog figures. */
export interface DeclaredFigures {
  /** Peak compute the operator declared for this group or fleet, in PFLOPS (precision often unstated). */
  pflops?: number;
  servers?: number;
  cards?: number;
  /** Where the declaration comes from (contract, report). */
  source?: string;
  note?: string;
}

export interface ClusterDoc {
  id: string;
  name?: string;
  region?: string;
}

/** A server model: how many cards it holds and how they are linked. */
export interface ServerModelDoc {
  id: string;
  chip: string;
  /** The most cards this server model holds. */
  maxCards: number;
  /** Cards per link domain (e.g. 8 for an 8-GPU NVLink board, 4 for two MetaXLink groups of 4). */
  linkDomainSize?: number;
  cpuMilli?: number;
  memoryMiB?: number;
}

export interface NodeGroupDoc {
  id: string;
  /** Display name, e.g. the contract's wording. */
  name?: string;
  cluster: string;
  chip: string;
  servers: number;
  cardsPerServer: number;
  serverModel?: string;
  /** Cards per link domain; defaults to the server model's, else all cards of a node form one domain. */
  linkDomainSize?: number;
  /** Servers per rack, for topology-aware placement; default 8. */
  serversPerRack?: number;
  cpuMilli?: number;
  memoryMiB?: number;
  /** Explicit node names (length must equal `servers`), e.g. imported from a trace. */
  nodeNames?: string[];
  /** Name of the contract or procurement block this group belongs to. */
  contract?: string;
  declared?: DeclaredFigures;
  labels?: Record<string, string>;
}

export interface FleetDoc {
  name: string;
  description?: string;
  /** Where the fleet's facts come from. */
  source?: string;
  clusters: ClusterDoc[];
  serverModels?: ServerModelDoc[];
  nodeGroups: NodeGroupDoc[];
  /** Fleet-wide declared totals (e.g. the report's "1747 servers, 22832 cards, 3479 P"). */
  declared?: DeclaredFigures;
}

export interface Device {
  /** Stable id: `<nodeId>/<index>`. */
  id: string;
  /** Index of the card inside its node, from 0. */
  index: number;
  /** Index of the link domain inside its node, from 0 (`floor(index / linkDomainSize)`). */
  linkDomain: number;
}

export interface FleetNode {
  /** Stable id: the node name if given, else `<groupId>-<n>` (n from 0). */
  id: string;
  cluster: string;
  group: string;
  chip: string;
  cards: number;
  /** Stable rack id: `<groupId>-rack-<k>`, k = floor(n / serversPerRack). */
  rack: string;
  /** Cards per link domain; divides `cards`. */
  linkDomainSize: number;
  serverModel: string | null;
  contract: string | null;
  cpuMilli: number | null;
  memoryMiB: number | null;
  devices: Device[];
  labels: Record<string, string>;
}

export interface Fleet {
  name: string;
  description: string;
  source: string | null;
  /** The validated document the fleet was expanded from (chip aliases already resolved to ids). */
  doc: FleetDoc;
  clusters: ClusterDoc[];
  nodes: FleetNode[];
  /** Total cards over all nodes. */
  cards: number;
}
