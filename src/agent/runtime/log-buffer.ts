/**
 * A bounded queue of log chunks waiting to go to the control plane. Pushing never blocks and
 * never fails: when the queue is over its byte budget the oldest chunks are dropped and counted,
 * and a marker line saying how much was dropped goes out before the next chunk that survives.
 * The child writes to files (see process-runner.ts), so a slow or absent control plane can never
 * stall it; this queue only bounds the agent's memory.
 */
export type LogStream = 'stdout' | 'stderr';

export interface QueuedChunk {
  stream: LogStream;
  text: string;
  /** Byte range of the child's log file this chunk came from (markers: an empty range). */
  fromOffset: number;
  toOffset: number;
  /** Set on a drop marker: the drops it reports. */
  marker?: DropCounter;
}

export interface DropCounter {
  chunks: number;
  bytes: number;
}

/** Largest text one chunk carries (the protocol allows 65,536 characters). */
export const MAX_CHUNK_CHARS = 16 * 1024;

export class LogBuffer {
  private readonly queue: QueuedChunk[] = [];
  private bytes = 0;
  /** Dropped since the last marker went out. */
  private pendingDrop: DropCounter = { chunks: 0, bytes: 0 };
  /** Dropped over the buffer's life. */
  readonly dropped: DropCounter = { chunks: 0, bytes: 0 };
  /** Highest file offset per stream whose bytes were sent or dropped (resume point after a restart). */
  private readonly done: Record<LogStream, number> = { stdout: 0, stderr: 0 };

  constructor(readonly capacityBytes: number) {
    if (!Number.isInteger(capacityBytes) || capacityBytes < MAX_CHUNK_CHARS * 4) throw new RangeError(`log buffer capacity must be at least ${MAX_CHUNK_CHARS * 4} bytes`);
  }

  get size(): number {
    return this.queue.length;
  }

  get queuedBytes(): number {
    return this.bytes;
  }

  /** Splits `text` into chunks no larger than MAX_CHUNK_CHARS and queues them, dropping the oldest when full. */
  push(stream: LogStream, text: string, fromOffset: number, toOffset: number): void {
    if (text === '') return;
    const parts = Math.ceil(text.length / MAX_CHUNK_CHARS);
    for (let i = 0; i < parts; i++) {
      const part = text.slice(i * MAX_CHUNK_CHARS, (i + 1) * MAX_CHUNK_CHARS);
      // Offsets are file bytes; only the last part carries the end so a resume never skips bytes.
      this.queue.push({ stream, text: part, fromOffset, toOffset: i === parts - 1 ? toOffset : fromOffset });
      this.bytes += Buffer.byteLength(part);
    }
    while (this.bytes > this.capacityBytes && this.queue.length > 1) {
      const old = this.queue.shift()!;
      const n = Buffer.byteLength(old.text);
      this.bytes -= n;
      this.pendingDrop.chunks++;
      this.pendingDrop.bytes += n;
      this.dropped.chunks++;
      this.dropped.bytes += n;
      this.done[old.stream] = Math.max(this.done[old.stream], old.toOffset);
    }
  }

  /** Counts output skipped before it was read (the file backlog was over its cap). */
  noteDropped(stream: LogStream, bytes: number, toOffset: number): void {
    if (bytes <= 0) return;
    this.pendingDrop.bytes += bytes;
    this.dropped.bytes += bytes;
    this.done[stream] = Math.max(this.done[stream], toOffset);
  }

  /**
   * Up to `max` chunks to send next, oldest first, preceded by a drop marker when chunks were
   * dropped since the last batch, within `maxJsonChars` of JSON-encoded text (the control plane
   * limits request bodies; escaping can make text several times longer). At least one chunk.
   * Call `commit(batch)` once the server stored them.
   */
  peek(max: number, maxJsonChars = Number.POSITIVE_INFINITY): QueuedChunk[] {
    const out: QueuedChunk[] = [];
    if (this.pendingDrop.bytes > 0) {
      const first = this.queue[0];
      out.push({
        stream: 'stderr',
        text: `[tessera agent] ${this.pendingDrop.bytes} bytes of output dropped: the control plane was slow or unreachable and the node's log backlog was full\n`,
        fromOffset: first?.fromOffset ?? 0,
        toOffset: first?.fromOffset ?? 0,
        marker: { ...this.pendingDrop },
      });
    }
    let size = out.reduce((n, c) => n + JSON.stringify(c.text).length, 0);
    for (const c of this.queue) {
      if (out.length >= max) break;
      const n = JSON.stringify(c.text).length;
      if (out.length > 0 && size + n > maxJsonChars) break;
      out.push(c);
      size += n;
    }
    return out;
  }

  /**
   * Removes the chunks of a batch `peek` returned once the server stored them. Chunks dropped
   * while the batch was in flight are simply gone; a marker subtracts only the drops it reported.
   */
  commit(batch: readonly QueuedChunk[]): void {
    for (const c of batch) {
      if (c.marker) {
        this.pendingDrop = { chunks: Math.max(0, this.pendingDrop.chunks - c.marker.chunks), bytes: Math.max(0, this.pendingDrop.bytes - c.marker.bytes) };
        continue;
      }
      const i = this.queue.indexOf(c);
      if (i < 0) continue;
      this.queue.splice(i, 1);
      this.bytes -= Buffer.byteLength(c.text);
      this.done[c.stream] = Math.max(this.done[c.stream], c.toOffset);
    }
  }

  /** File offsets up to which output was delivered or dropped, per stream. */
  delivered(): Record<LogStream, number> {
    return { ...this.done };
  }

  /** Starts the resume points after a restart. */
  resumeAt(offsets: Record<LogStream, number>): void {
    this.done.stdout = offsets.stdout;
    this.done.stderr = offsets.stderr;
  }
}
