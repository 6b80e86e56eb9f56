// HTTP for licences. Staff (/api/licences): the issuing organization's staff list its licences,
// its administrator revokes one with a reason (policy.ts, checked in the service). The public
// (/api/public/licences/{identifier}): the verification a machine reads, the same as the
// portal's page at /licences/{identifier}. Steps: rate limit, authenticate (the staff hook),
// validate (schema), authorize and act (service), present.
import { STAFF_ERRORS, ProblemSchema } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { DomainError, NotFoundError } from '../../../platform/errors.ts';
import * as s from './schema.ts';
import type { Licences } from './service.ts';

const tags = ['licences'];

/** A malformed identifier: wrong shape or a check character that does not fit. */
export class MalformedIdentifierError extends DomainError {
  constructor() {
    super(
      'malformed_identifier',
      'This is not a valid licence identifier: its form or its check character is wrong. Check it against the licence (1.2.156.3005.2. then type, issuer, serial, version and check character).',
      '这不是有效的证照标识：格式或校验位有误。请对照证照核对（1.2.156.3005.2. 后接类型、发证机关、序号、版本和校验位）。',
      [{ field: 'identifier', code: 'malformed_identifier', message: 'has a wrong form or check character', messageZh: '格式或校验位有误' }],
    );
  }
}

export function registerLicenceRoutes(app: App, licences: Licences): void {
  app.get('/api/licences', {
    schema: { tags, summary: "The organization's electronic licences (its staff; holders' data, audited)", querystring: s.ListQuery, response: { 200: s.LicenceList, ...STAFF_ERRORS } },
    handler: async (request) => licences.list(requestContext(request), request.query),
  });
  app.post('/api/licences/:id/revoke', {
    schema: { tags, summary: "Revoke a licence with a reason (the issuing organization's administrator)", params: s.IdParams, body: s.RevokeBody, response: { 200: s.LicenceView, ...STAFF_ERRORS } },
    handler: async (request) => licences.revoke(requestContext(request), request.params.id, request.body.reason),
  });
  app.get('/api/public/licences/:identifier', {
    config: { auth: 'public', rateLimit: { max: 120, timeWindow: '1 minute' } },
    schema: { tags, summary: 'Verify a licence by its identifier: status, issuer, validity and whether the seal verifies (the holder masked)', params: s.IdentifierParams, response: { 200: s.PublicLicence, 400: ProblemSchema, 404: ProblemSchema } },
    handler: async (request) => {
      const found = await licences.verify(request.params.identifier);
      if (found === 'malformed') throw new MalformedIdentifierError();
      if (!found) throw new NotFoundError('licence', request.params.identifier.slice(0, 200), '证照');
      return found;
    },
  });
}
