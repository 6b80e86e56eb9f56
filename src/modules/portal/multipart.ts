// Forms that upload files without JavaScript post multipart/form-data: read here (through
// @fastify/multipart, in the scope that registers it) into text fields and whole files, within
// limits a person's application needs. A file over the size limit is not refused here: it is
// kept as "too large", so the page can say which one.
import type { FastifyRequest } from 'fastify';
import { formOf } from './respond.ts';

export type PostedFile = { field: string; fileName: string; content: Buffer; tooLarge: boolean };
/** `tooMuch`: the post went over the limits; the fields read before that are kept (the CSRF token comes first). */
export type Posted = { fields: Record<string, string | string[]>; files: PostedFile[]; tooMuch: boolean };

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** All files of one post together: a few materials at their limit. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/** What @fastify/multipart is registered with: the file limit plus one byte, so "too large" is seen. */
export const MULTIPART_OPTIONS = {
  throwFileSizeLimit: false,
  limits: { fileSize: MAX_FILE_BYTES + 1, files: 40, fields: 400, parts: 440, fieldSize: 65_536, fieldNameSize: 100 },
};

/** Said on the page when a post went over the limits. */
export const TOO_MUCH = { zh: '一次提交的文件或内容过多，请减少或压缩文件后再提交。', en: 'The form sent too many files or too much data at once. Upload fewer or smaller files.' };
class TooMuch extends Error {}

function add(fields: Record<string, string | string[]>, name: string, value: string): void {
  const had = fields[name];
  fields[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
}

type Part = { type: 'file'; fieldname: string; filename: string; file: NodeJS.ReadableStream & { truncated?: boolean }; toBuffer: () => Promise<Buffer> } | { type: 'field'; fieldname: string; value: unknown };

/** The posted form: multipart read part by part; an urlencoded post (no files) as it is. */
export async function readPosted(request: FastifyRequest): Promise<Posted> {
  const multipart = request as FastifyRequest & { isMultipart?: () => boolean; parts?: () => AsyncIterable<Part> };
  if (!multipart.isMultipart?.() || !multipart.parts) {
    const form = formOf(request);
    const fields: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(form)) if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) fields[k] = v as string | string[];
    return { fields, files: [], tooMuch: false };
  }
  const fields: Record<string, string | string[]> = {};
  const files: PostedFile[] = [];
  let total = 0;
  try {
    for await (const part of multipart.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') add(fields, part.fieldname, part.value);
        continue;
      }
      const content = await part.toBuffer();
      // A file input left empty still sends a part, with no name and nothing in it.
      if (!part.filename && content.length === 0) continue;
      total += content.length;
      if (total > MAX_TOTAL_BYTES) throw new TooMuch();
      const tooLarge = Boolean(part.file.truncated) || content.length > MAX_FILE_BYTES;
      files.push({ field: part.fieldname, fileName: part.filename, content: tooLarge ? Buffer.alloc(0) : content, tooLarge });
    }
  } catch (err) {
    // The parser's limits (parts, files, fields) and malformed bodies: the person's post, not our fault.
    const code = (err as { code?: string }).code ?? '';
    if (err instanceof TooMuch || code.startsWith('FST_') || /multipart|terminated early|Unexpected end/i.test(String((err as Error).message))) return { fields, files: [], tooMuch: true };
    throw err;
  }
  return { fields, files, tooMuch: false };
}
