/** Token accounting per tenant, model and chip, from the backends' own usage reports. */
export interface UsageRow {
  tenant: string;
  model: string;
  chip: string;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
}

export interface ChipCost {
  chip: string;
  replicas: number;
  tokens: number;
  /** Rent per card-hour from the gateway config; null when nobody gave a price. */
  priceCnyPerHour: number | null;
  /** Replica-hours since accounting started times the price, over millions of tokens served; null when unknown or nothing served. */
  cnyPerMillionTokens: number | null;
}

export interface UsageReport {
  sinceMs: number;
  untilMs: number;
  rows: UsageRow[];
  chips: ChipCost[];
}

export class UsageLedger {
  private readonly rows = new Map<string, UsageRow>();
  private readonly sinceMs: number;

  constructor(private readonly now: () => number) {
    this.sinceMs = now();
  }

  record(tenant: string, model: string, chip: string, promptTokens: number, completionTokens: number, ok: boolean): void {
    const k = `${tenant}\u0000${model}\u0000${chip}`;
    let row = this.rows.get(k);
    if (!row) {
      row = { tenant, model, chip, requests: 0, errors: 0, promptTokens: 0, completionTokens: 0 };
      this.rows.set(k, row);
    }
    row.requests += 1;
    if (!ok) row.errors += 1;
    row.promptTokens += promptTokens;
    row.completionTokens += completionTokens;
  }

  /** `replicasPerChip`: how many replicas (cards) each chip contributes, for the cost side. */
  report(replicasPerChip: ReadonlyMap<string, number>, pricesCnyPerHour: Readonly<Record<string, number>>): UsageReport {
    const until = this.now();
    const hours = Math.max(0, until - this.sinceMs) / 3_600_000;
    const tokensByChip = new Map<string, number>();
    for (const r of this.rows.values()) tokensByChip.set(r.chip, (tokensByChip.get(r.chip) ?? 0) + r.promptTokens + r.completionTokens);
    const chips = [...new Set([...replicasPerChip.keys(), ...tokensByChip.keys()])].sort().map((chip): ChipCost => {
      const replicas = replicasPerChip.get(chip) ?? 0;
      const tokens = tokensByChip.get(chip) ?? 0;
      const price = pricesCnyPerHour[chip];
      const priceCnyPerHour = price === undefined ? null : price;
      const cnyPerMillionTokens = priceCnyPerHour === null || tokens === 0 ? null : round((priceCnyPerHour * replicas * hours) / (tokens / 1e6), 4);
      return { chip, replicas, tokens, priceCnyPerHour, cnyPerMillionTokens };
    });
    const rows = [...this.rows.values()].map((r) => ({ ...r })).sort((a, b) => a.tenant.localeCompare(b.tenant) || a.model.localeCompare(b.model) || a.chip.localeCompare(b.chip));
    return { sinceMs: this.sinceMs, untilMs: until, rows, chips };
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
