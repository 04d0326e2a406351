import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { LogBuffer, type LogStream } from './log-buffer.js';
import { taskFiles, type TaskProcess } from './process-runner.js';
import type { TaskRecord } from './state-store.js';

/**
 * One task on this node as the run loop sees it: its persisted record, its process (absent once it
 * ended, or when it ended while no agent watched), and its output on the way to the control plane.
 * Output is read from the task's log files into a bounded buffer; nothing here can block the task.
 */
export class RunningTask {
  readonly buffer: LogBuffer;
  proc: TaskProcess | null = null;
  /** The last read of the log files after the exit is done: every byte is in the buffer (or dropped). */
  drained = false;
  private readonly readAt: Record<LogStream, number>;
  private readonly decoders: Record<LogStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  constructor(
    readonly rec: TaskRecord,
    bufferBytes: number,
    /** Most bytes read from one stream per call, so one chatty task cannot hog the loop. */
    private readonly readSliceBytes = 1024 * 1024,
  ) {
    this.buffer = new LogBuffer(bufferBytes);
    this.buffer.resumeAt(rec.logOffsets);
    this.readAt = { ...rec.logOffsets };
  }

  get key(): string {
    return `${this.rec.jobId}#${this.rec.attempt}`;
  }

  get live(): boolean {
    return this.rec.exit === null;
  }

  /** Reads what the task wrote since the last call into the buffer; returns the bytes read. */
  tail(): number {
    const files = taskFiles(this.rec.dir);
    let total = 0;
    for (const stream of ['stdout', 'stderr'] as const) {
      const path = stream === 'stdout' ? files.stdout : files.stderr;
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch {
        continue;
      }
      try {
        const buf = Buffer.alloc(Math.min(this.readSliceBytes, 256 * 1024));
        let budget = this.readSliceBytes;
        while (budget > 0) {
          const n = readSync(fd, buf, 0, Math.min(buf.length, budget), this.readAt[stream]);
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

  /** After the exit: reads everything left, including a trailing partial character. */
  drain(): void {
    while (this.tail() > 0);
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.decoders[stream].end();
      if (rest !== '') this.buffer.push(stream, rest, this.readAt[stream], this.readAt[stream]);
    }
    this.drained = true;
  }
}
