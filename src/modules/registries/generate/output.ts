// Writing generated records to a stream as JSON Lines or CSV (UTF-8, RFC 4180). Records are
// batched into chunks of about 64 KiB and the writer waits for 'drain' whenever the stream
// says its buffer is full, so a slow disk holds the generator back instead of filling memory.
import type { Writable } from 'node:stream';
import { csvField as csvText } from '../../../platform/csv.ts';

export type OutputFormat = 'jsonl' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['jsonl', 'csv'];

type Value = string | string[] | undefined;

const CHUNK_CHARS = 64 * 1024;

/** A CSV field: quoted only when it must be, quotes doubled. Lists are joined with ';'. */
export function csvField(value: Value): string {
  return csvText(value === undefined ? '' : Array.isArray(value) ? value.join(';') : value);
}

/** One line, terminated: CRLF for CSV as RFC 4180 has it, LF for JSON Lines. */
export function formatRecord(record: object, format: OutputFormat, fields: readonly string[]): string {
  if (format === 'jsonl') return JSON.stringify(record) + '\n';
  const values = record as Record<string, Value>;
  return fields.map((f) => csvField(values[f])).join(',') + '\r\n';
}

/**
 * Writes every record and resolves with the count; the stream is ended. `fields` are the CSV
 * columns, in order (the registry definition's field names); JSON Lines writes each record as is.
 */
export async function writeRecords(
  stream: Writable,
  records: Iterable<object>,
  options: { format: OutputFormat; fields: readonly string[]; onProgress?: (count: number) => void },
): Promise<number> {
  // Listening for the whole write: a stream that fails between two waits must not crash the
  // process with an unhandled 'error'. On failure the listener stays, as the stream is dead.
  const ignore = () => {};
  stream.on('error', ignore);
  let count = 0;
  let chunk = options.format === 'csv' ? options.fields.map(csvField).join(',') + '\r\n' : '';
  for (const record of records) {
    chunk += formatRecord(record, options.format, options.fields);
    count++;
    if (chunk.length >= CHUNK_CHARS) {
      if (!stream.write(chunk) || stream.errored) await settled(stream, 'drain');
      chunk = '';
      options.onProgress?.(count);
    }
  }
  if (chunk) stream.write(chunk);
  stream.end();
  await settled(stream, 'finish');
  stream.off('error', ignore);
  options.onProgress?.(count);
  return count;
}

/** Resolves on `event`, rejects on 'error', and leaves no listener behind either way. */
function settled(stream: Writable, event: 'drain' | 'finish'): Promise<void> {
  if (stream.errored) return Promise.reject(stream.errored);
  if (event === 'finish' && stream.writableFinished) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off('error', fail);
      resolve();
    };
    const fail = (err: Error) => {
      stream.off(event, done);
      reject(err);
    };
    stream.once(event, done);
    stream.once('error', fail);
  });
}
