import { describe, expect, it } from 'vitest';
import { schedule, seededRng, type SchedNode } from '../../sched/index.js';
import { simulate, type SimJob } from '../core/index.js';
import { barChart, lineChart, metricRows, renderReport } from './index.js';

const node = (id: string, chip: string, cards: number): SchedNode => ({ id, chip, cluster: 'c', rack: 'r', linkDomainSize: cards, cards, freeMilli: new Array<number>(cards).fill(1000), schedulable: true });
const jobs: SimJob[] = Array.from({ length: 20 }, (_, i) => ({ id: `j${i}`, tenant: i % 2 ? 'a' : 'b', queue: 'q', priority: 0, submitTimeSec: i * 600, cards: 1 + (i % 3), milliPerCard: 1000, gang: false, chips: { kind: 'any' }, durationSec: 3600 }));
const result = simulate({ nodes: [node('n1', 'x', 4), node('n2', 'y', 4)], jobs, schedule, ctx: { profile: 'best-fit', rng: seededRng(1) } });

describe('HTML report', () => {
  it('is one self-contained page with the metrics and inline SVG charts', () => {
    const html = renderReport([{ label: 'best-fit <b>', result }], { title: 'T & T', inputs: [['fleet', 'two nodes']], notes: ['a note'] });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>T &amp; T</title>');
    expect(html).toContain('best-fit &lt;b&gt;');
    expect(html).not.toContain('<b>');
    expect(html.match(/<svg /g)?.length).toBe(6);
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('prints the same metric rows the CLI table uses', () => {
    const rows = metricRows([{ label: 'x', result }]);
    expect(rows.find((r) => r[0] === 'jobs completed')?.[1]).toBe('20 / 20');
  });

  it('scales charts to their data', () => {
    const svg = lineChart('t', [{ label: 's', points: [[0, 0], [10, 5]] }], { xLabel: 'x', yLabel: 'y' });
    // The last point sits at the right edge (640 - 16) and the top (28).
    expect(svg).toContain('L624.0,28.0');
    expect(barChart('b', ['c1'], [{ label: 'g', values: [2] }], { yLabel: 'y', yMax: 4 })).toContain('<title>g c1: 2.0</title>');
  });
});
