// The GovStack Registration Building Block API under /govstack/registration/ (issue 8, fixed
// interface), answered from the service catalog. Here its "Available Services" operations (the
// applicant's and operator's are registration-applications.ts, decision 0027):
// GET /services[?name=] and GET /services/{serviceId}, for published services only; the
// guide's own terms travel in serviceBody as code/value pairs. A published service's e-form is
// GET /services/{serviceId}/eForms (a list of one, or empty) and GET /eForms/{eFormId}, its
// schema the form compiled to JSON Schema (forms/json-schema.ts) in the reader's language. `isExecutable` says whether an
// application can be submitted online now: not until the service has its e-form and process.
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { App } from '../../../http/server.ts';
import { pickLang, type Lang } from '../../../platform/language.ts';
import type { ServiceView } from '../catalog/schema.ts';
import type { ServiceCatalog } from '../catalog/service.ts';
import { compileFormSchema } from '../forms/json-schema.ts';
import type { PublishedForm, ServiceForms } from '../forms/service.ts';

export const REGISTRATION_PREFIX = '/govstack/registration';
const tags = ['govstack-registration'];

/** One service as the specification's `service` schema has it. */
export function govstackService(s: ServiceView, lang: Lang) {
  const zh = lang === 'zh-CN';
  const property = (code: string, value: string | number) => ({ code, value: String(value) });
  return {
    id: s.id,
    name: zh ? s.nameZh : s.nameEn,
    version: String(s.version),
    type: 'Public' as const,
    isExecutable: false,
    isClosed: true,
    description: zh ? s.summaryZh : s.summaryEn,
    serviceBody: [
      property('itemCode', s.code),
      property('kind', s.kind),
      property('organization', zh ? s.orgNameZh : s.orgNameEn),
      property('statutoryWorkingDays', s.statutoryDays),
      property('promisedWorkingDays', s.promisedDays),
      property('visitsInPerson', s.visits),
      property('jointHandling', s.jointOrgIds.length > 0 ? 'true' : 'false'),
      ...s.legalBasis.map((b) => property('legalBasis', zh ? b.zh : b.en)),
      ...s.materials.map((m) => property(m.fetchable ? 'materialFetchedByPlatform' : m.required ? 'materialRequired' : 'materialIfApplicable', zh ? m.nameZh : m.nameEn)),
      property('fee', s.fees.length === 0 ? (zh ? '不收费' : 'free of charge') : s.fees.map((f) => `${zh ? f.itemZh : f.itemEn} ${(f.amountFen / 100).toFixed(2)} CNY`).join('; ')),
    ],
  };
}

/** One e-form as the specification's `EFormListItem` has it; with its schema, `EForm`. */
function govstackEForm(found: PublishedForm, lang: Lang, withSchema: boolean) {
  const zh = lang === 'zh-CN';
  const { service } = found;
  const title = { zh: `${service.nameZh}申请表`, en: `Application form: ${service.nameEn}` };
  return {
    eFormId: found.id,
    name: zh ? title.zh : title.en,
    description: zh ? `申请“${service.nameZh}”时填写的表单（事项编码 ${service.code}）。` : `The form an applicant fills in for "${service.nameEn}" (item code ${service.code}).`,
    version: String(found.version),
    // A published service's form is frozen, so the version served is the latest.
    latest: true,
    ...(withSchema ? { schema: compileFormSchema(found.form, { lang, id: `urn:egov:eform:${found.id}:${found.version}`, title }) } : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The specification's systemError: a trace id (the request's), a code, the message in English and the reader's language. */
const systemError = (reply: FastifyReply, status: number, code: string, message: { en: string; zh: string }, lang: Lang) =>
  reply.code(status).type('application/json').send({ traceId: String(reply.request.id), code, message: message.en, localizedMessage: lang === 'en' ? message.en : message.zh });

export function registerRegistrationRoutes(app: App, catalog: ServiceCatalog, forms: ServiceForms): void {
  app.get(`${REGISTRATION_PREFIX}/services`, {
    config: { auth: 'public' },
    schema: { tags, summary: 'GovStack Registration: the services available to use (published), by name', security: [], querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })) }) },
    handler: async (request) => {
      const lang = pickLang(undefined, request.headers['accept-language']);
      const name = request.query.name?.trim().toLowerCase();
      const published = await catalog.list({ status: 'published' });
      return published.filter((s) => !name || s.nameZh.toLowerCase().includes(name) || s.nameEn.toLowerCase().includes(name)).map((s) => govstackService(s, lang));
    },
  });

  app.get(`${REGISTRATION_PREFIX}/services/:serviceId`, {
    config: { auth: 'public' },
    schema: { tags, summary: 'GovStack Registration: one service by its id', security: [], params: Type.Object({ serviceId: Type.String({ maxLength: 100 }) }) },
    handler: async (request, reply) => {
      const { serviceId } = request.params;
      const lang = pickLang(undefined, request.headers['accept-language']);
      const found = UUID.test(serviceId) ? await catalog.findById(serviceId.toLowerCase()) : undefined;
      if (!found) return systemError(reply, 404, 'service_not_found', { en: `No published service has the id ${serviceId}.`, zh: `没有编号为 ${serviceId} 的已发布事项。` }, lang);
      return govstackService(found, lang);
    },
  });

  app.get(`${REGISTRATION_PREFIX}/services/:serviceId/eForms`, {
    config: { auth: 'public' },
    schema: { tags, summary: "GovStack Registration: a published service's e-forms (one, or none yet)", security: [], params: Type.Object({ serviceId: Type.String({ maxLength: 100 }) }) },
    handler: async (request, reply) => {
      const { serviceId } = request.params;
      const lang = pickLang(undefined, request.headers['accept-language']);
      const service = UUID.test(serviceId) ? await catalog.findById(serviceId.toLowerCase()) : undefined;
      if (!service) return systemError(reply, 404, 'service_not_found', { en: `No published service has the id ${serviceId}.`, zh: `没有编号为 ${serviceId} 的已发布事项。` }, lang);
      const found = await forms.findPublishedByServiceId(service.id);
      return found ? [govstackEForm(found, lang, false)] : [];
    },
  });

  app.get(`${REGISTRATION_PREFIX}/eForms/:eFormId`, {
    config: { auth: 'public' },
    schema: { tags, summary: "GovStack Registration: one e-form with its JSON Schema, by its id (a published service's only)", security: [], params: Type.Object({ eFormId: Type.String({ maxLength: 100 }) }) },
    handler: async (request, reply) => {
      const { eFormId } = request.params;
      const lang = pickLang(undefined, request.headers['accept-language']);
      const found = UUID.test(eFormId) ? await forms.findPublishedById(eFormId.toLowerCase()) : undefined;
      if (!found) return systemError(reply, 404, 'eform_not_found', { en: `No e-form of a published service has the id ${eFormId}.`, zh: `没有编号为 ${eFormId} 的已发布事项申请表。` }, lang);
      return govstackEForm(found, lang, true);
    },
  });
}
