/**
 * Types of the serving planner (after Mélange, Griggs et al. 2024): traffic split into
 * request-size buckets, each chip's capacity per bucket under the SLO, and the cheapest mix.
 */

/** One request size class and how often it arrives. */
export interface TrafficBucket {
  /** Representative lengths of the requests in this bucket (their mean). */
  inputTokens: number;
  outputTokens: number;
  requestsPerSec: number;
  /** Label such as `in 512-1024, out 128-256`. */
  label: string;
}

/** A chip type the planner may use. */
export interface ChipOption {
  chip: string;
  /** Rent, CNY per card-hour; null = unknown (the chip is left out and the plan says so). */
  priceCnyPerHour: number | null;
  /** Where the price comes from (`catalog:<source>`, `--price`). */
  priceSource: string | null;
  /** Cards available; null = no cap. */
  availableCards: number | null;
}

/** What one replica of a chip sustains for one bucket while meeting the SLO. */
export interface BucketCapacity {
  /** Requests per second one replica serves for traffic of only this bucket; 0 = cannot meet the SLO. */
  requestsPerSecPerReplica: number;
}

/**
 * One replica shape of a chip (its cards per replica, i.e. the TP degree) and its capacity per
 * bucket, same order as the traffic. A chip may have several shapes; the plan may use several.
 */
export interface ChipProfile {
  chip: string;
  cardsPerReplica: number;
  capacity: BucketCapacity[];
  /** Why the chip cannot serve (model does not fit, figures unknown), when it cannot. */
  unusable?: string;
  /** Confidence of the estimate behind the profile, from the performance model. */
  confidence?: string;
}

export interface PlannedChip {
  chip: string;
  cardsPerReplica: number;
  replicas: number;
  cards: number;
  costCnyPerHour: number;
  /** Share of each bucket's requests routed to this chip, same order as the traffic. */
  bucketShares: number[];
  /** Load in replica units (sum of bucket rate x share / capacity) over replicas. */
  utilization: number;
}

export interface Mix {
  chips: PlannedChip[];
  costCnyPerHour: number;
}

export interface ServingPlan {
  buckets: TrafficBucket[];
  /** The cheapest mix across chip types (MIP on HiGHS); null when infeasible. */
  mix: Mix | null;
  /** The cheapest single chip type; null when no single type can serve all the traffic. */
  bestSingle: Mix | null;
  /** Every single-type option that was feasible, cheapest first. */
  singles: Mix[];
  /** Chips that cannot carry all the traffic alone, and why (they may still be part of the mix). */
  singleInfeasible: { chip: string; reason: string }[];
  /** (bestSingle - mix) / bestSingle; null when either is missing. */
  savingFraction: number | null;
  /** Chips left out, and why (unknown price, cannot serve the model, no cards available). */
  excluded: { chip: string; reason: string }[];
  solver: { status: string; version: string };
}
