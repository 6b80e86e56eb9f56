// Streams that watch what passes: a Meter counts and hashes a body and stops it at a size
// limit; watchRate cuts off a client that trickles its body.
import crypto from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { ExchangeError } from './errors.ts';

/**
 * Counts and hashes what passes through; fails the stream once it exceeds `limit` bytes.
 * With `onEnd`, the last chunk is held back until onEnd (the log write) has finished: the
 * client cannot have the whole answer before the exchange is logged, even when it knows
 * the length and stops reading at the last byte.
 */
export class Meter extends Transform {
  bytes = 0;
  readonly hash = crypto.createHash('sha256');
  private readonly limit: number;
  private readonly onEnd: (() => Promise<void>) | undefined;
  private held: Buffer | undefined;
  private digest: string | undefined;
  constructor(limit: number, onEnd?: () => Promise<void>) {
    super();
    this.limit = limit;
    this.onEnd = onEnd;
  }
  /** The SHA-256 of everything that passed, hex; call once the stream has ended. */
  hex(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return callback(new ExchangeError('Server.ServerProxy.RequestTooLarge', `The body is larger than the service's limit of ${this.limit} bytes.`));
    this.hash.update(chunk);
    if (!this.onEnd) return callback(null, chunk);
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }
  override _flush(callback: TransformCallback): void {
    if (!this.onEnd) return callback();
    this.onEnd().then(
      () => callback(null, this.held),
      (err: unknown) => callback(err as Error),
    );
  }
}

/** A client must keep sending its body at this rate, measured over each window, or it is cut off. */
export type SlowClientGuard = { minBytesPerSecond: number; windowMs: number };

/**
 * Cuts off a request body that trickles (a byte a second would hold a connection and a
 * backend request open for days): fewer than the minimum bytes in a whole window fails it.
 */
export function watchRate(stream: Readable, guard: SlowClientGuard, fail: (err: ExchangeError) => void): () => void {
  let bytes = 0;
  const onData = (chunk: Buffer) => (bytes += chunk.length);
  stream.on('data', onData);
  const timer = setInterval(() => {
    // A paused stream is our backpressure (a slow backend), not a slow client.
    if (!stream.isPaused() && bytes < (guard.minBytesPerSecond * guard.windowMs) / 1000) {
      fail(new ExchangeError('Client.SlowRequest', `The request body arrived at ${Math.round((bytes * 1000) / guard.windowMs)} bytes/s, below the minimum of ${guard.minBytesPerSecond}; the request was cut off.`));
    }
    bytes = 0;
  }, guard.windowMs);
  const stop = () => {
    clearInterval(timer);
    stream.off('data', onData);
  };
  stream.once('end', stop);
  stream.once('error', stop);
  stream.once('close', stop);
  return stop;
}
