import { describe, expect, it } from 'vitest';
import { parseSse } from './event-stream';

describe('parseSse', () => {
  it('splits complete messages, keeps the incomplete rest, skips comments and retry lines', () => {
    const { messages, rest } = parseSse('retry: 2000\n\n: keep-alive\n\nid: 7\nevent: job.state\ndata: {"id":7}\n\nid: 8\ndata: {"id"');
    expect(messages).toEqual([{ id: '7', event: 'job.state', data: '{"id":7}' }]);
    expect(rest).toBe('id: 8\ndata: {"id"');
  });
  it('joins multi-line data and accepts CRLF', () => {
    expect(parseSse('data: a\r\ndata: b\r\n\r\n').messages).toEqual([{ data: 'a\nb' }]);
  });
});
