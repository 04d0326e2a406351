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
  /** Tokens served since this gateway started. */
  tokens: number;
  /** Rent per card-hour from the gateway config; null when nobody gave a price. */
  priceCnyPerHour: number | null;
  /** Replica-hours since this gateway started times the price, over millions of tokens it served since; null when unknown or nothing served. */
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
  /** Tokens per chip since this ledger started (restored rows excluded): the cost side uses these. */
  private readonly sessionTokens = new Map<string, number>();
  private readonly sinceMs: number;
  /** Rows changed since the last `drain`, as deltas: what still has to be written to the store. */
  private readonly pending = new Map<string, UsageRow>();

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
    const d = this.pending.get(k) ?? { tenant, model, chip, requests: 0, errors: 0, promptTokens: 0, completionTokens: 0 };
    d.requests += 1;
    if (!ok) d.errors += 1;
    d.promptTokens += promptTokens;
    d.completionTokens += completionTokens;
    this.pending.set(k, d);
    this.sessionTokens.set(chip, (this.sessionTokens.get(chip) ?? 0) + promptTokens + completionTokens);
  }

  /** The counts added since the previous drain (and forgets them): a store adds these to its totals. */
  drain(): UsageRow[] {
    const out = [...this.pending.values()];
    this.pending.clear();
    return out;
  }

  /** Puts back deltas a failed write could not store, so the next drain carries them. */
  undrain(rows: readonly UsageRow[]): void {
    for (const r of rows) {
      const k = `${r.tenant}\u0000${r.model}\u0000${r.chip}`;
      const d = this.pending.get(k) ?? { tenant: r.tenant, model: r.model, chip: r.chip, requests: 0, errors: 0, promptTokens: 0, completionTokens: 0 };
      d.requests += r.requests;
      d.errors += r.errors;
      d.promptTokens += r.promptTokens;
      d.completionTokens += r.completionTokens;
      this.pending.set(k, d);
    }
  }

  /** Adds rows saved by an earlier run, so totals survive restarts. */
  restore(rows: readonly UsageRow[]): void {
    for (const r of rows) {
      const k = `${r.tenant}\u0000${r.model}\u0000${r.chip}`;
      const row = this.rows.get(k) ?? { tenant: r.tenant, model: r.model, chip: r.chip, requests: 0, errors: 0, promptTokens: 0, completionTokens: 0 };
      row.requests += r.requests;
      row.errors += r.errors;
      row.promptTokens += r.promptTokens;
      row.completionTokens += r.completionTokens;
      this.rows.set(k, row);
    }
  }

  /** `replicasPerChip`: how many replicas (cards) each chip contributes, for the cost side. */
  report(replicasPerChip: ReadonlyMap<string, number>, pricesCnyPerHour: Readonly<Record<string, number>>): UsageReport {
    const until = this.now();
    const hours = Math.max(0, until - this.sinceMs) / 3_600_000;
    const tokensByChip = this.sessionTokens;
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
