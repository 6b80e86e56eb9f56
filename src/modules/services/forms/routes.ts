// HTTP for services' e-forms under /api/services/{code}/form (staff): read by any signed-in
// member of staff; written by the service organization's administrator or the platform admin
// (catalog/policy.ts, checked in the service) while the service is a draft. The registry fields
// a form may prefill are listed for the builder's picker. Steps: authenticate (the staff hook),
// validate (schema), authorize and act (service), present.
import { STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { operatorFromRequest } from '../../../platform/actor.ts';
import { CodeParams } from '../catalog/schema.ts';
import { PREFILL_FIELDS } from './prefill.ts';
import * as s from './schema.ts';
import type { ServiceForms } from './service.ts';

const tags = ['services'];

export function registerServiceFormRoutes(app: App, forms: ServiceForms): void {
  app.get('/api/services/:code/form', {
    schema: { tags, summary: "A service's e-form (version 0 and no fields when it has none yet)", params: CodeParams, response: { 200: s.FormView, ...STAFF_ERRORS } },
    handler: async (request) => {
      requestContext(request);
      return forms.get(request.params.code);
    },
  });
  app.put('/api/services/:code/form', {
    schema: { tags, summary: "Write a draft service's whole e-form (the version read must be the latest; 0 for a first form)", params: CodeParams, body: s.FormBody, response: { 200: s.FormView, ...STAFF_ERRORS } },
    handler: async (request) => forms.save(operatorFromRequest(requestContext(request)), request.params.code, request.body),
  });
  app.get('/api/service-forms/prefill-fields', {
    schema: { tags, summary: 'The base registry fields an e-form may prefill for the applicant (once only), and the field types each fits', response: { 200: s.PrefillFieldList, ...STAFF_ERRORS } },
    handler: async (request) => {
      requestContext(request);
      return { items: [...PREFILL_FIELDS] };
    },
  });
}
