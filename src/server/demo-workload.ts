/**
 * The demo's steady stream of work, so the console shows life: training, fine-tuning and batch
 * jobs from three tenants with every kind of chip request, plus two inference services. Jobs are
 * submitted through the store like any other; only their names say they are demo work.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Fleet } from '../fleet/index.js';
import { seededRng } from '../sched/index.js';
import type { Actor, Store } from '../store/index.js';
import { JobState, normalizeJobSpec, normalizeServiceSpec, type ChipRequest, type JobSpecInput } from '../workload/index.js';
import { replicaJobSpec } from './routes/services.js';

const tenants = [
  { id: 'research', name: 'Research (demo)' },
  { id: 'product', name: 'Product (demo)' },
  { id: 'platform', name: 'Platform (demo)' },
];
const models = ['qwen2.5-7b', 'llama-3.1-8b', 'deepseek-v2-lite', 'glm-4-9b', 'baichuan2-13b'];
const actor: Actor = { id: 'demo-workload', role: 'system' };

export class DemoWorkload {
  private readonly rng;
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;

  constructor(
    private readonly store: Store,
    private readonly fleet: Fleet,
    private readonly catalog: Catalog | null,
    private readonly o: { seed?: number; intervalMs?: number; maxWaiting?: number; onSubmit?: () => void; onError?: (e: unknown) => void } = {},
  ) {
    this.rng = seededRng(o.seed ?? 11);
  }

  async setup(): Promise<void> {
    for (const t of tenants) if (!(await this.store.getTenant(t.id))) await this.store.upsertTenant(t, actor);
    if ((await this.store.listServices()).length === 0) {
      const chips = this.fleetChips();
      for (const [i, model] of ['qwen2.5-7b', 'glm-4-9b'].entries()) {
        const spec = normalizeServiceSpec({ name: `${model}-chat`, model: { name: model }, replicas: 2, slo: { ttftMsP99: 800, tpotMsP99: 60 }, tenant: i === 0 ? 'product' : 'platform', chips: { kind: 'any-of', chips: chips.slice(0, 3) } });
        await this.store.createService(spec, actor, (r) => replicaJobSpec(spec, r));
      }
    }
  }

  start(): void {
    this.timer = setInterval(() => void this.tick().catch((e: unknown) => this.o.onError?.(e)), this.o.intervalMs ?? 3000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private fleetChips(): string[] {
    return [...new Set(this.fleet.nodes.map((n) => n.chip))].sort();
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.min(xs.length - 1, Math.floor(this.rng.next() * xs.length))]!;
  }

  /** Submits one job unless the queue is already long. */
  async tick(): Promise<void> {
    const waiting = await this.store.listJobs({ states: [JobState.pending, JobState.admitted], limit: 1, offset: 0 });
    if (waiting.total >= (this.o.maxWaiting ?? 40)) return;
    const chips = this.fleetChips();
    const kind = this.pick(['training', 'finetune', 'finetune', 'batch', 'batch', 'batch'] as const);
    const count = kind === 'training' ? this.pick([8, 8, 16]) : kind === 'finetune' ? this.pick([1, 2, 4, 8]) : 1;
    const fractional = kind === 'batch' && this.rng.next() < 0.4;
    const stacks = [...new Set(chips.map((c) => this.catalog?.tryResolve(c)?.software.stack).filter((s): s is NonNullable<typeof s> => s !== undefined && s !== 'unknown'))];
    const request: ChipRequest = this.pick<ChipRequest>([
      { kind: 'any' },
      { kind: 'pinned', chip: this.pick(chips) },
      { kind: 'any-of', chips: [this.pick(chips), this.pick(chips)].filter((c, i, a) => a.indexOf(c) === i) },
      ...(stacks.length > 0 ? [{ kind: 'any-stack', stacks: [this.pick(stacks)] } as ChipRequest] : []),
    ]);
    const model = this.pick(models);
    const n = ++this.seq;
    const input: JobSpecInput = {
      name: `demo-${kind}-${model}-${n}`,
      kind,
      command: kind === 'batch' ? ['python', 'eval.py', '--model', model] : ['torchrun', 'train.py', '--model', model],
      resources: { count, ...(fractional ? { milliPerCard: this.pick([250, 500]) } : {}), chips: request },
      tenant: this.pick(tenants).id,
      priority: kind === 'training' ? 10 : kind === 'finetune' ? 5 : 0,
      model: { name: model },
      labels: { demo: 'true' },
    };
    await this.store.submitJob(normalizeJobSpec(input), { actor });
    this.o.onSubmit?.();
  }
}
