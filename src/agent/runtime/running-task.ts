import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { LogBuffer, type LogStream } from './log-buffer.js';
import { taskFiles, type TaskProcess } from './process-runner.js';
import type { TaskRecord } from './state-store.js';

/**
 * One task on this node as the run loop sees it: its persisted record, its process (absent once it
 * ended, or when it ended while no agent watched), and its output on the way to the control plane.
 *
 * The task writes to files, so nothing here can block it. The agent reads them only as fast as it
 * sends (while the buffer has room), so output is not lost while the control plane keeps up. Two
 * bounds hold when it does not: the unread part of a file (the backlog) is capped, and past the cap
 * the oldest unread bytes are skipped; the in-memory buffer drops its oldest chunks when full. Both
 * are counted and announced in the stream by a marker line.
 */
export interface OutputLimits {
  /** Bytes held in memory for the control plane. */
  bufferBytes: number;
  /** Unread bytes per stream left in the file before the oldest are skipped. */
  backlogBytes: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { bufferBytes: 4 * 1024 * 1024, backlogBytes: 64 * 1024 * 1024 };

export class RunningTask {
  readonly buffer: LogBuffer;
  proc: TaskProcess | null = null;
  /** The stop under way, so that repeated stop requests do not signal the task again. */
  stopping: Promise<void> | null = null;
  private readonly readAt: Record<LogStream, number>;
  private readonly size: Record<LogStream, number> = { stdout: 0, stderr: 0 };
  private readonly decoders: Record<LogStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private flushedDecoders = false;

  constructor(
    readonly rec: TaskRecord,
    private readonly limits: OutputLimits = DEFAULT_OUTPUT_LIMITS,
    /** Most bytes read from one stream per call, so one chatty task cannot hog the loop. */
    private readonly readSliceBytes = 1024 * 1024,
  ) {
    this.buffer = new LogBuffer(limits.bufferBytes);
    this.buffer.resumeAt(rec.logOffsets);
    this.readAt = { ...rec.logOffsets };
  }

  get key(): string {
    return `${this.rec.jobId}#${this.rec.attempt}`;
  }

  get live(): boolean {
    return this.rec.exit === null;
  }

  /**
   * Reads what the task wrote since the last call, as far as the buffer has room (skipping the
   * oldest unread bytes past the backlog cap); returns the bytes read.
   */
  tail(): number {
    const files = taskFiles(this.rec.dir);
    let total = 0;
    for (const stream of ['stdout', 'stderr'] as const) {
      let fd: number;
      try {
        fd = openSync(stream === 'stdout' ? files.stdout : files.stderr, 'r');
      } catch {
        continue;
      }
      try {
        this.size[stream] = fstatSync(fd).size;
        const backlog = this.size[stream] - this.readAt[stream];
        if (backlog > this.limits.backlogBytes) {
          const skipTo = this.size[stream] - this.limits.backlogBytes;
          this.buffer.noteDropped(stream, skipTo - this.readAt[stream], skipTo);
          this.readAt[stream] = skipTo;
          // The skip may land inside a character; start decoding afresh.
          this.decoders[stream] = new StringDecoder('utf8');
        }
        const buf = Buffer.alloc(Math.min(this.readSliceBytes, 256 * 1024));
        let budget = this.readSliceBytes;
        for (;;) {
          // Never read more than the buffer has room for: a full buffer would drop output the file still holds.
          const room = this.limits.bufferBytes - this.buffer.queuedBytes;
          if (budget <= 0 || room <= 0) break;
          const n = readSync(fd, buf, 0, Math.min(buf.length, budget, room), this.readAt[stream]);
          if (n <= 0) break;
          const from = this.readAt[stream];
          this.readAt[stream] += n;
          budget -= n;
          total += n;
          this.buffer.push(stream, this.decoders[stream].write(buf.subarray(0, n)), from, this.readAt[stream]);
        }
      } finally {
        closeSync(fd);
      }
    }
    return total;
  }

  /**
   * True once the task has ended and every byte of its output went into the buffer (or was
   * skipped); the exit report waits for this and for the buffer to empty.
   */
  caughtUp(): boolean {
    if (this.live) return false;
    this.tail();
    if (this.readAt.stdout < this.size.stdout || this.readAt.stderr < this.size.stderr) return false;
    if (!this.flushedDecoders) {
      this.flushedDecoders = true;
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = this.decoders[stream].end();
        if (rest !== '') this.buffer.push(stream, rest, this.readAt[stream], this.readAt[stream]);
      }
    }
    return true;
  }
}
