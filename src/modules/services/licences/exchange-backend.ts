// Licences on the exchange (the built-in backend egov:licences), so a department checks a
// licence itself instead of asking the holder for a paper copy. An issuing organization's
// member registers a service with this backend; a call is answered only with licences that
// organization issued, after the exchange checked the caller's access right, signed and logged
// the call (decision 0016's way, as the registries do). Read only.
//   GET /licences/{identifier}    one licence, with its status and whether its seal verifies
//   GET /licences?holderId=…      the licences issued to a holder (ID number or credit code)
// Field-level rights: `holder` (the holder's ID number and name), `fields` (the content),
// `sealed` (the JWS itself, to verify independently). Without `holder` a query by holder is
// refused (403 field_not_granted) before anything is looked up. Every answer is a read of
// personal data and audited, naming the client system.
import type { FastifyRequest } from 'fastify';
import { toProblem } from '../../../http/problem.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { parseLicenceId } from './identifier.ts';
import type { Licences } from './service.ts';
import type { LicenceRow } from './store.ts';
import type { LicenceView } from './views.ts';

export const LICENCES_BACKEND = 'licences';
export const LICENCE_FIELDS = ['holder', 'fields', 'sealed'] as const;

/** What a built-in backend receives (the exchange's BuiltinHandler call). */
export type LicenceCall = { xRoadId: string; client: string; service: string; method: string; path: string; query: string; headers: Record<string, string>; grantedFields: string[] | null; body: Buffer };
export type LicenceAnswer = { status: number; headers: Record<string, string>; body: Buffer };

export type LicenceBackendDeps = {
  db: Db;
  licences: Licences;
  audit: Audit;
  /** The organization whose member identifier (INSTANCE/CLASS/CODE) this is. */
  organizationOfMember: (memberIdentifier: string) => Promise<{ id: string } | undefined>;
};

const OPERATIONS = 'GET /licences/{identifier}, GET /licences?holderId={ID number or credit code}';
const zh = (call: LicenceCall) => (call.headers['accept-language'] ?? '').split(',')[0]?.trim().toLowerCase().startsWith('zh') === true;
const json = (status: number, body: unknown, headers: Record<string, string> = {}): LicenceAnswer => ({ status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: Buffer.from(JSON.stringify(body), 'utf8') });

function problem(err: DomainError, call: LicenceCall): LicenceAnswer {
  // The one mapper of domain errors reads only the headers and the URL of a request.
  const p = toProblem(err, { headers: call.headers, url: `/r1/${call.service}${call.path}` } as unknown as FastifyRequest);
  if (err.code === 'method_not_allowed') Object.assign(p, { status: 405, title: zh(call) ? '不允许的方法' : 'Method not allowed' });
  const answer = json(p.status, p, { 'content-language': zh(call) ? 'zh-CN' : 'en' });
  answer.headers['content-type'] = 'application/problem+json; charset=utf-8';
  return answer;
}

const notGranted = (field: string, parameter: string) => {
  const err = new ForbiddenError(`Your access right does not grant the field ${field}, which this query needs.`, `您的访问授权不含本查询所需的字段 ${field}。`, 'field_not_granted');
  (err as { errors: DomainError['errors'] }).errors = [{ field: parameter, code: 'field_not_granted', message: `needs the field ${field}, which your access right does not grant`, messageZh: `需要字段 ${field}，您的访问授权未包含该字段` }];
  return err;
};

/** The query `holderId=…` alone; anything else is named and refused. */
function holderQuery(query: string): string | undefined {
  if (query === '') return undefined;
  const params = [...new URLSearchParams(query)];
  const problems = params.filter(([k]) => k !== 'holderId').map(([k]) => ({ field: k.replaceAll('\u0000', '\\u0000').slice(0, 40), code: 'unknown_parameter', message: 'is not a parameter of this operation; it takes holderId', messageZh: '不是本操作的参数；可用参数为 holderId' }));
  const values = params.filter(([k]) => k === 'holderId').map(([, v]) => v);
  if (values.length > 1) problems.push({ field: 'holderId', code: 'repeated', message: 'is given more than once', messageZh: '重复给出' });
  if (values.length === 1 && !/^[0-9A-Z]{18}$/.test(values[0]!)) problems.push({ field: 'holderId', code: 'pattern', message: 'must be an 18-character ID number or unified social credit code (upper case)', messageZh: '须为 18 位公民身份号码或统一社会信用代码（大写）' });
  if (problems.length) throw new ValidationError(problems);
  return values[0];
}

export function createLicenceExchangeBackend(deps: LicenceBackendDeps) {
  /** The licence as the grant allows: who issued it, what it is, validity and seal always; the rest by field. */
  async function project(found: { view: LicenceView; row: LicenceRow }, granted: string[] | null) {
    const has = (field: string) => granted === null || granted.includes(field);
    const { view, row } = found;
    const seal = await deps.licences.checkSeal(row);
    return {
      identifier: view.identifier,
      status: view.status,
      type: view.type,
      serviceCode: view.serviceCode,
      issuer: { creditCode: view.issuer.creditCode, nameZh: view.issuer.nameZh, nameEn: view.issuer.nameEn },
      holderKind: view.holder.kind,
      ...(has('holder') ? { holder: { kind: view.holder.kind, id: view.holder.idNumber, name: view.holder.name } } : {}),
      ...(has('fields') ? { fields: view.fields } : {}),
      validFrom: view.validFrom,
      validUntil: view.validUntil,
      issuedAt: view.issuedAt,
      revokedAt: view.revokedAt,
      revocationReason: view.revocationReason,
      seal,
      ...(has('sealed') ? { sealed: JSON.parse(row.sealed) as unknown } : {}),
      verificationUrl: view.verificationUrl,
    };
  }

  async function operate(call: LicenceCall): Promise<LicenceAnswer> {
    const service = call.service.split('/').map(decodeURIComponent).join('/');
    const issuer = await deps.organizationOfMember(service.split('/').slice(0, 3).join('/'));
    if (!issuer) throw new NotFoundError('licence service', service, '证照服务');
    const segments = call.path.split('/').filter(Boolean);
    if (segments[0] !== 'licences' || segments.length > 2) throw new NotFoundError('operation', `${call.method} ${call.path.slice(0, 100)} (operations: ${OPERATIONS})`, `操作（可用操作：${OPERATIONS}）`);
    if (call.method.toUpperCase() !== 'GET') throw new DomainError('method_not_allowed', `${call.method} ${call.path}: licences are read, not written, through the exchange.`, `${call.method} ${call.path}：证照经数据交换只读不写。`);
    if (segments.length === 2) {
      let identifier: string;
      try {
        identifier = decodeURIComponent(segments[1]!);
      } catch {
        identifier = '';
      }
      if (!parseLicenceId(identifier)) throw new ValidationError([{ field: 'identifier', code: 'malformed_identifier', message: 'is not a licence identifier: its form or check character is wrong', messageZh: '不是有效的证照标识：格式或校验位有误' }]);
      if (call.query !== '') throw new ValidationError([...new URLSearchParams(call.query).keys()].map((k) => ({ field: k.replaceAll('\u0000', '\\u0000').slice(0, 40), code: 'unknown_parameter', message: 'is not a parameter of this operation; it takes none', messageZh: '不是本操作的参数；本操作没有参数' })));
      const found = await deps.licences.findIssued(issuer.id, identifier);
      if (!found) throw new NotFoundError('licence', identifier, '证照');
      await audited(call, issuer.id, [found.row]);
      return json(200, await project(found, call.grantedFields));
    }
    const holderId = holderQuery(call.query);
    if (!holderId) throw new ValidationError([{ field: 'holderId', code: 'required', message: 'is required: list licences by holder, or read one by its identifier', messageZh: '必填：按持证主体查询，或按证照标识读取单个证照' }]);
    if (call.grantedFields !== null && !call.grantedFields.includes('holder')) throw notGranted('holder', 'holderId');
    const found = await deps.licences.listIssuedTo(issuer.id, holderId);
    await audited(call, issuer.id, found.map((f) => f.row));
    return json(200, { items: await Promise.all(found.map((f) => project(f, call.grantedFields))) });
  }

  async function audited(call: LicenceCall, issuerOrgId: string, rows: LicenceRow[]) {
    await deps.audit.record(deps.db, {
      actor: { id: null, name: `exchange:${call.client}`.slice(0, 200), orgId: null },
      action: 'services.licence.exchange_read',
      subjectType: rows.length === 1 ? 'licence' : 'organization',
      subjectId: rows.length === 1 ? rows[0]!.id : issuerOrgId,
      outcome: 'success',
      detail: { xRoadId: call.xRoadId, client: call.client, service: call.service, path: call.path, licences: rows.map((r) => r.identifier), grantedFields: call.grantedFields },
      ip: null,
      requestId: call.xRoadId,
    });
  }

  return async (call: LicenceCall): Promise<LicenceAnswer> => {
    try {
      return await operate(call);
    } catch (err) {
      if (err instanceof DomainError) return problem(err, call);
      throw err;
    }
  };
}
