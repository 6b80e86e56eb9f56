import { Fragment } from 'react';
import type { AuditEvent } from '../../api.ts';
import { DataTable, type Column } from '../../components/data-table.tsx';
import type { OrgDirectory } from '../../components/org-directory.ts';
import { formatDateTime } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';

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

/** Audit events, one a row, with organizations by name from the directory. */
export function AuditTable({ events, directory }: { events: AuditEvent[]; directory: OrgDirectory }) {
  const { t, lang, lookup } = useI18n();
  const columns: Column<AuditEvent>[] = [
    { header: t('audit.col.seq'), className: 'num', cell: (event) => event.seq },
    { header: t('audit.col.at'), className: 'nowrap', cell: (event) => formatDateTime(event.at, lang) },
    { header: t('audit.col.actor'), className: 'mono', cell: (event) => event.actorName },
    { header: t('audit.col.org'), className: 'org-cell', cell: (event) => directory.name(event.orgId) },
    { header: t('audit.col.action'), className: 'action-cell', cell: (event) => <Action code={event.action} /> },
    {
      header: t('audit.col.subject'),
      className: 'small subject-cell',
      cell: (event) => <Subject type={event.subjectType} id={event.subjectId} orgName={directory.byId.has(event.subjectId ?? '') ? directory.name(event.subjectId) : undefined} />,
    },
    { header: t('audit.col.outcome'), cell: (event) => <span className={`badge badge-${event.outcome}`}>{lookup(`audit.outcome.${event.outcome}`) ?? event.outcome}</span> },
    { header: t('audit.col.ip'), className: 'mono small', cell: (event) => event.ip ?? '' },
    { header: t('audit.col.detail'), className: 'mono small detail-cell', cell: (event) => <Detail detail={event.detail} /> },
  ];
  return <DataTable items={events} columns={columns} rowKey={(event) => event.seq} empty={t('common.noResults')} compact />;
}
