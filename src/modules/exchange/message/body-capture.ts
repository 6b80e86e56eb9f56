// Keeps a copy of a body as it streams past, up to a limit, for the message log when
// EGOV_EXCHANGE_LOG_BODIES is on. Past the limit it keeps counting but not copying, and says
// the copy is incomplete; the stream itself is never held back.
import { Transform, type TransformCallback } from 'node:stream';

export type CapturedBody = { data: Buffer; bytes: number; complete: boolean };

export class BodyCapture extends Transform {
  private readonly limit: number;
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private seen = 0;
  constructor(limit: number) {
    super();
    this.limit = limit;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.kept < this.limit) {
      const part = Buffer.from(chunk.subarray(0, this.limit - this.kept));
      this.chunks.push(part);
      this.kept += part.length;
    }
    callback(null, chunk);
  }
  result(): CapturedBody {
    return { data: Buffer.concat(this.chunks), bytes: this.seen, complete: this.seen <= this.limit };
  }
}

/** A body already whole in memory (a built-in backend's answer, an error). */
export const capturedOf = (data: Buffer, limit: number): CapturedBody => ({ data: data.subarray(0, limit), bytes: data.length, complete: data.length <= limit });

/** `source` through a capture when bodies are kept (errors pass along), else `source` itself. */
export function throughCapture<T extends NodeJS.ReadableStream & { on(event: 'error', listener: (err: Error) => void): unknown }>(source: T, capture: BodyCapture | undefined): T | BodyCapture {
  if (!capture) return source;
  source.on('error', (err) => capture.destroy(err));
  return source.pipe(capture) as BodyCapture;
}

/** What to keep of one exchange's bodies on this node. */
export function keptBodies(xRoadId: string, side: 'consumer' | 'provider', request: BodyCapture | CapturedBody | undefined, response: BodyCapture | CapturedBody | undefined) {
  const result = (b: BodyCapture | CapturedBody) => (b instanceof BodyCapture ? b.result() : b);
  return [
    ...(request ? [{ xRoadId, side, part: 'request' as const, body: result(request) }] : []),
    ...(response ? [{ xRoadId, side, part: 'response' as const, body: result(response) }] : []),
  ];
}

/** A capture when the log keeps bodies, else none (nothing is copied). */
export const newCapture = (log: { keepsBodies: boolean; bodyLimit: number }) => (log.keepsBodies ? new BodyCapture(log.bodyLimit) : undefined);
