import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog.js';
import type { ChipSpec } from '../catalog/types.js';
import { schedule } from './schedule.js';
import { seededRng } from '../lib/rng.js';
import { job, node } from './test-util/fixtures.js';
import type { Decision, SchedNode } from './types.js';

const snap = (nodes: SchedNode[]) => ({ nodes, running: [], nowSec: 0 });
const binds = (ds: Decision[]) => Object.fromEntries(ds.filter((d) => d.kind === 'bind').map((d) => [d.jobId, d.kind === 'bind' ? d.placements.map((p) => `${p.nodeId}:${p.devices.join('+')}@${p.milliPerDevice}`).join(' ') : '']));

describe('schedule: whole and multi-card jobs', () => {
  it('binds a 1-card job to the node best-fit prefers (the fuller one) and takes its lowest free card', () => {
    const nodes = [node('empty', 'x', 8), node('half', 'x', 8, { freeMilli: [0, 0, 0, 0, 1000, 1000, 1000, 1000] })];
    const r = schedule(snap(nodes), [job('j1')], { profile: 'best-fit', rng: seededRng(1) });
    expect(binds(r.decisions)).toEqual({ j1: 'half:4@1000' });
  });

  it('tries nominated jobs (they preempted for room earlier) before the queue order', () => {
    const nodes = [node('one', 'x', 1)];
    const queue = [job('high', { priority: 5 }), job('nominee', { priority: 0 })];
    expect(binds(schedule(snap(nodes), queue, { profile: 'default', rng: seededRng(1) }).decisions)).toEqual({ high: 'one:0@1000' });
    expect(binds(schedule({ ...snap(nodes), nominated: ['nominee', 'gone'] }, queue, { profile: 'default', rng: seededRng(1) }).decisions)).toEqual({ nominee: 'one:0@1000' });
  });

  it('puts several cards on one node and leaves a too-large non-gang job rejected with the reason', () => {
    const nodes = [node('a', 'x', 8), node('b', 'x', 4)];
    const r = schedule(snap(nodes), [job('four', { cards: 4 }), job('nine', { cards: 9 })], { profile: 'best-fit', rng: seededRng(1) });
    // best-fit: after placing 4 cards, node b (4 cards) is left with 0 free: the tighter fit.
    expect(binds(r.decisions)).toEqual({ four: 'b:0+1+2+3@1000' });
    const reject = r.decisions.find((d) => d.kind === 'reject');
    expect(reject).toMatchObject({ jobId: 'nine', reason: expect.stringContaining('largest node of an accepted chip has 8') });
  });

  it('leaves a job pending with per-plugin reasons when capacity is merely used', () => {
    const nodes = [node('a', 'x', 2, { freeMilli: [0, 1000] })];
    const r = schedule(snap(nodes), [job('two', { cards: 2 })], { profile: 'fgd', rng: seededRng(1) });
    expect(r.decisions).toEqual([]);
    expect(r.pending.two?.[0]?.plugin).toBe('card-fit');
  });
});

describe('schedule: fractional cards', () => {
  it('takes the card with the least free share that fits (best device)', () => {
    const nodes = [node('a', 'x', 4, { freeMilli: [1000, 600, 300, 250] })];
    const r = schedule(snap(nodes), [job('f', { milliPerCard: 280 })], { profile: 'best-fit', rng: seededRng(1) });
    expect(binds(r.decisions)).toEqual({ f: 'a:2@280' });
  });

  it('packs two fractional jobs on one card when they fit together', () => {
    const nodes = [node('a', 'x', 2)];
    const r = schedule(snap(nodes), [job('f1', { milliPerCard: 500 }), job('f2', { milliPerCard: 500 })], { profile: 'best-fit', rng: seededRng(1) });
    expect(binds(r.decisions)).toEqual({ f1: 'a:0@500', f2: 'a:0@500' });
  });
});

describe('schedule: gangs', () => {
  const rackNodes = (rack: string, n: number, cards: number) => Array.from({ length: n }, (_, i) => node(`${rack}-n${i}`, 'x', cards, { rack }));

  it('keeps a gang inside one rack and on the fewest nodes', () => {
    // r1 has 2 nodes x 8 = 16 free, r2 has 4 x 8 = 32 free; a 24-card gang fits only r2 (3 whole nodes).
    const nodes = [...rackNodes('r1', 2, 8), ...rackNodes('r2', 4, 8)];
    const r = schedule(snap(nodes), [job('g', { cards: 24, gang: true })], { profile: 'fgd', rng: seededRng(1) });
    const d = r.decisions[0];
    expect(d?.kind).toBe('bind');
    const placements = d?.kind === 'bind' ? d.placements : [];
    expect(placements.map((p) => p.nodeId).every((id) => id.startsWith('r2'))).toBe(true);
    expect(placements.map((p) => p.devices.length)).toEqual([8, 8, 8]);
  });

  it('prefers the rack that fits most tightly, keeping emptier racks whole', () => {
    const nodes = [...rackNodes('big', 4, 8), ...rackNodes('small', 2, 8)];
    const r = schedule(snap(nodes), [job('g', { cards: 16, gang: true })], { profile: 'best-fit', rng: seededRng(1) });
    const d = r.decisions[0];
    expect(d?.kind === 'bind' && d.placements.every((p) => p.nodeId.startsWith('small'))).toBe(true);
  });

  it('is all or nothing: a gang that cannot fully fit reserves nothing, and the next job still finds the cards', () => {
    const nodes = [node('a', 'x', 8), node('b', 'x', 8, { freeMilli: [1000, 1000, 1000, 0, 0, 0, 0, 0] })];
    const r = schedule(snap(nodes), [job('g', { cards: 12, gang: true, priority: 1 }), job('eleven', { cards: 8 }), job('three', { cards: 3 })], { profile: 'best-fit', rng: seededRng(1) });
    expect(r.pending.g?.[0]?.plugin).toBe('gang-topology');
    expect(binds(r.decisions)).toEqual({ eleven: 'a:0+1+2+3+4+5+6+7@1000', three: 'b:0+1+2@1000' });
  });

  it('never mixes chips inside one gang', () => {
    const nodes = [node('x1', 'x', 8), node('y1', 'y', 8)];
    const r = schedule(snap(nodes), [job('g', { cards: 16, gang: true })], { profile: 'best-fit', rng: seededRng(1) });
    expect(r.pending.g).toBeDefined();
  });
});

const chip = (id: string, stack: string, bf16: number | null): ChipSpec => ({
  id, vendor: 'nvidia', names: { en: id, zh: id }, aliases: [], memoryGiB: { value: null, confidence: 'unknown' }, memoryType: null,
  memBandwidthGBps: { value: null, confidence: 'unknown' },
  densePeak: {
    fp32Tflops: { value: null, confidence: 'unknown' }, tf32Tflops: { value: null, confidence: 'unknown' },
    bf16Tflops: bf16 === null ? { value: null, confidence: 'unknown' } : { value: bf16, source: 'test', confidence: 'datasheet' },
    fp16Tflops: { value: null, confidence: 'unknown' }, fp8Tflops: { value: null, confidence: 'unknown' }, int8Tops: { value: null, confidence: 'unknown' },
  },
  cardLink: { name: null, bandwidthGBps: { value: null, confidence: 'unknown' } }, hostLink: { name: null, bandwidthGBps: { value: null, confidence: 'unknown' } },
  tdpW: { value: null, confidence: 'unknown' }, formFactor: null, cardsPerServer: { value: null, confidence: 'unknown' },
  software: { stack: stack as ChipSpec['software']['stack'], smiTool: null, k8sResources: [], visibilityEnv: [], runtimeEnv: [], devicePaths: [] }, prices: [], notes: [],
});

describe('schedule: chip choice', () => {
  const catalog = new Catalog([chip('fast-cuda', 'cuda', 900), chip('slow-cuda', 'cuda', 100), chip('npu', 'cann', 300)]);
  const nodes = [node('s', 'slow-cuda', 8), node('f', 'fast-cuda', 8), node('n', 'npu', 8)];
  const run = (j: ReturnType<typeof job>, perf?: unknown) => schedule(snap(nodes), [j], { profile: 'default', rng: seededRng(1), catalog, perf }).decisions[0];

  it('honours a pinned chip', () => expect(run(job('p', { chips: { kind: 'pinned', chip: 'npu' } }))).toMatchObject({ kind: 'bind', chip: 'npu' }));
  it('picks the fastest of an any-of list by catalog peak', () => expect(run(job('l', { chips: { kind: 'any-of', chips: ['slow-cuda', 'npu'] } }))).toMatchObject({ chip: 'npu' }));
  it('picks among chips whose stack the job has an image for', () => expect(run(job('s', { chips: { kind: 'any-stack', stacks: ['cuda'] } }))).toMatchObject({ chip: 'fast-cuda' }));
  it('lets the perf function override catalog peaks', () => {
    const perf = (_j: unknown, c: string) => (c === 'npu' ? 10 : 1);
    expect(run(job('a'), perf)).toMatchObject({ chip: 'npu' });
  });
  it('rejects a pinned chip the fleet lacks, naming it', () => {
    expect(run(job('z', { chips: { kind: 'pinned', chip: 'nvidia-h200' } }))).toMatchObject({ kind: 'reject', reason: expect.stringContaining('nvidia-h200') });
  });
  it('rejects an any-stack job without a catalog instead of guessing', () => {
    const d = schedule(snap(nodes), [job('s', { chips: { kind: 'any-stack', stacks: ['cuda'] } })], { profile: 'default', rng: seededRng(1) }).decisions[0];
    expect(d).toMatchObject({ kind: 'reject', reason: expect.stringContaining('catalog') });
  });
});

describe('schedule: node resources and ordering', () => {
  it('filters on CPU and memory', () => {
    const nodes = [node('small', 'x', 8, { cpuMilliFree: 4000, memoryMiBFree: 1024 }), node('big', 'x', 8, { cpuMilliFree: 64000, memoryMiBFree: 65536 })];
    const r = schedule(snap(nodes), [job('j', { cpuMilli: 8000, memoryMiB: 2048 })], { profile: 'best-fit', rng: seededRng(1) });
    expect(binds(r.decisions)).toEqual({ j: 'big:0@1000' });
  });

  it('serves higher priority first', () => {
    const r = schedule(snap([node('a', 'x', 1)]), [job('low', { priority: 0 }), job('high', { priority: 5 })], { profile: 'best-fit', rng: seededRng(1) });
    expect(Object.keys(binds(r.decisions))).toEqual(['high']);
    expect(r.pending.low).toBeDefined();
  });

  it('rejects malformed requests', () => {
    const r = schedule(snap([node('a', 'x', 1)]), [job('bad', { milliPerCard: 1500 })], { profile: 'best-fit', rng: seededRng(1) });
    expect(r.decisions[0]).toMatchObject({ kind: 'reject', reason: expect.stringContaining('milliPerCard') });
  });

  it('skips unschedulable nodes', () => {
    const r = schedule(snap([node('cordoned', 'x', 8, { schedulable: false }), node('ok', 'x', 8)]), [job('j')], { profile: 'fgd', rng: seededRng(1) });
    expect(binds(r.decisions)).toEqual({ j: 'ok:0@1000' });
  });

  it('is deterministic from the seed (random profile)', () => {
    const nodes = Array.from({ length: 30 }, (_, i) => node(`n${i}`, 'x', 8));
    const queue = Array.from({ length: 40 }, (_, i) => job(`j${i}`, { milliPerCard: 300 + (i % 5) * 100 }));
    const a = schedule(snap(nodes), queue, { profile: 'random', rng: seededRng(7) });
    const b = schedule(snap(nodes), queue, { profile: 'random', rng: seededRng(7) });
    const c = schedule(snap(nodes), queue, { profile: 'random', rng: seededRng(8) });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});
