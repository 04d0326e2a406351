/**
 * The TypeBox schema of a fleet document (YAML or JSON). It checks shape and types; the
 * cross-references (clusters, server models, chips, duplicate ids) are checked in `semantic-checks.ts`.
 * Each constrained field carries an `errorMessage` so that a failure reads as one clear sentence.
 */
import { Type, type Static, type TInteger } from '@sinclair/typebox';

/** Ids are used in device ids (`<node>/<index>`) and URLs, so no slashes or spaces. */
const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
const idMessage = 'must be an id of letters, digits, ".", "_" or "-" (starting with a letter or digit)';

const Id = Type.String({ pattern: ID_PATTERN, maxLength: 253, errorMessage: idMessage });
const Text = Type.String({ maxLength: 4000, errorMessage: 'must be a string' });
const PositiveInt = (what: string): TInteger =>
  Type.Integer({ minimum: 1, maximum: 1_000_000, errorMessage: `must be a positive whole number of ${what} (1 to 1000000)` });
const NonNegativeNumber = Type.Number({ minimum: 0, maximum: 1e9, errorMessage: 'must be a number, 0 or more' });

export const DeclaredFiguresSchema = Type.Object(
  {
    pflops: Type.Optional(NonNegativeNumber),
    servers: Type.Optional(Type.Integer({ minimum: 0, errorMessage: 'must be a whole number, 0 or more' })),
    cards: Type.Optional(Type.Integer({ minimum: 0, errorMessage: 'must be a whole number, 0 or more' })),
    source: Type.Optional(Text),
    note: Type.Optional(Text),
  },
  { additionalProperties: false },
);

export const ClusterSchema = Type.Object(
  { id: Id, name: Type.Optional(Text), region: Type.Optional(Text) },
  { additionalProperties: false },
);

export const ServerModelSchema = Type.Object(
  {
    id: Id,
    chip: Type.String({ minLength: 1, errorMessage: 'must be a chip id such as nvidia-h20' }),
    maxCards: PositiveInt('cards'),
    linkDomainSize: Type.Optional(PositiveInt('cards')),
    cpuMilli: Type.Optional(PositiveInt('milli-CPUs')),
    memoryMiB: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a positive whole number of MiB' })),
  },
  { additionalProperties: false },
);

export const NodeGroupSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Text),
    cluster: Type.String({ minLength: 1, errorMessage: 'must name a cluster id' }),
    chip: Type.String({ minLength: 1, errorMessage: 'must be a chip id such as nvidia-h20' }),
    servers: PositiveInt('servers'),
    cardsPerServer: PositiveInt('cards'),
    serverModel: Type.Optional(Type.String({ minLength: 1, errorMessage: 'must name a server model id' })),
    linkDomainSize: Type.Optional(PositiveInt('cards')),
    serversPerRack: Type.Optional(PositiveInt('servers')),
    cpuMilli: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a positive whole number of milli-CPUs' })),
    memoryMiB: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a positive whole number of MiB' })),
    nodeNames: Type.Optional(Type.Array(Id, { errorMessage: 'must be a list of node names' })),
    contract: Type.Optional(Text),
    declared: Type.Optional(DeclaredFiguresSchema),
    labels: Type.Optional(Type.Record(Type.String(), Type.String({ errorMessage: 'label values must be strings' }), { errorMessage: 'must be a mapping of strings' })),
  },
  { additionalProperties: false },
);

export const FleetDocSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, errorMessage: 'must be a non-empty string' }),
    description: Type.Optional(Text),
    source: Type.Optional(Text),
    clusters: Type.Array(ClusterSchema, { minItems: 1, errorMessage: 'must be a list of at least one cluster' }),
    serverModels: Type.Optional(Type.Array(ServerModelSchema, { errorMessage: 'must be a list of server models' })),
    nodeGroups: Type.Array(NodeGroupSchema, { minItems: 1, errorMessage: 'must be a list of at least one node group' }),
    declared: Type.Optional(DeclaredFiguresSchema),
  },
  { additionalProperties: false },
);

export type FleetDocStatic = Static<typeof FleetDocSchema>;
