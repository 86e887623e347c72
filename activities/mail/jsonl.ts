/**
 * Append-only JSON-lines files shared by the sent-log and the digest queue: appended durably
 * (fsync), read incrementally from the last offset so several worker processes sharing one data
 * directory see each other's lines.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class JsonlTail<T> {
  private offset = 0;
  private rest = '';

  constructor(
    readonly file: string,
    private readonly take: (entry: T) => void,
  ) {}

  /** Reads the lines appended since the last look (by this or another process). */
  refresh(): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) {
        // Replaced or truncated by an operator: read it again from the start (what was taken stays).
        this.offset = 0;
        this.rest = '';
      }
      const chunk = Buffer.alloc(64 * 1024);
      while (this.offset < size) {
        const n = readSync(fd, chunk, 0, chunk.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.rest += chunk.subarray(0, n).toString('utf8');
        const lines = this.rest.split('\n');
        this.rest = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          try {
            this.take(JSON.parse(line) as T);
          } catch {
            // A line torn by a crash mid-write: nothing was acknowledged by it.
          }
        }
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** Appends one line durably; starts on a fresh line if a crash left a torn one. */
export function appendLine(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const created = !existsSync(file);
  const fd = openSync(file, 'a+');
  try {
    const size = fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    writeSync(fd, `${prefix}${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // A new file's directory entry must reach the disk too, or the whole log can vanish on a crash.
  if (created) fsyncDir(dirname(file));
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
