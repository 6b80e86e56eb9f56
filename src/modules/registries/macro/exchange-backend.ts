// The macroeconomic database as a service of its owner on the exchange: the built-in backend
// egov:macroeconomic answers the read and query operations (indicators, an indicator and its
// coverage, series, cross-sections, roll-ups, an observation's revisions) through the same
// service the workbench uses, for the member that owns the database only. Nothing is written
// this way. Field-level rights (decision 0016): a field is an indicator, by its code, as a
// statistician grants access to a table's variables; `provenance` adds who published each
// revision, from what source and why. An indicator not granted is left out of the list and
// refused (403) wherever a query names it, before anything is looked up, so a consumer
// learns nothing of it, not even whether it exists.
import { createRegistryBackend, grants, json, methodCheck, noQuery, readQuery, requireField, segment, segmentsOf, unknownOperation, type BuiltinAnswer, type BuiltinCall, type ExchangeBackendDeps, type Grant } from '../exchange-kit.ts';
import { DIVISION_PATTERN, PERIOD_PATTERN } from './model.ts';
import { REGISTRY, type MacroService, type Revision } from './service.ts';

/** The built-in backend's name: the macroeconomic database's service has the backend egov:macroeconomic. */
export const MACRO_BACKEND = 'macroeconomic';

/** The field that adds each revision's provenance (source, publisher, reason, import); lower case, so never an indicator code. */
export const PROVENANCE_FIELD = 'provenance';

const REVISION_FIGURES = new Set(['revision', 'value', 'status', 'publishedAt']);
const REVISION_PROVENANCE = new Set(['source', 'actorName', 'reason', 'importId']);

/** A revision as the grant allows: the figure always, its provenance with `provenance`; members not known here are left out. */
export function projectRevision(revision: Revision, grant: Grant): Partial<Revision> {
  if (grant.whole) return revision;
  const provenance = grant.has(PROVENANCE_FIELD);
  return Object.fromEntries(Object.entries(revision).filter(([member]) => REVISION_FIGURES.has(member) || (provenance && REVISION_PROVENANCE.has(member))));
}

const OPERATIONS = 'GET /indicators, GET /indicators/{code}, GET /indicators/{code}/coverage, GET /series, GET /cross-section, GET /aggregate, GET /observations/revisions';
const Indicator = { type: 'text', required: true, max: 40 } as const;
const Region = { type: 'text', required: true, max: 20 } as const;
const Period = { type: 'text', required: true, max: 20 } as const;
const AsOf = { type: 'text', max: 40 } as const;

/** The indicator a call names, if the grant covers it; checked before the indicator is looked up. */
function mayRead(grant: Grant, code: string, parameter: string): string {
  requireField(
    grant,
    code,
    parameter,
    `Your access right does not grant the indicator ${code.slice(0, 40)}; the macroeconomic database's owner grants indicators by their codes. GET /indicators lists the ones you may read.`,
    `您的访问授权不含指标 ${code.slice(0, 40)}；宏观经济数据库按指标代码授权。GET /indicators 列出您可读取的指标。`,
  );
  return code;
}

/** Every operation here takes GET; none (null) for the workbench's writes (an observation, an import). Every refusal says the database is not written this way. */
const onlyGet = methodCheck(
  { en: "the macroeconomic database is read, not written, through the exchange: its owner's staff publish figures in the workbench.", zh: '宏观经济数据库经数据交换只读不写，数据由其所属单位的工作人员在工作台中发布。' },
  false,
);

/** The backend egov:macroeconomic: the exchange checked the right and passes the granted fields. */
export function createMacroExchangeBackend(deps: ExchangeBackendDeps & { service: MacroService }) {
  const { service } = deps;

  async function operate(call: BuiltinCall, grant: Grant): Promise<BuiltinAnswer> {
    const s = segmentsOf(call.path);
    const route = s.join('/');
    // The workbench's write operations (setting an observation, importing a file): none here.
    if (route === 'observations' || route === 'imports') onlyGet(call, null);
    if (route === 'indicators') {
      onlyGet(call);
      noQuery(call.query);
      return json(200, (await service.listIndicators()).filter((i) => grants(grant, i.code)));
    }
    if (s[0] === 'indicators' && (s.length === 2 || (s.length === 3 && s[2] === 'coverage'))) {
      onlyGet(call);
      const code = mayRead(grant, segment(s[1], 'code', 40), 'code');
      noQuery(call.query);
      return json(200, s.length === 2 ? await service.getIndicator(code) : await service.coverage(code));
    }
    if (route === 'series') {
      onlyGet(call);
      const q = readQuery(call.query, { indicator: Indicator, region: Region, from: { type: 'text', max: 20 }, to: { type: 'text', max: 20 }, asOf: AsOf });
      mayRead(grant, q.indicator, 'indicator');
      return json(200, await service.series(q));
    }
    if (route === 'cross-section') {
      onlyGet(call);
      const q = readQuery(call.query, { indicator: Indicator, period: Period, parent: Region, asOf: AsOf });
      mayRead(grant, q.indicator, 'indicator');
      return json(200, await service.crossSection(q));
    }
    if (route === 'aggregate') {
      // A roll-up reads the one indicator's figures below the division: granted with the indicator.
      onlyGet(call);
      const q = readQuery(call.query, { indicator: Indicator, period: Period, division: Region, asOf: AsOf });
      mayRead(grant, q.indicator, 'indicator');
      return json(200, await service.aggregate(q));
    }
    if (route === 'observations/revisions') {
      onlyGet(call);
      const q = readQuery(call.query, {
        indicator: Indicator,
        region: { ...Region, pattern: new RegExp(DIVISION_PATTERN), patternEn: 'a six-digit division code (GB/T 2260)', patternZh: '六位行政区划代码（GB/T 2260）' },
        period: { ...Period, pattern: new RegExp(PERIOD_PATTERN), patternEn: 'a period: 2024, 2024-Q3 or 2024-07', patternZh: '时期：如 2024、2024-Q3 或 2024-07' },
      });
      mayRead(grant, q.indicator, 'indicator');
      return json(200, (await service.revisions(q)).map((r) => projectRevision(r, grant)));
    }
    throw unknownOperation(call, OPERATIONS);
  }

  return createRegistryBackend(deps, { registry: REGISTRY, titleEn: 'macroeconomic database', titleZh: '宏观经济数据库' }, operate);
}
