import { readSync } from 'node:fs';

/**
 * Reads a file through one reusable window so that walking batch headers costs one read per window, not
 * one per batch, while a batch larger than the window is still read in one piece.
 */
export class FileWindow {
  private buf: Buffer;
  private start = 0;
  private length = 0;

  /** How much to read when the cache misses; may be changed between calls to suit the access pattern. */
  windowBytes: number;

  constructor(
    private readonly fd: number,
    windowBytes = 64 * 1024,
  ) {
    this.windowBytes = windowBytes;
    this.buf = Buffer.alloc(windowBytes);
  }

  /** `len` bytes at `position`, or fewer if the file ends first. The view is valid until the next call. */
  bytes(position: number, len: number): Buffer {
    if (position >= this.start && position + len <= this.start + this.length) {
      return this.buf.subarray(position - this.start, position - this.start + len);
    }
    if (len > this.buf.length) this.buf = Buffer.alloc(len);
    this.start = position;
    this.length = readFully(this.fd, this.buf, 0, Math.max(len, this.windowBytes), position);
    return this.buf.subarray(0, Math.min(len, this.length));
  }

  /** Forgets cached bytes (after the file was written or truncated). */
  invalidate(): void {
    this.length = 0;
  }
}

/** readSync until `len` bytes or end of file; returns how many were read. */
export function readFully(fd: number, buf: Buffer, offset: number, len: number, position: number): number {
  const want = Math.min(len, buf.length - offset);
  let done = 0;
  while (done < want) {
    const n = readSync(fd, buf, offset + done, want - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
