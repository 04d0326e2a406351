import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { DEFAULT_MIX, parseAdaptdlWorkload, parseGavelThroughputs, parseGavelTrace, parseJsonlTrace, parseOpenbPods, rateForLoad, syntheticDuration, syntheticJobs, type ClassThroughputFn } from './index.js';

const shared = process.env.TESSERA_SHARED_DIR ?? resolve(__dirname, '../../../../shared');
const data = (...p: string[]): string => readFileSync(join(shared, 'data', ...p), 'utf8');
/** The header and the first `n` records of a shared file, plus extra lines. */
const excerpt = (text: string, n: number, ...extra: string[]): string => [...text.split('\n').slice(0, n + 1), ...extra].join('\n');

const issuesOf = (f: () => unknown): ValidationError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
};

describe('Gavel', () => {
  const t = parseGavelThroughputs(data('gavel', 'simulation_throughputs.json'), 'simulation_throughputs.json');
  const trace = data('gavel', 'traces', 'msr-seed0', '0e4a51.trace');

  it('reads the throughput matrix', () => {
    expect(t.workerTypes).toEqual(['k80', 'p100', 'v100']);
    // 26 job types at scale factor 1, plus the distributed ones at 2, 4, 8.
    expect([...t.byJob.keys()].filter((k) => k.endsWith('|1'))).toHaveLength(26);
    const r = t.byJob.get('ResNet-18 (batch size 16)|1');
    expect(r?.[0]).toBeCloseTo(4.795294551566172, 12);
  });

  it('reads trace lines and reports a malformed one with file:line', () => {
    const text = excerpt(trace, 4, 'ResNet-50 (batch size 64)\tcmd\t--num_steps\t1\tmany\t7.0\t1');
    const e = issuesOf(() => parseGavelTrace(text, { file: 'x.trace' }));
    expect(e.message).toBe('x.trace:6, field totalSteps: total steps must be a number > 0, got "many"');
    const ok = parseGavelTrace(text, { file: 'x.trace', skipBad: true });
    expect(ok.skipped).toBe(1);
    expect(ok.jobs[0]).toMatchObject({ jobType: 'Transformer (batch size 128)', scaleFactor: 1, totalSteps: 95121, arrivalSec: 0 });
  });

  it('refuses unmeasured scale factors unless asked to run them on one GPU', () => {
    const line = trace.split('\n').find((l) => l.startsWith('Recommendation') && l.endsWith('\t4')) as string;
    expect(() => parseGavelTrace(line, { file: 'y', throughputs: t })).toThrow(/no measured throughput/);
    const r = parseGavelTrace(line, { file: 'y', throughputs: t, unmeasuredScaleFactor: 'single-gpu' });
    expect(r.downscaled).toBe(1);
    expect(r.jobs[0]?.scaleFactor).toBe(1);
  });
});

describe('openb', () => {
  const pods = data('openb', 'openb_pod_list_default.csv');
  it('turns pods into jobs with shares, specs and run times', () => {
    const r = parseOpenbPods(excerpt(pods, 50), { file: 'pods.csv' });
    expect(r.jobs).toHaveLength(50);
    const first = r.jobs.find((j) => j.id === 'openb-pod-0001');
    // openb-pod-0001: 1 GPU at 460 milli, created 427061, deleted 12902960.
    expect(first).toMatchObject({ cards: 1, milliPerCard: 460, submitTimeSec: 427061, durationSec: 12902960 - 427061, chips: { kind: 'any' } });
  });

  it('maps gpu_spec and flags bad lines', () => {
    const text = excerpt(pods, 0, 'p1,1000,1024,2,1000,V100M16|V100M32,LS,Running,5,10,5', 'p2,1000,1024,1,1500,,LS,Running,5,10,5', 'p3,1000,1024,1,1000,H999,LS,Running,5,10,5');
    const e = issuesOf(() => parseOpenbPods(text, { file: 'p.csv' }));
    expect(e.issues.map((i) => `${i.line}:${i.path}`)).toEqual(['3:gpu_milli', '4:gpu_spec']);
    const r = parseOpenbPods(text, { file: 'p.csv', skipBad: true });
    expect(r.jobs[0]?.chips).toEqual({ kind: 'any-of', chips: ['nvidia-v100-16g', 'nvidia-v100-32g'] });
    expect(r.skipped).toBe(2);
  });
});

describe('Sia and Pollux workloads', () => {
  it('reads a Sia workload as gang jobs without run times', () => {
    const r = parseAdaptdlWorkload(excerpt(data('sia', 'workloads', 'philly', 'workload-1.csv'), 3), { file: 'w.csv', source: 'sia' });
    expect(r.jobs[0]).toMatchObject({ id: 'cifar10-0', submitTimeSec: 107, cards: 6, gang: true, workloadClass: 'cifar10' });
    expect(r.jobs[0]?.durationSec).toBeUndefined();
  });

  it('reads a Pollux workload and reports a bad replica count', () => {
    const text = excerpt(data('pollux', 'workloads', 'workload-1.csv'), 2, 'bad-1,300,ncf,zero,32');
    expect(() => parseAdaptdlWorkload(text, { file: 'w.csv', source: 'pollux' })).toThrow('w.csv:4, field num_replicas: num_replicas must be an integer >= 1, got "zero"');
    expect(parseAdaptdlWorkload(text, { file: 'w.csv', source: 'pollux', skipBad: true, durationSec: 60 }).jobs.map((j) => j.durationSec)).toEqual([60, 60]);
  });
});

describe('native JSONL', () => {
  it('reads jobs, normalises chip requests and sorts by submission', () => {
    const text = [
      '{"id":"b","submitTimeSec":5,"cards":2,"chips":["nvidia-h20","thead-ppu"],"durationSec":10}',
      '# a comment',
      '{"id":"a","submitTimeSec":1,"cards":1,"milliPerCard":500,"chips":{"stacks":["cann"]},"durationSec":3}',
    ].join('\n');
    const r = parseJsonlTrace(text, { file: 't.jsonl' });
    expect(r.jobs.map((j) => j.id)).toEqual(['a', 'b']);
    expect(r.jobs[0]?.chips).toEqual({ kind: 'any-stack', stacks: ['cann'] });
    expect(r.jobs[1]).toMatchObject({ chips: { kind: 'any-of', chips: ['nvidia-h20', 'thead-ppu'] }, tenant: 'default', milliPerCard: 1000, gang: false });
  });

  it('names the line and field of each bad line, and counts them', () => {
    const text = ['{"id":"a","submitTimeSec":-1,"cards":1}', 'not json', '{"id":"c","submitTimeSec":1,"cards":2,"milliPerCard":300}', '{"id":"d","submitTimeSec":1,"cards":1,"colour":"red"}'].join('\n');
    const e = issuesOf(() => parseJsonlTrace(text, { file: 't.jsonl' }));
    expect(e.message).toMatch(/JSONL trace t.jsonl has 4 malformed lines/);
    expect(e.issues.map((i) => `${i.file}:${i.line}:${i.path}`)).toEqual(['t.jsonl:1:/submitTimeSec', 't.jsonl:2:', 't.jsonl:3:/milliPerCard', 't.jsonl:4:/colour']);
    expect(parseJsonlTrace(text, { file: 't.jsonl', skipBad: true }).skipped).toBe(4);
  });
});

describe('synthetic mix', () => {
  const fleet = { cardsByChip: { fast: 64, slow: 64, tiny: 8 }, vendorOf: { fast: 'v1', slow: 'v2', tiny: 'v2' }, maxNodeCardsByChip: { fast: 8, slow: 8, tiny: 8 } };
  // fast runs every class at 2x slow; tiny cannot run the 70B classes.
  const tput: ClassThroughputFn = (cls, chip) => (chip === 'tiny' && cls.includes('70b') ? null : chip === 'fast' ? 200 : 100);
  const opts = { count: 300, seed: 3, jobsPerHour: 10, referenceChip: 'slow' } as const;

  it('is reproducible from the seed and streams in submission order', () => {
    const a = [...syntheticJobs(fleet, tput, { ...opts, mode: 'choose' })];
    const b = [...syntheticJobs(fleet, tput, { ...opts, mode: 'choose' })];
    expect(a).toEqual(b);
    expect(a).toHaveLength(300);
    for (let i = 1; i < a.length; i++) expect((a[i]?.submitTimeSec as number) >= (a[i - 1]?.submitTimeSec as number)).toBe(true);
    expect(new Set(a.map((j) => j.kind))).toEqual(new Set(['pretrain', 'finetune', 'inference']));
  });

  it('pins each job to one vendor in vendor mode, same jobs otherwise', () => {
    const c = [...syntheticJobs(fleet, tput, { ...opts, mode: 'choose' })];
    const v = [...syntheticJobs(fleet, tput, { ...opts, mode: 'vendor' })];
    expect(v.map((j) => j.workTokens)).toEqual(c.map((j) => j.workTokens));
    for (const j of v) {
      const chips = j.chips.kind === 'pinned' ? [j.chips.chip] : j.chips.kind === 'any-of' ? j.chips.chips : [];
      expect(new Set(chips.map((x) => fleet.vendorOf[x as keyof typeof fleet.vendorOf])).size).toBe(1);
    }
  });

  it('derives run time from work and chip throughput', () => {
    const [j] = [...syntheticJobs(fleet, tput, { ...opts, count: 1, mode: 'choose' })];
    const d = syntheticDuration(tput);
    // Same work: twice as fast on `fast`; twice the cards halves it again.
    const slow = d(j!, 'slow', j!.cards) as number;
    expect(d(j!, 'fast', j!.cards)).toBeCloseTo(slow / 2, 9);
    expect(d(j!, 'fast', 2 * j!.cards)).toBeCloseTo(slow / 4, 9);
  });

  it('computes the arrival rate for a target load', () => {
    // Mean reference card-hours per job from the default mix; 0.5 load of 136 cards.
    const rate = rateForLoad(fleet, tput, { referenceChip: 'slow' }, 0.5);
    const w = DEFAULT_MIX.reduce((s, k) => s + k.weight, 0);
    const ch = DEFAULT_MIX.reduce((s, k) => s + (k.weight / w) * k.cards * ((k.refHours[1] - k.refHours[0]) / Math.log(k.refHours[1] / k.refHours[0])), 0);
    expect(rate).toBeCloseTo((0.5 * 136) / ch, 9);
  });
});
