/**
 * Console simulations on a worker thread, one at a time, with a time limit. When the compiled
 * worker is not there (tests run the TypeScript sources), the run happens inline; tests keep runs tiny.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Catalog } from '../../catalog/catalog.js';
import { TesseraError } from '../../lib/errors.js';
import { runSimulation, type SimulateRequest } from './simulate.js';

const workerUrl = new URL('./simulate-worker.js', import.meta.url);
// Under a bundler's test environment (jsdom) module URLs are not files; run inline there.
const workerBuilt = workerUrl.protocol === 'file:' && existsSync(fileURLToPath(workerUrl));

export class SimulationRunner {
  private busy = false;

  constructor(
    private readonly catalog: Catalog,
    private readonly limitMs = 120_000,
    private readonly useWorker = workerBuilt,
  ) {}

  async run(req: SimulateRequest): Promise<ReturnType<typeof runSimulation>> {
    if (this.busy) throw new TesseraError('conflict', 'a simulation is already running on this control plane; try again when it finishes');
    this.busy = true;
    try {
      if (!this.useWorker) return runSimulation(req, this.catalog);
      return await new Promise((resolve, reject) => {
        const worker = new Worker(workerUrl, { workerData: req });
        const timer = setTimeout(() => {
          void worker.terminate();
          reject(new TesseraError('infeasible', `the simulation took longer than ${Math.round(this.limitMs / 1000)} s; run fewer jobs or a smaller fleet`));
        }, this.limitMs);
        worker.once('message', (m: { ok: true; result: ReturnType<typeof runSimulation> } | { ok: false; code: string; message: string }) => {
          clearTimeout(timer);
          void worker.terminate();
          if (m.ok) resolve(m.result);
          else reject(new TesseraError(m.code === 'invalid_input' || m.code === 'infeasible' ? m.code : 'infeasible', m.message));
        });
        worker.once('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      });
    } finally {
      this.busy = false;
    }
  }
}
