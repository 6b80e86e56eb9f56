// The audit viewer: filters kept in the URL (so a view can be bookmarked), paged results,
// a CSV export with the same filters, and a check of the hash chain.
import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { api, asApiError, queryString, type ApiError, type AuditEvent, type Page, type Query, type VerifyResult } from '../../api.ts';
import { errorMessage, SelectField, TextField } from '../../components/forms.tsx';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { PageTitle } from '../../components/page.tsx';
import { Pager } from '../../components/pager.tsx';
import { LoadError, Loading } from '../../components/status.tsx';
import { formatDateTime, localInputToIso } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, navigate, useLocation } from '../../router.tsx';
import { AUDIT_ACTION_MODULES, AUDIT_ACTIONS } from './actions.ts';

const FORM = 'audit';
const LIMIT = 50;
const FILTER_KEYS = ['actor', 'orgId', 'action', 'outcome', 'from', 'to'] as const;
type Filters = Record<(typeof FILTER_KEYS)[number], string>;

function readFilters(search: URLSearchParams): Filters {
  const out = {} as Filters;
  for (const key of FILTER_KEYS) out[key] = search.get(key) ?? '';
  return out;
}

/** The API's query: from/to are entered as local date-times and sent as ISO instants. */
function apiQuery(filters: Filters): Query {
  return { ...filters, from: localInputToIso(filters.from), to: localInputToIso(filters.to) };
}

/** What an event was about; organizations link to their page, by name when it is known. */
function Subject({ type, id, orgName }: { type: string | null; id: string | null; orgName: string | undefined }) {
  const { lookup } = useI18n();
  const typeLabel = type ? (lookup(`audit.subject.${type}`) ?? type) : '';
  if (!id) return <>{typeLabel}</>;
  return (
    <>
      {typeLabel}
      {type === 'organization' ? (
        <Link to={`/organizations/${id}`} className="secondary-link">
          {orgName ?? id}
        </Link>
      ) : (
        <span className="mono secondary-name">{id}</span>
      )}
    </>
  );
}

/** A dotted code that may wrap only after its dots. */
function DottedCode({ code }: { code: string }) {
  const parts = code.split('.');
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              .<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}

/** An action in words, with its code underneath: auditors search by the code. Unknown codes show as they are. */
function Action({ code }: { code: string }) {
  const { lookup } = useI18n();
  const label = lookup(`audit.action.${code}`);
  if (!label) {
    return (
      <span className="mono">
        <DottedCode code={code} />
      </span>
    );
  }
  return (
    <>
      {label}
      <span className="mono secondary-name">
        <DottedCode code={code} />
      </span>
    </>
  );
}

/** Detail is free-form JSON: a one-line summary that opens to the full text. */
function Detail({ detail }: { detail: Record<string, unknown> | null }) {
  if (detail === null || detail === undefined) return null;
  if (Object.keys(detail).length === 0) return null;
  const oneLine = JSON.stringify(detail);
  if (oneLine.length <= 28) return <>{oneLine}</>;
  return (
    <details className="detail">
      <summary>{`${oneLine.slice(0, 24)}…`}</summary>
      <pre>{JSON.stringify(detail, null, 2)}</pre>
    </details>
  );
}

export function AuditPage() {
  const { t, lang, lookup } = useI18n();
  const { search, href } = useLocation();
  const applied = readFilters(search);
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const [filters, setFilters] = useState<Filters>(applied);
  useEffect(() => setFilters(readFilters(new URL(href, window.location.origin).searchParams)), [href]);
  const directory = useOrgDirectory(lang, 'all');
  const events = useResource(() => api.get<Page<AuditEvent>>('/api/audit', { ...apiQuery(applied), limit: LIMIT, offset }), href);
  const [verify, setVerify] = useState<{ busy: boolean; result?: VerifyResult; error?: ApiError }>({ busy: false });

  const go = (next: Filters, nextOffset = 0) => navigate(`/audit${queryString({ ...next, offset: nextOffset || '' })}`);
  const set = (key: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    go({ ...filters, actor: filters.actor.trim(), action: filters.action.trim() });
  }

  function clear() {
    const empty = readFilters(new URLSearchParams());
    setFilters(empty);
    go(empty);
  }

  async function runVerify() {
    setVerify({ busy: true });
    try {
      setVerify({ busy: false, result: await api.get<VerifyResult>('/api/audit/verify') });
    } catch (e) {
      setVerify({ busy: false, error: asApiError(e) });
    }
  }

  const exportHref = `/api/audit/export.csv${queryString(apiQuery(applied))}`;

  return (
    <>
      <PageTitle
        actions={
          <>
            <a className="button button-secondary" href={exportHref} download>
              {t('audit.export')}
            </a>
            <button type="button" className="button button-secondary" onClick={() => void runVerify()} disabled={verify.busy}>
              {verify.busy ? t('audit.verifying') : t('audit.verify')}
            </button>
          </>
        }
      >
        {t('audit.title')}
      </PageTitle>
      <div role="status" className={verify.result ? (verify.result.ok ? 'notice notice-ok' : 'notice notice-bad') : verify.error ? 'notice notice-bad' : 'notice notice-empty'}>
        {verify.result &&
          (verify.result.ok
            ? t('audit.verify.ok', { rows: verify.result.rows })
            : t('audit.verify.bad', { rows: verify.result.rows, seq: verify.result.firstBadSeq ?? '?', reason: verify.result.reason ?? '' }))}
        {verify.error && errorMessage(lookup, verify.error)}
      </div>
      <section className="panel" aria-labelledby={`${FORM}-title`}>
        <h2 id={`${FORM}-title`} className="visually-hidden">
          {t('common.search')}
        </h2>
        <form className="filters" role="search" onSubmit={submit} aria-labelledby={`${FORM}-title`}>
          <TextField formId={FORM} name="actor" label={t('audit.filter.actor')} value={filters.actor} onChange={set('actor')} spellCheck={false} />
          <SelectField formId={FORM} name="orgId" label={t('audit.filter.org')} value={filters.orgId} onChange={set('orgId')} options={[{ value: '', label: t('audit.filter.allOrgs') }, ...directory.options]} />
          <TextField formId={FORM} name="action" label={t('audit.filter.action')} hint={t('audit.filter.actionHint')} value={filters.action} onChange={set('action')} spellCheck={false} list={`${FORM}-actions`} />
          <datalist id={`${FORM}-actions`}>
            {AUDIT_ACTION_MODULES.map((module) => (
              <option key={module} value={`${module}.`}>
                {t(`audit.actionModule.${module}`)}
              </option>
            ))}
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(`audit.action.${action}`)}
              </option>
            ))}
          </datalist>
          <SelectField
            formId={FORM}
            name="outcome"
            label={t('audit.filter.outcome')}
            value={filters.outcome}
            onChange={set('outcome')}
            options={[
              { value: '', label: t('common.all') },
              { value: 'success', label: t('audit.outcome.success') },
              { value: 'failure', label: t('audit.outcome.failure') },
            ]}
          />
          <TextField formId={FORM} name="from" type="datetime-local" label={t('audit.filter.from')} value={filters.from} onChange={set('from')} />
          <TextField formId={FORM} name="to" type="datetime-local" label={t('audit.filter.to')} value={filters.to} onChange={set('to')} />
          <div className="button-row filters-buttons">
            <button type="submit" className="button">
              {t('common.search')}
            </button>
            <button type="button" className="button button-secondary" onClick={clear}>
              {t('common.clear')}
            </button>
          </div>
        </form>
      </section>
      <section className="panel" aria-labelledby="audit-results-title" aria-busy={events.loading}>
        <div className="section-head">
          <h2 id="audit-results-title">{t('org.results.title')}</h2>
          {events.data && <p className="muted">{t('audit.count', { total: events.data.total })}</p>}
        </div>
        {events.error && <LoadError error={events.error} onRetry={events.reload} />}
        {events.loading && !events.data && <Loading />}
        {events.data &&
          (events.data.items.length === 0 ? (
            <p>{t('common.noResults')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-compact">
                <thead>
                  <tr>
                    <th scope="col">{t('audit.col.seq')}</th>
                    <th scope="col">{t('audit.col.at')}</th>
                    <th scope="col">{t('audit.col.actor')}</th>
                    <th scope="col">{t('audit.col.org')}</th>
                    <th scope="col">{t('audit.col.action')}</th>
                    <th scope="col">{t('audit.col.subject')}</th>
                    <th scope="col">{t('audit.col.outcome')}</th>
                    <th scope="col">{t('audit.col.ip')}</th>
                    <th scope="col">{t('audit.col.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {events.data.items.map((event) => (
                    <tr key={event.seq}>
                      <td className="num">{event.seq}</td>
                      <td className="nowrap">{formatDateTime(event.at, lang)}</td>
                      <td className="mono">{event.actorName}</td>
                      <td className="org-cell">{directory.name(event.orgId)}</td>
                      <td className="action-cell">
                        <Action code={event.action} />
                      </td>
                      <td className="small subject-cell">
                        <Subject type={event.subjectType} id={event.subjectId} orgName={directory.byId.has(event.subjectId ?? '') ? directory.name(event.subjectId) : undefined} />
                      </td>
                      <td>
                        <span className={`badge badge-${event.outcome}`}>{lookup(`audit.outcome.${event.outcome}`) ?? event.outcome}</span>
                      </td>
                      <td className="mono small">{event.ip ?? ''}</td>
                      <td className="mono small detail-cell">
                        <Detail detail={event.detail} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        {events.data && <Pager offset={offset} limit={LIMIT} total={events.data.total} onChange={(o) => go(applied, o)} />}
      </section>
    </>
  );
}
