// The direct routes of the GovStack Digital Registries API under /govstack/dr/, one per
// operation of the specifications, for validation and the OpenAPI document. Each route
// authenticates the calling client system first (preValidation, before the body is looked
// at), then hands the request as it came to handleDr, which the exchange's built-in backend
// calls too, so both answer alike.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { NoContent, ProblemSchema } from '../../../http/schemas.ts';
import type { App } from '../../../http/server.ts';
import type { DrCaller, HandleDr } from './dr.ts';
import * as s from './schema.ts';

export const DR_PREFIX = '/govstack/dr';
const tags = ['govstack-dr'];
const ERRORS = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const Headers = Type.Object(
  {
    'information-mediator-client': Type.Optional(Type.String({ description: 'the calling subsystem, INSTANCE/CLASS/MEMBER/SUBSYSTEM (X-Road-Client is accepted too); authenticate with its API token (Authorization: Bearer egx_…), client certificate or registered address' })),
    'x-road-issue': Type.Optional(Type.String({ description: 'why you read or write; kept in the reads log the person sees, and with each version' })),
    'x-road-userid': Type.Optional(Type.String({ description: 'the person your system acts for' })),
  },
  { additionalProperties: true },
);
const Registry = { registryName: Type.String({ maxLength: 63 }), versionNumber: Type.String({ maxLength: 20 }) };
const ListQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 200, description: 'a case-insensitive regular expression, over filter (or the whole record)' })),
    filter: Type.Optional(Type.String({ maxLength: 64, description: 'the field search looks in' })),
    ordering: Type.Optional(Type.String({ maxLength: 65, description: 'ascending or descending (by key), or a field: name, -name' })),
    page: Type.Optional(Type.Integer({ minimum: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'default 10' })),
  },
  { additionalProperties: Type.String({ maxLength: 200 }), description: 'plus query.<field>=value for equality on a field' },
);

type Route = { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; summary: string; params?: TSchema; querystring?: TSchema; body?: TSchema; response: Record<number, TSchema>; hide?: boolean };

const ROUTES: Route[] = [
  { method: 'GET', url: '/databases', summary: 'The record registries you may reach, each with its schema (the fields your right grants)', response: { 200: s.DatabasesAnswer } },
  { method: 'POST', url: '/database/modify', summary: "Define a record registry or change its schema (platform administrator or the owner); base registries' schemas are the platform's", body: s.ModifyBody, response: { 200: s.DatabaseSchema } },
  { method: 'GET', url: '/database/:id', summary: 'One registry with its schema', params: Type.Object({ id: Type.String({ maxLength: 12 }) }), response: { 200: s.DatabaseInfo } },
  { method: 'DELETE', url: '/database/:id', summary: 'Remove a registry that never held a record (not a base registry)', params: Type.Object({ id: Type.String({ maxLength: 12 }) }), response: { 200: Type.String() } },
  { method: 'GET', url: '/data/myPersonalDataUsage', summary: "Who read a person's records in a registry (the person's own system, X-Road-UserId = userId, or the owner's staff)", querystring: Type.Object({ userId: Type.String({ maxLength: 100 }), databaseId: Type.String({ maxLength: 63 }) }), response: { 200: s.UsageAnswer } },
  { method: 'GET', url: '/data/:registryName/:versionNumber', summary: 'Search records: query.<field>=value, search (regular expression) over filter, ordering, page, pageSize; each record shown is logged for its subject', params: Type.Object(Registry), querystring: ListQuery, response: { 200: s.ListAnswer } },
  { method: 'POST', url: '/data/:registryName/:versionNumber/create', summary: 'Create a record, checked field by field', params: Type.Object(Registry), body: s.WriteBody, response: { 200: s.ContentAnswer } },
  { method: 'POST', url: '/data/:registryName/:versionNumber/exists', summary: 'Whether a record matches', params: Type.Object(Registry), body: s.QueryBody, response: { 200: s.ExistsAnswer } },
  { method: 'POST', url: '/data/:registryName/:versionNumber/read', summary: 'The one record that matches; ETag is its version', params: Type.Object(Registry), body: s.QueryBody, response: { 200: s.ContentAnswer } },
  { method: 'PUT', url: '/data/:registryName/:versionNumber/update', summary: 'Change fields of one record (If-Match: its ETag, or 412)', params: Type.Object(Registry), body: s.UpdateBody, response: { 200: s.ContentAnswer, 412: ProblemSchema } },
  { method: 'PUT', url: '/data/:registryName/:versionNumber/updateEntries', summary: 'Change fields of every record that matches (at most 1000, all or none)', params: Type.Object(Registry), body: s.UpdateEntriesBody, response: { 200: s.CountAnswer } },
  { method: 'POST', url: '/data/:registryName/:versionNumber/updateOrCreate', summary: 'Change the record that matches, or create it', params: Type.Object(Registry), body: s.UpdateBody, response: { 200: s.ContentAnswer, 412: ProblemSchema } },
  { method: 'DELETE', url: '/data/:registryName/:versionNumber/:ID/delete', summary: 'Delete a record (its history stays); If-Match: its ETag', params: Type.Object({ ...Registry, ID: Type.String({ maxLength: 100 }) }), response: { 204: NoContent, 412: ProblemSchema } },
  { method: 'GET', url: '/data/:registryName/:versionNumber/:uuid/readValue/:field.:ext', summary: "One field's value: .json as {value}, .txt as text", params: Type.Object({ ...Registry, uuid: Type.String({ maxLength: 100 }), field: Type.String({ maxLength: 64 }), ext: Type.String({ maxLength: 8 }) }), response: { 200: s.ValueAnswer } },
  // The specification's text writes read-value once; the path it declares is readValue.
  { method: 'GET', url: '/data/:registryName/:versionNumber/:uuid/read-value/:field.:ext', summary: 'readValue', params: Type.Object({ ...Registry, uuid: Type.String({ maxLength: 100 }), field: Type.String({ maxLength: 64 }), ext: Type.String({ maxLength: 8 }) }), response: { 200: s.ValueAnswer }, hide: true },
];

function flatHeaders(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

export function registerDrRoutes(app: App, deps: { handleDr: HandleDr; callerOf: (request: FastifyRequest) => Promise<DrCaller> }): void {
  const callers = new WeakMap<FastifyRequest, DrCaller>();
  const identify = async (request: FastifyRequest) => {
    callers.set(request, await deps.callerOf(request));
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.raw.url ?? '';
    const q = url.indexOf('?');
    const answer = await deps.handleDr({ method: request.method, path: url.slice(DR_PREFIX.length, q === -1 ? undefined : q), query: q === -1 ? '' : url.slice(q + 1), headers: flatHeaders(request), body: request.body }, callers.get(request)!);
    reply.code(answer.status).headers(answer.headers);
    return answer.body === undefined ? reply.send() : reply.send(answer.body);
  };
  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: DR_PREFIX + route.url,
      // Client systems authenticate as to the exchange (identify), not as staff only.
      config: { auth: 'public' },
      preValidation: identify,
      schema: { tags, summary: route.summary, hide: route.hide, headers: Headers, security: [], ...(route.params ? { params: route.params } : {}), ...(route.querystring ? { querystring: route.querystring } : {}), ...(route.body ? { body: route.body } : {}), response: { ...route.response, ...ERRORS } },
      handler,
    });
  }
}
