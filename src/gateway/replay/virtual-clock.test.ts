import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock.js';

describe('virtual clock', () => {
  it('runs events in time order, ties in scheduling order, and skips cancelled ones', () => {
    const c = new VirtualClock();
    const seen: string[] = [];
    c.after(30, () => seen.push(`c@${c.now}`));
    c.after(10, () => {
      seen.push(`a@${c.now}`);
      c.after(0, () => seen.push(`a2@${c.now}`));
      c.after(5, () => seen.push(`a3@${c.now}`));
    });
    c.after(10, () => seen.push(`b@${c.now}`));
    const dead = c.after(20, () => seen.push('never'));
    c.cancel(dead);
    c.after(-5, () => seen.push(`neg@${c.now}`));
    expect(c.run()).toBe(30);
    expect(seen).toEqual(['neg@0', 'a@10', 'b@10', 'a2@10', 'a3@15', 'c@30']);
  });

  it('orders many random events like a sort would', () => {
    const c = new VirtualClock();
    const at: number[] = [];
    let x = 7;
    for (let i = 0; i < 2000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const t = x % 1000;
      c.after(t, () => at.push(c.now));
    }
    c.run();
    expect(at).toHaveLength(2000);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });
});
