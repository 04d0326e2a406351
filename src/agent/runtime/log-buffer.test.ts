import { describe, expect, it } from 'vitest';
import { LogBuffer, MAX_CHUNK_CHARS } from './log-buffer.js';

const CAP = MAX_CHUNK_CHARS * 4;

describe('LogBuffer', () => {
  it('splits long output into protocol-sized chunks and keeps order', () => {
    const b = new LogBuffer(CAP);
    b.push('stdout', 'a'.repeat(MAX_CHUNK_CHARS + 10), 0, MAX_CHUNK_CHARS + 10);
    b.push('stderr', 'oops\n', 0, 5);
    const batch = b.peek(10);
    expect(batch.map((c) => [c.stream, c.text.length])).toEqual([
      ['stdout', MAX_CHUNK_CHARS],
      ['stdout', 10],
      ['stderr', 5],
    ]);
    // Only the last part of a read carries its end offset, so a resume never skips bytes.
    expect(batch[0]!.toOffset).toBe(0);
    expect(batch[1]!.toOffset).toBe(MAX_CHUNK_CHARS + 10);
  });

  it('drops the oldest chunks when full, counts them, and says so before the survivors', () => {
    const b = new LogBuffer(CAP);
    const line = 'x'.repeat(MAX_CHUNK_CHARS);
    for (let i = 0; i < 10; i++) b.push('stdout', line, i * MAX_CHUNK_CHARS, (i + 1) * MAX_CHUNK_CHARS);
    expect(b.queuedBytes).toBeLessThanOrEqual(CAP);
    expect(b.dropped).toEqual({ chunks: 6, bytes: 6 * MAX_CHUNK_CHARS });
    const batch = b.peek(100);
    expect(batch[0]!.text).toContain(`${6 * MAX_CHUNK_CHARS} bytes of output dropped`);
    expect(batch).toHaveLength(5);
    // Dropped output counts as delivered: a restarted agent does not read it again.
    expect(b.delivered().stdout).toBe(6 * MAX_CHUNK_CHARS);
    b.commit(batch);
    expect(b.size).toBe(0);
    expect(b.peek(10)).toEqual([]);
    expect(b.delivered().stdout).toBe(10 * MAX_CHUNK_CHARS);
  });

  it('counts output skipped before it was read, and moves the resume point past it', () => {
    const b = new LogBuffer(CAP);
    b.noteDropped('stderr', 5000, 7000);
    b.push('stderr', 'tail\n', 7000, 7005);
    const batch = b.peek(10);
    expect(batch[0]!.text).toContain('5000 bytes of output dropped');
    expect(batch[1]!.text).toBe('tail\n');
    b.commit(batch);
    expect(b.delivered().stderr).toBe(7005);
    expect(b.peek(10)).toEqual([]);
  });

  it('commits only what was sent when chunks were dropped while a batch was in flight', () => {
    const b = new LogBuffer(CAP);
    const line = 'y'.repeat(MAX_CHUNK_CHARS);
    b.push('stdout', line, 0, 1);
    b.push('stdout', line, 1, 2);
    const inFlight = b.peek(1);
    for (let i = 2; i < 8; i++) b.push('stdout', `${i}`.repeat(MAX_CHUNK_CHARS), i, i + 1);
    b.commit(inFlight);
    // The four newest survive; the in-flight chunk had already been dropped, so nothing newer was lost by the commit.
    const rest = b.peek(100);
    expect(rest[0]!.marker).toBeDefined();
    expect(rest.slice(1).map((c) => c.text[0])).toEqual(['4', '5', '6', '7']);
  });

  it('keeps a batch within a JSON size budget (escaped text counts at its encoded length), at least one chunk', () => {
    const b = new LogBuffer(CAP);
    for (let i = 0; i < 3; i++) b.push('stdout', 'z'.repeat(1000), i * 1000, (i + 1) * 1000);
    expect(b.peek(10, 2100)).toHaveLength(2);
    expect(b.peek(10, 10)).toHaveLength(1);
    const q = new LogBuffer(CAP);
    q.push('stdout', '\u0001'.repeat(1000), 0, 1000);
    q.push('stdout', 'a', 1000, 1001);
    // 1000 control characters encode as 6000 characters of JSON.
    expect(q.peek(10, 5000)).toHaveLength(1);
  });

  it('refuses a capacity too small to hold a few chunks', () => {
    expect(() => new LogBuffer(100)).toThrow(RangeError);
  });
});
