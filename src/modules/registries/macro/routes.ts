// HTTP for the macroeconomic database under /api/registries/macroeconomic. Any signed-in
// member of staff reads it; the owner organization's officers and administrators write it,
// which is checked before the body is looked at (a caller who may not write learns nothing
// about the input). Imports take the file itself (text/csv, bytes checked to be UTF-8) or
// JSON ({format, content | contentBase64, reason}).
import { Type } from 'typebox';
import { withRawBody } from '../../../http/raw-body.ts';
import { NoContent, STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { operatorFromRequest } from '../../../platform/actor.ts';
import { invalidField } from '../../../platform/errors.ts';
import * as s from './schema.ts';
import type { ImportInput, MacroService } from './service.ts';

const tags = ['registries'];
const BASE = '/api/registries/macroeconomic';
/** A CSV file may be larger than a JSON request: a year of monthly county figures. */
const CSV_BODY_LIMIT = 16 * 1024 * 1024;

type Request = Parameters<typeof requestContext>[0];

export function registerMacroRoutes(app: App, service: MacroService): void {
  const mayEdit = async (request: Request) => service.assertMayEdit(requestContext(request).actor);
  const op = (request: Request) => operatorFromRequest(requestContext(request));

  app.get(`${BASE}/indicators`, {
    schema: { tags, summary: 'Indicators of the macroeconomic database', response: { 200: Type.Array(s.Indicator), ...STAFF_ERRORS } },
    handler: async () => service.listIndicators(),
  });
  app.get(`${BASE}/indicators/:code`, {
    schema: { tags, summary: 'One indicator', params: s.IndicatorParams, response: { 200: s.Indicator, ...STAFF_ERRORS } },
    handler: async (request) => service.getIndicator(request.params.code),
  });
  app.get(`${BASE}/indicators/:code/coverage`, {
    schema: { tags, summary: 'The regions and periods an indicator has values for', params: s.IndicatorParams, response: { 200: Type.Object({ regions: Type.Array(Type.String()), periods: Type.Array(Type.String()) }), ...STAFF_ERRORS } },
    handler: async (request) => service.coverage(request.params.code),
  });
  app.post(`${BASE}/indicators`, {
    preValidation: mayEdit,
    schema: { tags, summary: "Create an indicator (the owner organization's staff)", body: s.IndicatorCreate, response: { 201: s.Indicator, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await service.createIndicator(op(request), request.body)),
  });
  app.put(`${BASE}/indicators/:code`, {
    preValidation: mayEdit,
    schema: { tags, summary: 'Change an indicator; `version` is the one you read (409 when someone changed it since)', params: s.IndicatorParams, body: s.IndicatorUpdate, response: { 200: s.Indicator, ...STAFF_ERRORS } },
    handler: async (request) => service.updateIndicator(op(request), request.params.code, request.body),
  });
  app.delete(`${BASE}/indicators/:code`, {
    preValidation: mayEdit,
    schema: { tags, summary: 'Delete an indicator that has no observations', params: s.IndicatorParams, querystring: s.VersionQuery, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await service.deleteIndicator(op(request), request.params.code, request.query.version);
      return reply.code(204).send(null);
    },
  });

  app.put(`${BASE}/observations`, {
    preValidation: mayEdit,
    schema: { tags, summary: 'Set an observation; a changed value is a new revision with its provenance', body: s.ObservationSet, response: { 200: Type.Object({ observation: s.Observation, changed: Type.Boolean() }), ...STAFF_ERRORS } },
    handler: async (request) => service.setObservation(op(request), request.body),
  });
  app.get(`${BASE}/observations/revisions`, {
    schema: { tags, summary: 'Every value published for an observation, with its provenance', querystring: s.ObservationKey, response: { 200: Type.Array(s.Revision), ...STAFF_ERRORS } },
    handler: async (request) => service.revisions(request.query),
  });

  withRawBody(app, { types: ['text/csv'], parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT }, (scope) => {
    scope.post(`${BASE}/imports`, {
      preValidation: mayEdit,
      schema: {
        tags,
        summary: 'Import observations from SDMX-CSV or plain CSV (indicator,region,period,value[,status]): all rows or none, with a report of every problem (row, field, what is wrong)',
        querystring: s.ImportQuery,
        body: { content: { 'application/json': { schema: s.ImportJson }, 'text/csv': { schema: Type.Any() } } },
        response: { 200: s.ImportResult, ...STAFF_ERRORS },
      } as never,
      handler: async (request) => service.importObservations(op(request), importInput(request.body, request.query as Record<string, string | boolean | undefined>)),
    });
  });

  app.get(`${BASE}/series`, {
    schema: { tags, summary: "A region's series of an indicator over a period range; with asOf, the values as published then", querystring: s.SeriesQuery, response: { 200: s.Series, ...STAFF_ERRORS } },
    handler: async (request) => service.series(request.query),
  });
  app.get(`${BASE}/cross-section`, {
    schema: { tags, summary: 'One period of an indicator across the divisions directly under a parent', querystring: s.CrossSectionQuery, response: { 200: s.CrossSection, ...STAFF_ERRORS } },
    handler: async (request) => service.crossSection(request.query),
  });
  app.get(`${BASE}/aggregate`, {
    schema: { tags, summary: "A division's value rolled up from the divisions below it per the indicator's rule, naming the ones missing", querystring: s.AggregateQuery, response: { 200: s.Aggregate, ...STAFF_ERRORS } },
    handler: async (request) => service.aggregate(request.query),
  });
  app.get(`${BASE}/export`, {
    schema: { tags, summary: 'Current observations as CSV (indicator,region,period,value,status), the format imports read', querystring: s.ExportQuery, response: { 200: Type.String({ description: 'text/csv' }), ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      const csv = await service.exportCsv(request.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="macroeconomic.csv"').send(csv);
    },
  });
}

/** The import as the service takes it, from a raw CSV body (options in the query) or JSON. */
function importInput(body: unknown, query: Record<string, string | boolean | undefined>): ImportInput {
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    const reason = typeof query.reason === 'string' ? query.reason.trim() : '';
    if (!reason) throw invalidField('reason', 'required', 'is required: say why these figures are imported (in the query, ?reason=…)', '必填：请说明导入这些数据的原因（查询参数 ?reason=…）');
    const mapping = { ...(query.indicatorColumn ? { indicator: String(query.indicatorColumn) } : {}), ...(query.regionColumn ? { region: String(query.regionColumn) } : {}) };
    return {
      content: typeof body === 'string' ? body : new Uint8Array(body),
      format: query.format as ImportInput['format'],
      reason,
      source: typeof query.source === 'string' && query.source ? query.source : undefined,
      mapping,
      dryRun: query.dryRun === true,
    };
  }
  const json = body as { format?: ImportInput['format']; content?: string; contentBase64?: string; reason: string; source?: string; mapping?: ImportInput['mapping']; dryRun?: boolean };
  if ((json.content === undefined) === (json.contentBase64 === undefined)) {
    throw invalidField('content', 'required', 'give the file either as content (text) or as contentBase64 (its bytes)', '请以 content（文本）或 contentBase64（原始字节）之一提供文件');
  }
  const content = json.contentBase64 !== undefined ? new Uint8Array(Buffer.from(json.contentBase64, 'base64')) : json.content!;
  return { content, format: json.format, reason: json.reason, source: json.source, mapping: json.mapping, dryRun: json.dryRun };
}
