// The officer's task inbox (/tasks): their organization's open steps for the duties they hold,
// soonest due first, all of them, theirs or the pool's (kept in the URL), with the deadline in
// words and colour, and the actions on each: claim, give back to the pool, forward to a
// colleague with the same duty, open the dossier. A stale task (someone else acted) says so in
// the server's words and the list reloads.
import { useState } from 'react';
import type { ApiError } from '../../api.ts';
import { FormDialog } from '../../components/confirm-dialog.tsx';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { Notice, SelectField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { ResultsSection } from '../../components/results-section.tsx';
import { SearchPanel } from '../../components/search-panel.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { ProblemLoadError, useProblemText } from '../registries/errors.tsx';
import { applicationsApi, dossierPath, DUTIES_PATH, INBOX_PATH, type Scope, type TaskView } from './api.ts';
import { DeadlineBadge } from './deadline-badge.tsx';
import { ForwardForm } from './forward-form.tsx';
import { dutyLabel } from './labels.ts';
import './applications.css';

const LIMIT = 20;
const SCOPES: Scope[] = ['all', 'mine', 'pool'];
const SCOPE_LABELS: Record<Scope, MessageKey> = { all: 'tasks.scope.all', mine: 'tasks.scope.mine', pool: 'tasks.scope.pool' };
const EMPTY: Record<Scope, MessageKey> = { all: 'tasks.empty.all', mine: 'tasks.empty.mine', pool: 'tasks.empty.pool' };

export function InboxPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const problemText = useProblemText();
  const { href, applied, offset, filters, set, go } = useUrlFilters(INBOX_PATH, { scope: 'all' });
  const scope: Scope = SCOPES.includes(applied.scope as Scope) ? (applied.scope as Scope) : 'all';
  const inbox = useResource(() => applicationsApi.inbox(scope, LIMIT, offset), href);
  const [notice, setNotice] = useState('');
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [forwarding, setForwarding] = useState<TaskView | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const isAdmin = hasAnyRole(session, 'org_admin');
  const step = (task: TaskView) => (lang === 'en' ? task.nameEn || task.nameZh : task.nameZh || task.nameEn);

  async function act(task: TaskView, run: () => Promise<TaskView>, done: MessageKey) {
    setBusy(task.id);
    setNotice('');
    setFailure(undefined);
    try {
      await run();
      setNotice(t(done, { number: task.applicationNumber, step: step(task) }));
    } catch (e) {
      setFailure(e as ApiError);
    } finally {
      setBusy(undefined);
      inbox.reload();
    }
  }

  const mine = (task: TaskView) => task.status === 'claimed' && task.assigneeId === session.user.id;
  const columns: Column<TaskView>[] = [
    { header: t('tasks.col.number'), className: 'mono', cell: (task) => <Link to={dossierPath(task.applicationId)}>{task.applicationNumber}</Link> },
    { header: t('tasks.col.service'), className: 'mono', cell: (task) => task.serviceCode },
    { header: t('tasks.col.applicant'), cell: (task) => task.applicantName },
    { header: t('tasks.col.step'), cell: (task) => step(task) },
    { header: t('tasks.col.assignee'), cell: (task) => task.assigneeName ?? <span className="muted">{t('tasks.unassigned')}</span> },
    { header: t('tasks.col.due'), cell: (task) => <DeadlineBadge warning={task.warning} daysLeft={task.daysLeft} dueDate={task.dueDate} /> },
    {
      header: t('common.actions'),
      className: 'actions',
      cell: (task) => {
        const subject = `${task.applicationNumber} ${step(task)}`;
        const disabled = busy === task.id;
        return (
          <div className="task-actions">
            {task.status === 'open' && (
              <button type="button" className="button button-small" aria-label={`${t('tasks.claim')} ${subject}`} disabled={disabled} onClick={() => void act(task, () => applicationsApi.claim(task.id, task.version), 'tasks.claimed')}>
                {t('tasks.claim')}
              </button>
            )}
            {mine(task) && (
              <button type="button" className="button button-secondary button-small" aria-label={`${t('tasks.return')} ${subject}`} disabled={disabled} onClick={() => void act(task, () => applicationsApi.giveBack(task.id, task.version), 'tasks.returned')}>
                {t('tasks.return')}
              </button>
            )}
            {(task.status === 'open' || mine(task)) && (
              <button type="button" className="button button-secondary button-small" aria-label={`${t('tasks.forward')} ${subject}`} disabled={disabled} onClick={() => setForwarding(task)}>
                {t('tasks.forward')}
              </button>
            )}
            <Link to={dossierPath(task.applicationId)} className="button button-secondary button-small" aria-label={`${t('tasks.open')} ${subject}`}>
              {t('tasks.open')}
            </Link>
          </div>
        );
      },
    },
  ];

  const duties = inbox.data?.duties ?? [];
  return (
    <>
      <PageTitle
        actions={
          isAdmin && (
            <Link to={DUTIES_PATH} className="button button-secondary">
              {t('tasks.duties.link')}
            </Link>
          )
        }
      >
        {t('tasks.title')}
      </PageTitle>
      <p className="lead">{t('tasks.intro')}</p>
      <Notice>{notice}</Notice>
      {failure && (
        <div className="error-summary" role="alert">
          <p>{problemText(failure)}</p>
          {failure.status === 409 && <p>{t('tasks.reloaded')}</p>}
        </div>
      )}
      {inbox.data && duties.length > 0 && <p>{t('tasks.yourDuties', { duties: duties.map((d) => dutyLabel(t, d)).join(t('tasks.listSep')) })}</p>}
      {inbox.data && duties.length === 0 && (
        <p className="callout" data-testid="no-duties">
          {t(isAdmin ? 'tasks.noDutiesAdmin' : 'tasks.noDuties')} {isAdmin && <Link to={DUTIES_PATH}>{t('tasks.duties.link')}</Link>}
        </p>
      )}
      <SearchPanel formId="tasks-filter" onSearch={() => go(filters)}>
        <SelectField formId="tasks-filter" name="scope" label={t('tasks.scope')} value={filters.scope} onChange={set('scope')} options={SCOPES.map((s) => ({ value: s, label: t(SCOPE_LABELS[s]) }))} />
      </SearchPanel>
      {inbox.error && !inbox.data ? (
        <ProblemLoadError error={inbox.error} onRetry={inbox.reload} />
      ) : (
        <ResultsSection titleId="tasks-list-title" title={t('tasks.list')} count={(total) => t('tasks.count', { total })} results={inbox} offset={offset} limit={LIMIT} onPage={(o) => go(applied, o)}>
          {(items) => <DataTable items={items} columns={columns} rowKey={(task) => task.id} empty={duties.length === 0 ? t(isAdmin ? 'tasks.noDutiesAdmin' : 'tasks.noDuties') : t(EMPTY[scope])} />}
        </ResultsSection>
      )}
      <FormDialog open={forwarding !== undefined} title={forwarding ? t('tasks.forwardTitle', { number: forwarding.applicationNumber, step: step(forwarding) }) : ''} onClose={() => setForwarding(undefined)}>
        {forwarding && (
          <ForwardForm
            task={forwarding}
            onCancel={() => setForwarding(undefined)}
            onDone={(name) => {
              const task = forwarding;
              setForwarding(undefined);
              setFailure(undefined);
              setNotice(t('tasks.forwarded', { number: task.applicationNumber, step: step(task), name }));
              inbox.reload();
            }}
          />
        )}
      </FormDialog>
    </>
  );
}
