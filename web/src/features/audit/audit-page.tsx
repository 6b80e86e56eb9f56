// The audit viewer: filters kept in the URL (so a view can be bookmarked), paged results,
// a CSV export with the same filters, and a check of the hash chain.
import { useState } from 'react';
import { api, asApiError, queryString, type ApiError, type AuditEvent, type Page, type Query, type VerifyResult } from '../../api.ts';
import { errorMessage, SelectField, TextField } from '../../components/forms.tsx';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { PageTitle } from '../../components/page.tsx';
import { ResultsSection } from '../../components/results-section.tsx';
import { SearchPanel } from '../../components/search-panel.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { localInputToIso } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { AUDIT_ACTION_MODULES, AUDIT_ACTIONS } from './actions.ts';
import { AuditTable } from './audit-table.tsx';

const FORM = 'audit';
const LIMIT = 50;
const DEFAULTS = { actor: '', orgId: '', action: '', outcome: '', from: '', to: '' };
type Filters = typeof DEFAULTS;

/** The API's query: from/to are entered as local date-times and sent as ISO instants. */
function apiQuery(filters: Filters): Query {
  return { ...filters, from: localInputToIso(filters.from), to: localInputToIso(filters.to) };
}

export function AuditPage() {
  const { t, lang, lookup } = useI18n();
  const { href, applied, offset, filters, set, go, clear } = useUrlFilters('/audit', DEFAULTS);
  const directory = useOrgDirectory(lang, 'all');
  const events = useResource(() => api.get<Page<AuditEvent>>('/api/audit', { ...apiQuery(applied), limit: LIMIT, offset }), href);
  const [verify, setVerify] = useState<{ busy: boolean; result?: VerifyResult; error?: ApiError }>({ busy: false });

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
      <SearchPanel formId={FORM} onSearch={() => go({ ...filters, actor: filters.actor.trim(), action: filters.action.trim() })} onClear={clear}>
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
      </SearchPanel>
      <ResultsSection
        titleId="audit-results-title"
        title={t('org.results.title')}
        count={(total) => t('audit.count', { total })}
        results={events}
        offset={offset}
        limit={LIMIT}
        onPage={(o) => go(applied, o)}
      >
        {(items) => <AuditTable events={items} directory={directory} />}
      </ResultsSection>
    </>
  );
}
