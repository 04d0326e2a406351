import { describe, expect, it } from 'vitest';
import { readFixture, smiFixtures, toolOfFixture } from '../testing/fixtures.js';
import { detectTool } from './registry.js';

describe('detectTool', () => {
  it.each(smiFixtures())('recognises the tool of %s', (file) => {
    expect(detectTool(readFixture(file))).toBe(toolOfFixture(file));
  });

  it('returns null for text no tool prints', () => {
    expect(detectTool('hello world\n1 2 3')).toBeNull();
  });
});
