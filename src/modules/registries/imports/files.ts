// The files an import works with: the uploaded body spooled to a temporary file (hashed and
// size-limited as it arrives, so a large upload never sits in memory), a file's SHA-256 (a
// resumed import must be given the same file), and the work file of checked records, written
// and read back as lines.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export type SpooledFile = { path: string; sha256: string; bytes: number };

/** A fresh folder for one import's files; remove it with `removeWorkDir`. */
export function createWorkDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'egov-import-'));
}

export function removeWorkDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Thrown when a body passes the limit; the route answers 413. */
export class BodyTooLargeError extends Error {
  readonly statusCode = 413;
  readonly code = 'FST_ERR_CTP_BODY_TOO_LARGE';
  constructor(limit: number) {
    super(`The file is larger than ${Math.round(limit / (1024 * 1024))} MB, the most one import takes. Split it, or import it with the command line (egov registries import), which reads it from disk.`);
  }
}

/** Copies `body` to `target`, hashing it and counting its bytes; BodyTooLargeError past `limit`. */
export async function spool(body: Readable, target: string, limit: number): Promise<SpooledFile> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limit) return done(new BodyTooLargeError(limit));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(body, meter, fs.createWriteStream(target));
  return { path: target, sha256: hash.digest('hex'), bytes };
}

/** The SHA-256 and size of a file on disk. */
export async function hashFile(file: string): Promise<SpooledFile> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { path: file, sha256: hash.digest('hex'), bytes };
}

/** Writes text to a stream, waiting when its buffer is full. */
export async function writeText(out: Writable, text: string): Promise<void> {
  if (out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      out.off('error', fail);
      resolve();
    };
    const fail = (err: Error) => {
      out.off('drain', done);
      reject(err);
    };
    out.once('drain', done);
    out.once('error', fail);
  });
}

export async function closeStream(out: Writable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(resolve);
  });
}

/** The lines of a text file (without their line breaks), in batches of about `size`. */
export async function* readLines(file: string, size: number): AsyncGenerator<string[]> {
  let rest = '';
  let batch: string[] = [];
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', start)) {
      batch.push(text.slice(start, at));
      start = at + 1;
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    rest = text.slice(start);
  }
  if (rest !== '') batch.push(rest);
  if (batch.length > 0) yield batch;
}
