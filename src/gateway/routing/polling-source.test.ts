import { describe, expect, it } from 'vitest';
import type { ReplicaSpec } from '../config/schema.js';
import { PollingReplicaSource, replicasFromEndpoints, type ControlPlaneEndpoint } from './polling-source.js';

const ep = (jobId: string, chip: string | null, port: number): ControlPlaneEndpoint => ({ jobId, serviceId: 'svc-1', tenant: 't1', model: 'm', chip, url: `http://127.0.0.1:${port}`, simulated: true });

describe('PollingReplicaSource', () => {
  it('tells listeners when replicas appear, move or disappear, and only then', async () => {
    let endpoints = [ep('a', 'nvidia-h20', 1), ep('b', 'nvidia-l20', 2)];
    const src = new PollingReplicaSource(async () => replicasFromEndpoints(endpoints), { intervalMs: 1000 });
    const seen: string[][] = [];
    src.subscribe((r) => seen.push(r.map((x) => `${x.id}@${x.url}`)));
    await src.refresh();
    await src.refresh();
    expect(seen).toEqual([['a@http://127.0.0.1:1', 'b@http://127.0.0.1:2']]);
    endpoints = [ep('b', 'nvidia-l20', 3)];
    await src.refresh();
    expect(seen.at(-1)).toEqual(['b@http://127.0.0.1:3']);
    expect(src.current().map((r) => r.chip)).toEqual(['nvidia-l20']);
  });

  it('keeps the last set when a poll fails, and reports the failure', async () => {
    let fail = false;
    const errors: unknown[] = [];
    const src = new PollingReplicaSource(
      async () => {
        if (fail) throw new Error('control plane down');
        return replicasFromEndpoints([ep('a', 'nvidia-h20', 1)]);
      },
      { intervalMs: 1000, onError: (e) => errors.push(e) },
    );
    await src.refresh();
    fail = true;
    await src.refresh();
    expect(src.current().map((r) => r.id)).toEqual(['a']);
    expect(errors).toHaveLength(1);
  });

  it('skips endpoints whose chip is not known yet and lets a completer fill predictions', () => {
    const filled = replicasFromEndpoints([ep('a', null, 1), ep('b', 'nvidia-h20', 2)], (r): ReplicaSpec => ({ ...r, maxBatch: 64 }));
    expect(filled).toEqual([{ id: 'b', model: 'm', chip: 'nvidia-h20', url: 'http://127.0.0.1:2', service: 'svc-1', maxBatch: 64 }]);
    // Scoped to tenants (the embedded gateway, whose keys are the control plane's tokens).
    expect(replicasFromEndpoints([ep('b', 'nvidia-h20', 2)], undefined, { tenantScoped: true })[0]).toMatchObject({ service: 'svc-1', tenant: 't1' });
  });
});
