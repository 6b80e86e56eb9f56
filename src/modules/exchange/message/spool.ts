// A body held until its signature has been checked (decision 0009: verify before forward).
// Small bodies stay in memory; past SPOOL_MEMORY_BYTES the rest goes to a private file
// under the spool directory, so memory stays bounded for any size. The hash and size are
// computed as the body arrives; `open()` reads it back once, then the file is removed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { ExchangeError } from './errors.ts';

export const SPOOL_MEMORY_BYTES = 1024 * 1024;

export class Spool extends Writable {
  bytes = 0;
  private readonly digest = crypto.createHash('sha256');
  private chunks: Buffer[] = [];
  private file: { path: string; fd: number } | undefined;
  private readonly dir: string;
  private readonly limit: number;
  private hashHex: string | undefined;

  constructor(dir: string, limit: number) {
    super();
    this.dir = dir;
    this.limit = limit;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return callback(new ExchangeError('Server.ServerProxy.RequestTooLarge', `The body is larger than the limit of ${this.limit} bytes.`));
    this.digest.update(chunk);
    if (!this.file && this.bytes <= SPOOL_MEMORY_BYTES) {
      this.chunks.push(chunk);
      return callback();
    }
    try {
      if (!this.file) {
        const file = path.join(this.dir, `${crypto.randomUUID()}.body`);
        this.file = { path: file, fd: fs.openSync(file, 'wx', 0o600) };
        for (const held of this.chunks) fs.writeSync(this.file.fd, held);
        this.chunks = [];
      }
      fs.write(this.file.fd, chunk, (err) => callback(err));
    } catch (err) {
      callback(err as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Destroyed after finishing (autoDestroy) the body is still wanted; on an error it is not.
    if (error) this.discard();
    callback(error);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.hashHex = this.digest.digest('hex');
    callback();
  }

  /** SHA-256 of the body, hex; once the spool has finished. */
  hash(): string {
    if (this.hashHex === undefined) throw new Error('The spool has not finished.');
    return this.hashHex;
  }

  /** The body, read back once; a spool file is removed when it has been read or abandoned. */
  open(): Readable {
    if (!this.file) {
      const chunks = this.chunks;
      this.chunks = [];
      return Readable.from(chunks, { objectMode: false });
    }
    const { path: file, fd } = this.file;
    this.file = undefined;
    fs.closeSync(fd);
    const stream = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
    stream.once('close', () => fs.rm(file, { force: true }, () => {}));
    return stream;
  }

  /** Drops what was held without reading it. */
  discard(): void {
    this.chunks = [];
    if (this.file) {
      const { path: file, fd } = this.file;
      this.file = undefined;
      fs.close(fd, () => fs.rm(file, { force: true }, () => {}));
    }
  }
}

/** The spool directory, emptied at start: files left by a crash belong to exchanges that are over. */
export function prepareSpoolDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of fs.readdirSync(dir)) if (name.endsWith('.body')) fs.rmSync(path.join(dir, name), { force: true });
}
