import { describe, expect, it } from 'vitest';
import { memoryIo } from './io.js';
import { runCli } from './main.js';

const base = ['plan', 'serving', '--model', 'llama-3.1-8b', '--slo', 'ttft=2000,tpot=60'];

describe('tessera plan serving', () => {
  it('prints the cheapest mix next to the best single type, in JSON too', async () => {
    const io = memoryIo();
    const code = await runCli([...base, '--traffic', 'rate=40,mix=512:128:0.8+4096:512:0.2', '--chips', 'nvidia-a100,nvidia-l40s,nvidia-h100', '--price', 'nvidia-a100=3.99', '--price', 'nvidia-l40s=2.15', '--price', 'nvidia-h100=5.99', '--json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const plan = JSON.parse(io.out()) as { mix: { costCnyPerHour: number } | null; bestSingle: { costCnyPerHour: number } | null; buckets: unknown[] };
    expect(plan.buckets).toHaveLength(2);
    expect(plan.mix).not.toBeNull();
    expect(plan.bestSingle).not.toBeNull();
    // The mix may use any single type, so it never costs more than the best one.
    expect(plan.mix!.costCnyPerHour).toBeLessThanOrEqual(plan.bestSingle!.costCnyPerHour);
  });

  it('says which chips have no price instead of inventing one', async () => {
    const io = memoryIo();
    const code = await runCli([...base, '--traffic', 'rate=5,in=512,out=128', '--chips', 'nvidia-a100,nvidia-l40s', '--price', 'nvidia-a100=3.99'], io);
    expect(code).toBe(0);
    expect(io.out()).toContain('left out nvidia-l40s: price unknown; pass --price nvidia-l40s=<CNY per card-hour>');
  });

  it('reads the Splitwise trace and rejects malformed options in one sentence', async () => {
    const io = memoryIo();
    expect(await runCli([...base, '--traffic', 'splitwise:conv', '--chips', 'nvidia-a100', '--price', 'nvidia-a100=3.99', '--json'], io)).toBe(0);
    expect((JSON.parse(io.out()) as { buckets: unknown[] }).buckets.length).toBeGreaterThan(5);
    const bad = memoryIo();
    expect(await runCli([...base.slice(0, -2), '--slo', 'ttft=100', '--traffic', 'rate=1,in=1,out=1', '--chips', 'nvidia-a100'], bad)).toBe(1);
    expect(bad.err()).toBe("error: --slo needs both ttft and tpot in milliseconds, e.g. ttft=1000,tpot=50; got 'ttft=100'.\n");
  });
});
