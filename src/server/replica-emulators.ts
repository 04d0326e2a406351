/**
 * Demo mode's inference engines: when a simulated agent starts an inference replica, an in-process
 * OpenAI-compatible emulator (src/gateway/emulator) starts for it, with timing from the performance
 * model for the replica's chip and model, and its URL is reported as the replica's endpoint,
 * marked simulated. The gateway then routes real HTTP requests to it like to any engine.
 */
import type { Catalog } from '../catalog/catalog.js';
import { perfTiming, startEmulator, type RunningEmulator } from '../gateway/emulator/index.js';
import type { Store } from '../store/index.js';
import { findModelPreset } from '../workload/models/index.js';

/** Lengths the emulated engines are sized for (the KV cache holds max batch x their sum). */
const TYPICAL = { inputTokens: 1000, outputTokens: 256 };

export interface ReplicaStart {
  jobId: string;
  attempt: number;
  model: string;
  chip: string;
  cards: number;
}

export class ReplicaEmulators {
  private readonly running = new Map<string, { attempt: number; emulator: RunningEmulator }>();

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog | null,
    private readonly host = '127.0.0.1',
  ) {}

  /** Starts the replica's emulator and reports its endpoint; returns a line for the replica's log. */
  async start(r: ReplicaStart): Promise<string> {
    const old = this.running.get(r.jobId);
    if (old && old.attempt === r.attempt) return `[simulated] emulator already at ${old.emulator.url}`;
    if (old) await this.stop(r.jobId);
    const chip = this.catalog?.tryResolve(r.chip);
    const model = findModelPreset(r.model);
    if (!chip || !model) return `[simulated] no emulator: ${!chip ? `chip ${r.chip} is not in the catalog` : `model ${r.model} is not known to the performance model`}`;
    let timing;
    try {
      timing = perfTiming(model, chip, { ...TYPICAL, tp: Math.max(1, r.cards) });
    } catch (e) {
      return `[simulated] no emulator: ${e instanceof Error ? e.message : String(e)}`;
    }
    const emulator = await startEmulator({ model: r.model, chip: chip.id, timing, host: this.host });
    this.running.set(r.jobId, { attempt: r.attempt, emulator });
    await this.store.setReplicaEndpoint(r.jobId, { attempt: r.attempt, url: emulator.url, simulated: true }, { id: 'simulated-agent', role: 'system' });
    return `[simulated] OpenAI-compatible emulator for ${r.model} on ${chip.id} at ${emulator.url} (${timing.source}, max batch ${timing.maxBatch})`;
  }

  has(jobId: string): boolean {
    return this.running.has(jobId);
  }

  url(jobId: string): string | null {
    return this.running.get(jobId)?.emulator.url ?? null;
  }

  /** Cuts every connection at once, as if the engine process died. */
  async kill(jobId: string): Promise<void> {
    const r = this.running.get(jobId);
    this.running.delete(jobId);
    await r?.emulator.kill();
  }

  async stop(jobId: string): Promise<void> {
    const r = this.running.get(jobId);
    this.running.delete(jobId);
    await r?.emulator.close();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.kill(id)));
  }
}
