/** Response shapes of the console's read models, so the generated client types are exact. */
import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Confidence = Type.String({ description: 'high | medium | low (estimates); datasheet | press | derived | declared | unknown (catalog)' });

export const CapacityChipSchema = Type.Object({
  chip: Type.String(),
  vendor: Nullable(Type.String()),
  nameEn: Nullable(Type.String()),
  nameZh: Nullable(Type.String()),
  nodes: Type.Integer(),
  cards: Type.Integer(),
  readyCards: Type.Integer(),
  unhealthyCards: Type.Integer(),
  allocatedCards: Type.Number({ description: 'Sum of allocated shares, in cards (fractional shares count by their share)' }),
  tflopsPerCard: Nullable(Type.Number()),
  precision: Nullable(Type.String()),
  peakConfidence: Confidence,
  pflops: Nullable(Type.Number({ description: 'Catalog dense half-precision peak x cards / 1000; null when the catalog does not know the peak' })),
});

export const CapacityH20Schema = Type.Object({
  workloadClass: Type.String(),
  task: Type.String(),
  description: Type.String(),
  h20eq: Type.Number(),
  cards: Type.Integer(),
  cardsWithoutEstimate: Type.Integer(),
  confidence: Confidence,
  byChip: Type.Array(Type.Object({ chip: Type.String(), cards: Type.Integer(), h20eqPerCard: Nullable(Type.Number()), total: Nullable(Type.Number()), confidence: Confidence, reason: Type.Optional(Type.String()) })),
});

export const DeclaredSchema = Type.Object({
  fleet: Type.String(),
  source: Nullable(Type.String()),
  declaredTotalPflops: Nullable(Type.Number()),
  sumOfDeclaredPflops: Nullable(Type.Number()),
  computedPflops: Type.Number({ description: 'Catalog peaks where known, else declared ones' }),
  peakFromCatalogPflops: Type.Number(),
  peakFromDeclaredPflops: Type.Number(),
  peakUnknownCards: Type.Integer(),
  declaredCards: Nullable(Type.Integer()),
  cards: Type.Integer(),
  warnings: Type.Array(Type.String()),
  groups: Type.Array(
    Type.Object({ group: Type.String(), name: Nullable(Type.String()), chip: Type.String(), cards: Type.Integer(), cardsDerived: Type.Boolean(), declaredPflops: Nullable(Type.Number()), impliedTflopsPerCard: Nullable(Type.Number()), catalogPflops: Nullable(Type.Number()), source: Nullable(Type.String()) }),
  ),
});

export const CapacitySchema = Type.Object({
  atMs: Type.Integer(),
  fleet: Nullable(Type.String()),
  totals: Type.Object({ nodes: Type.Integer(), readyNodes: Type.Integer(), cards: Type.Integer(), allocatedCards: Type.Number(), unhealthyCards: Type.Integer(), pflops: Type.Number(), pflopsUnknownCards: Type.Integer(), utilPct: Nullable(Type.Number({ description: 'Mean device utilisation reported by agents (telemetry utilPct); null when no device reports it' })), utilReportingDevices: Type.Integer() }),
  work: Type.Object({ running: Type.Integer(), waiting: Type.Integer({ description: 'Pending and Admitted jobs' }), services: Type.Integer() }, { description: "Jobs and services the caller may see (a member: their tenant's)" }),
  byChip: Type.Array(CapacityChipSchema),
  byVendor: Type.Array(Type.Object({ vendor: Type.String(), cards: Type.Integer(), allocatedCards: Type.Number(), pflops: Type.Number() })),
  h20eq: Type.Array(CapacityH20Schema),
  declared: Nullable(DeclaredSchema),
});

export const HistorySchema = Type.Object({
  intervalSec: Type.Integer(),
  items: Type.Array(Type.Object({ atMs: Type.Integer(), cards: Type.Integer(), allocatedCards: Type.Number(), running: Type.Integer(), waiting: Type.Integer() })),
});

export const HeatmapSchema = Type.Object({
  atMs: Type.Integer(),
  chips: Type.Array(Type.Object({ id: Type.String(), vendor: Nullable(Type.String()) })),
  nodes: Type.Array(Type.Object({ id: Type.String(), cluster: Type.String(), chip: Type.Integer({ description: 'Index into chips' }), state: Type.String(), schedulable: Type.Boolean(), first: Type.Integer({ description: 'Index of its first device in used/healthy' }), cards: Type.Integer() })),
  used: Type.Array(Type.Integer({ description: 'Allocated milli-cards per device, in node order' })),
  unhealthy: Type.Array(Type.Integer({ description: 'Indices of unhealthy devices' })),
});

export const ComparisonSchema = Type.Object(
  {
    baselineId: Type.String(),
    chips: Type.Array(Type.Object({ id: Type.String(), en: Type.String(), zh: Type.String(), undisclosed: Type.Boolean(), hostLink: Nullable(Type.String()) })),
    rows: Type.Array(
      Type.Object({
        key: Type.String(),
        label: Type.String(),
        unit: Type.String(),
        cells: Type.Array(Type.Object({ chipId: Type.String(), value: Nullable(Type.Number()), text: Type.String(), source: Nullable(Type.String()), confidence: Type.String(), note: Type.Optional(Type.String()), ratio: Nullable(Type.Number()), ratioText: Type.String() })),
      }),
    ),
    conflicts: Type.Array(Type.String()),
  },
);

const Summary = Type.Object({ mean: Nullable(Type.Number()), p50: Nullable(Type.Number()), p99: Nullable(Type.Number()) });

export const SimulationSchema = Type.Object({
  fleet: Type.String(),
  cards: Type.Integer(),
  jobs: Type.Integer(),
  jobsPerHour: Type.Number(),
  runs: Type.Array(
    Type.Object({
      profile: Type.String(),
      wallMs: Type.Number(),
      series: Type.Array(Type.Object({ tSec: Type.Number(), allocationRate: Type.Number(), pending: Type.Integer(), running: Type.Integer() })),
      result: Type.Object({
        jobs: Type.Object({ seen: Type.Integer(), completed: Type.Integer(), rejected: Type.Integer(), unfinished: Type.Integer(), preemptions: Type.Integer(), failures: Type.Integer(), invalidDecisions: Type.Integer() }),
        jctSec: Summary,
        queueDelaySec: Summary,
        makespanSec: Type.Number(),
        allocationRate: Type.Number(),
        fragmentation: Type.Number(),
        perChip: Type.Array(Type.Object({ chip: Type.String(), cards: Type.Integer(), utilisation: Type.Number(), busyCardHours: Type.Number(), cost: Nullable(Type.Number()), energyKWh: Nullable(Type.Number()) })),
        cost: Nullable(Type.Number()),
        costPartial: Type.Boolean(),
        energyKWh: Nullable(Type.Number()),
        energyPartial: Type.Boolean(),
        sloAttainment: Nullable(Type.Number()),
        rejections: Type.Array(Type.Object({ jobId: Type.String(), reason: Type.String() })),
      }, { additionalProperties: true }),
    }),
  ),
});
