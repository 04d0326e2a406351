import { StringDecoder } from 'node:string_decoder';

/**
 * Relays an SSE stream event by event: forwards every complete event as soon as it arrives
 * (nothing waits for more than the rest of its own event), picks the usage out of the final
 * chunk, and drops that usage chunk when the gateway asked for it on the client's behalf.
 */
export class SseRelay {
  private partial = '';
  /** Keeps a UTF-8 character split across two network chunks whole (CJK text is 3 bytes a character). */
  private readonly decoder = new StringDecoder('utf8');
  usage: { promptTokens: number; completionTokens: number } | null = null;
  /** Content chunks seen: the completion token count when the backend reports no usage. */
  chunks = 0;
  sawDone = false;

  constructor(private readonly dropUsageChunk: boolean) {}

  /** Returns the text to forward now (possibly empty). */
  push(chunk: Buffer): string {
    const s = this.partial + this.decoder.write(chunk);
    const end = s.lastIndexOf('\n\n');
    if (end < 0) {
      this.partial = s;
      return '';
    }
    this.partial = s.slice(end + 2);
    const complete = s.slice(0, end + 2);
    if (complete.indexOf('"usage"') < 0 && complete.indexOf('[DONE]') < 0) {
      this.chunks += countEvents(complete);
      return complete;
    }
    let out = '';
    for (const ev of complete.split('\n\n')) {
      if (ev === '') continue;
      const data = ev.startsWith('data: ') ? ev.slice(6) : ev;
      if (data === '[DONE]') {
        this.sawDone = true;
        out += `${ev}\n\n`;
        continue;
      }
      if (data.indexOf('"usage"') >= 0) {
        const u = parseUsage(data);
        if (u) {
          this.usage = u;
          if (this.dropUsageChunk && /"choices"\s*:\s*\[\s*\]/.test(data)) continue;
        }
      }
      this.chunks += 1;
      out += `${ev}\n\n`;
    }
    return out;
  }

  /** Whatever is left when the stream ends (an unterminated last event). */
  flush(): string {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest;
  }
}

function countEvents(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n\n'); i >= 0; i = s.indexOf('\n\n', i + 2)) n++;
  return n;
}

/** Reads `usage` from a response or chunk JSON; null when absent or malformed. */
export function parseUsage(json: string): { promptTokens: number; completionTokens: number } | null {
  try {
    const u = (JSON.parse(json) as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null }).usage;
    if (!u || typeof u.prompt_tokens !== 'number') return null;
    return { promptTokens: u.prompt_tokens, completionTokens: typeof u.completion_tokens === 'number' ? u.completion_tokens : 0 };
  } catch {
    return null;
  }
}
