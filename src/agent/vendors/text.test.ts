import { describe, expect, it } from 'vitest';
import { assignTokens } from './box-table.js';
import { captureLines, mib, usage, valueTokens } from './text.js';

describe('text helpers', () => {
  it('parses the usage shapes the tools print', () => {
    expect(usage('0MiB / 143771MiB')).toEqual({ used: 0, total: 143771 });
    expect(usage('858/65536 MiB')).toEqual({ used: 858, total: 65536 });
    expect(usage('44302MiB(32768MiB)')).toEqual({ used: 44302, total: 32768 });
    expect(usage('2867 / 8192')).toEqual({ used: 2867, total: 8192 });
    expect(usage('0MiB/xxxxxMiB')).toEqual({ used: 0, total: null });
    expect(usage('N/A/N/A')).toEqual({ used: null, total: null });
    // 1.5 GiB = 1536 MiB
    expect(usage('512MiB / 1.5GiB')).toEqual({ used: 512, total: 1536 });
  });

  it('converts units and refuses garbage', () => {
    expect(mib('64 GB')).toBe(65536);
    expect(mib('2048 KiB')).toBe(2);
    expect(mib('-5 MiB')).toBeNull();
    expect(mib('[N/A]')).toBeNull();
    expect(mib('abc')).toBeNull();
  });

  it('joins units and slashed pairs into one token per column', () => {
    expect(valueTokens(' 0%   32C        106 W/ 250 W ')).toEqual(['0%', '32C', '106W/250W']);
    expect(valueTokens('N/A   28C    P0             77W /  700W')).toEqual(['N/A', '28C', 'P0', '77W/700W']);
    expect(valueTokens('0     /   MLU370-X8    v1.1.6')).toEqual(['0', '/', 'MLU370-X8', 'v1.1.6']);
  });

  it('gives extra words to the Name column and joins a split Usage/Cap pair', () => {
    expect([...assignTokens(['GPU', 'Name', 'Persistence-M'], ['0', 'NVIDIA', 'H100', '80GB', 'HBM3', 'On'])]).toEqual([
      ['GPU', '0'],
      ['Name', 'NVIDIA H100 80GB HBM3'],
      ['Persistence-M', 'On'],
    ]);
    expect(assignTokens(['TEMP', 'Dpm', 'Pwr(Usage/Cap)'], ['39C', 'Sleep', '105W', '300W']).get('Pwr(Usage/Cap)')).toBe('105W/300W');
  });

  it('drops the # SOURCE line, CR and colour codes', () => {
    expect(captureLines('# SOURCE: x\r\n\u001b[1mA\u001b[0m\r\nB')).toEqual(['A', 'B']);
  });
});
