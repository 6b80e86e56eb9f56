// HTTP for bulk imports and exports of record registries:
//   POST /api/registries/:name/imports            the file itself as the body (text/csv,
//        application/x-ndjson, or the XLSX content type); options in the query
//   GET  /api/registries/:name/imports            recent imports
//   GET  /api/registries/:name/imports/:id        one import: progress, status and report
//   POST /api/registries/:name/imports/:id/resume the same file again, after a crash
//   GET  /api/registries/:name/export?format=csv|jsonl|xlsx[&where.<field>=value]
// The owner organization's officers and administrators import; its staff read and export.
// Authorization runs in preValidation, before a byte of the body is read: the body has no
// parser here, and the handler streams it to a temporary file (hashed and size-limited on the
// way), so a large upload never sits in memory.
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Static } from 'typebox';
import { STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { operatorFromRequest } from '../../../platform/actor.ts';
import { invalidField } from '../../../platform/errors.ts';
import type { Exports } from './export.ts';
import { createWorkDir, removeWorkDir, spool, type SpooledFile } from './files.ts';
import { IMPORT_FORMATS, type ImportFormat } from './read.ts';
import * as s from './schema.ts';
import type { ImportOptions, Imports } from './service.ts';

const tags = ['registries'];
/** The largest file one request takes; the CLI reads larger ones from disk. */
export const IMPORT_BODY_LIMIT = 512 * 1024 * 1024;

type Request = Parameters<typeof requestContext>[0];

const TYPES: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/jsonlines': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};
const EXTENSIONS: Record<string, ImportFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.xlsx': 'xlsx' };

/** The format: named in the query, else by the content type, else by the file name's extension. */
export function formatOf(query: { format?: ImportFormat; fileName?: string }, contentType: string | undefined): ImportFormat {
  if (query.format) return query.format;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (TYPES[type]) return TYPES[type];
  const byName = query.fileName ? EXTENSIONS[path.extname(query.fileName).toLowerCase()] : undefined;
  if (byName && (type === '' || type === 'application/octet-stream')) return byName;
  throw invalidField('format', 'format_unknown', `cannot be told from the content type "${type.slice(0, 80)}": send text/csv, application/x-ndjson or ${Object.keys(TYPES).at(-1)}, or give format=${IMPORT_FORMATS.join('|')}`, `无法由内容类型“${type.slice(0, 80)}”判断：请以 text/csv、application/x-ndjson 或 XLSX 类型发送，或指定 format=${IMPORT_FORMATS.join('|')}`);
}

export function registerImportRoutes(app: App, deps: { imports: Imports; exports: Exports }): void {
  const { imports } = deps;
  const op = (request: Request) => operatorFromRequest(requestContext(request));
  const nameOf = (request: Request) => (request.params as { name: string }).name;
  const mayEdit = async (request: Request) => {
    await imports.assertMayEdit(op(request), nameOf(request));
  };
  const mayRead = async (request: Request) => {
    await imports.assertMayRead(op(request), nameOf(request));
  };

  /** An import left running after the answer: its end is logged, its folder removed. */
  function inBackground(request: Request, id: string, running: Promise<unknown>, dir: string) {
    void running
      .catch((err: unknown) => request.log.warn({ err: (err as Error).message, importId: id }, 'background import ended with an error'))
      .finally(() => removeWorkDir(dir));
  }

  /** The request body in a temporary folder; the caller removes the folder. */
  async function receive(request: Request, fileName: string): Promise<{ dir: string; file: SpooledFile }> {
    const dir = createWorkDir();
    try {
      const file = await spool(request.raw, path.join(dir, `upload${path.extname(fileName) || ''}`), IMPORT_BODY_LIMIT);
      if (file.bytes === 0) throw invalidField('file', 'import_empty', 'is empty: send the file as the request body', '为空：请将文件作为请求体发送');
      return { dir, file };
    } catch (err) {
      removeWorkDir(dir);
      throw err;
    }
  }

  app.register(async (scope) => {
    // The body is read by the handler, after authorization, straight to disk.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    // A refusal before the body was read: let the rest of it go instead of stalling the connection.
    scope.addHook('onSend', async (request) => {
      if (!request.raw.readableEnded) request.raw.resume();
    });

    scope.post('/api/registries/:name/imports', {
      preValidation: mayEdit,
      schema: {
        tags,
        summary: 'Import records from CSV, JSON Lines or XLSX (the body is the file): every row checked, a report of problems by row and field; atomic (all or nothing) or resumable (batches)',
        params: s.RegistryParams,
        querystring: s.ImportQuery,
        response: { 200: { anyOf: [s.ImportView, s.DryRunView] }, 202: s.ImportView, ...STAFF_ERRORS },
      } as never,
      handler: async (request, reply) => {
        const query = request.query as Static<typeof s.ImportQuery>;
        const name = nameOf(request);
        const format = formatOf(query, request.headers['content-type']);
        const options: ImportOptions = { format, fileName: query.fileName ?? `${name}.${format}`, reason: query.reason, mode: query.mode, onExisting: query.existing, dryRun: query.dryRun };
        imports.checkOptions(options);
        const { dir, file } = await receive(request, options.fileName);
        try {
          const started = await imports.begin(op(request), name, file, options);
          if (query.background && started.view) {
            inBackground(request, started.view.id, started.run(), dir);
            return reply.code(202).send(started.view);
          }
          const result = await started.run();
          removeWorkDir(dir);
          return result;
        } catch (err) {
          removeWorkDir(dir);
          throw err;
        }
      },
    });

    scope.post('/api/registries/:name/imports/:id/resume', {
      preValidation: mayEdit,
      schema: { tags, summary: 'Go on with an interrupted import: send the same file again (its SHA-256 is checked)', params: s.ImportParams, querystring: s.ResumeQuery, response: { 200: s.ImportView, 202: s.ImportView, ...STAFF_ERRORS } },
      handler: async (request, reply) => {
        const params = request.params as Static<typeof s.ImportParams>;
        const query = request.query as Static<typeof s.ResumeQuery>;
        const { dir, file } = await receive(request, query.fileName ?? 'resume');
        try {
          const started = await imports.beginResume(op(request), params.name, params.id, file);
          if (query.background) {
            inBackground(request, started.view.id, started.run(), dir);
            return reply.code(202).send(started.view);
          }
          const result = await started.run();
          removeWorkDir(dir);
          return result;
        } catch (err) {
          removeWorkDir(dir);
          throw err;
        }
      },
    });
  });

  app.get('/api/registries/:name/imports', {
    preValidation: mayRead,
    schema: { tags, summary: 'Recent imports of a registry, newest first', params: s.RegistryParams, querystring: s.ListQuery, response: { 200: { type: 'array', items: s.ImportView }, ...STAFF_ERRORS } } as never,
    handler: async (request) => imports.list(op(request), nameOf(request), (request.query as { limit?: number }).limit),
  });
  app.get('/api/registries/:name/imports/:id', {
    preValidation: mayRead,
    schema: { tags, summary: "An import's progress (poll it for a live bar), status and report", params: s.ImportParams, response: { 200: s.ImportView, ...STAFF_ERRORS } },
    handler: async (request) => imports.get(op(request), request.params.name, request.params.id),
  });

  app.get('/api/registries/:name/export', {
    preValidation: mayRead,
    schema: { tags, summary: "A registry's current records as CSV, JSON Lines or XLSX (the formats imports read); one audit event per export", params: s.RegistryParams, querystring: s.ExportQuery, response: { ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      const query = request.query as Record<string, string>;
      const where: Record<string, string> = {};
      for (const [param, value] of Object.entries(query)) {
        if (param.startsWith('where.')) where[param.slice('where.'.length)] = value;
        else if (param !== 'format') throw invalidField(param.slice(0, 64), 'unknown_parameter', 'is not a parameter of export: give format and where.<field>=value', '不是导出的参数：可用 format 与 where.<字段>=值');
      }
      const prepared = await deps.exports.prepare(op(request), request.params.name, { format: (query.format as ImportFormat | undefined) ?? 'csv', where });
      const body = new PassThrough();
      prepared.write(body).catch((err: unknown) => {
        request.log.error({ err, registry: request.params.name }, 'export failed midway');
        body.destroy(err as Error);
      });
      return reply.type(prepared.contentType).header('content-disposition', `attachment; filename="${prepared.fileName}"`).header('x-record-count', String(prepared.count)).send(body as never);
    },
  });
}
