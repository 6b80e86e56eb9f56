// The dossier's read-only sections: the application at a glance (number, service, applicant,
// status, the clock), the form data under the e-form's own labels with the registry values
// saying where they came from, the materials to download, the history in words, and the steps
// with who did them and how they ended.
import type { ReactNode } from 'react';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useI18n, type Translate } from '../../i18n/index.tsx';
import type { FormField, FormView } from '../services/form-api.ts';
import type { ServiceView } from '../services/api.ts';
import { applicationsApi, type DossierView, type HistoryLine, type TaskView } from './api.ts';
import { DeadlineBadge } from './deadline-badge.tsx';
import { APPLICATION_STATUS_TONE, dutyLabel, eventLabel, suspensionLabel, TASK_STATUS_LABELS } from './labels.ts';

const day = (date: string, lang: 'zh-CN' | 'en') => formatDate(`${date}T12:00:00`, lang);

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="dossier-facts">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function DossierSummary({ view, service }: { view: DossierView; service: ServiceView | undefined }) {
  const { t, lang } = useI18n();
  const serviceName = service ? (lang === 'en' ? service.nameEn || service.nameZh : service.nameZh || service.nameEn) : view.serviceCode;
  const rows: [string, ReactNode][] = [
    [t('dossier.service'), `${serviceName} (${view.serviceCode})`],
    [t('dossier.applicant'), view.applicantName],
  ];
  if (view.enterprise) rows.push([t('dossier.enterprise'), t('dossier.enterpriseValue', { name: view.enterprise.name, code: view.enterprise.creditCode })]);
  rows.push([t('dossier.status'), <span className={`badge ${APPLICATION_STATUS_TONE[view.status]}`}>{lang === 'en' ? view.statusEn : view.statusZh}</span>]);
  if (view.submittedAt) rows.push([t('dossier.submittedAt'), formatDateTime(view.submittedAt, lang)]);
  if (view.status === 'submitted' && view.acceptanceDue) rows.push([t('dossier.acceptanceDue'), day(view.acceptanceDue, lang)]);
  if (view.acceptedOn) rows.push([t('dossier.acceptedOn'), `${day(view.acceptedOn, lang)}${view.deemedAccepted ? t('dossier.deemed') : ''}`]);
  return (
    <section className="panel" aria-labelledby="dossier-summary-title">
      <h2 id="dossier-summary-title">{t('dossier.summary')}</h2>
      <Facts rows={rows} />
      <ClockFacts view={view} />
      <Outcome view={view} />
    </section>
  );
}

function ClockFacts({ view }: { view: DossierView }) {
  const { t, lang } = useI18n();
  const clock = view.clock;
  if (!clock) return view.status === 'in_review' ? null : <p className="muted">{t('dossier.clock.none')}</p>;
  const rows: [string, ReactNode][] = [
    [t('dossier.clock.due'), <DeadlineBadge warning={clock.warning as 'none'} daysLeft={clock.daysLeft} dueDate={clock.dueDate} />],
    [t('dossier.clock.statutory'), t('dossier.clock.statutoryDays', { days: clock.statutoryDays })],
    [t('dossier.clock.extended'), t(clock.extended ? 'dossier.clock.extendedYes' : 'dossier.clock.extendedNo')],
  ];
  if (clock.promisedDueDate) rows.splice(2, 0, [t('dossier.clock.promised'), day(clock.promisedDueDate, lang)]);
  if (clock.warning === 'suspended' || clock.suspendedDays > 0) {
    rows.push([t('dossier.clock.suspendedDays'), `${clock.warning === 'suspended' ? `${t('dossier.clock.suspendedNow')}. ` : ''}${t('dossier.clock.suspendedValue', { days: clock.suspendedDays })}`]);
  }
  return (
    <>
      <h3>{t('dossier.clock')}</h3>
      <Facts rows={rows} />
    </>
  );
}

function Outcome({ view }: { view: DossierView }) {
  const { t, lang } = useI18n();
  const text = (zh: unknown, en: unknown) => String((lang === 'en' ? en || zh : zh || en) ?? '');
  if (view.status === 'not_accepted' && view.acceptance) {
    const a = view.acceptance;
    const rows: [string, ReactNode][] = [[t('dossier.notAccepted.reason'), text(a.reasonZh, a.reasonEn)]];
    if (a.agencyZh || a.agencyEn) rows.push([t('dossier.notAccepted.agency'), text(a.agencyZh, a.agencyEn)]);
    return (
      <>
        <h3>{t('dossier.notAccepted')}</h3>
        <Facts rows={rows} />
      </>
    );
  }
  if (!view.decision) return null;
  const rows: [string, ReactNode][] = [[t('dossier.decision'), t(view.decision === 'approve' ? 'dossier.decision.approve' : 'dossier.decision.deny')]];
  if (view.decidedAt) rows.push([t('dossier.decision.at'), formatDateTime(view.decidedAt, lang)]);
  if (view.decisionReasons.length) rows.push([t('dossier.decision.reasons'), view.decisionReasons.join('；')]);
  if (view.licenceId) rows.push([t('dossier.decision.licence'), <span className="mono">{view.licenceId}</span>]);
  return (
    <>
      <h3>{t('dossier.decision')}</h3>
      <Facts rows={rows} />
    </>
  );
}

/** What was asked of the applicant at acceptance, item by item. */
export function SupplementNotice({ view, materialName }: { view: DossierView; materialName: (key: string) => string }) {
  const { t, lang } = useI18n();
  const s = view.supplement as { items?: { materialKey?: string; zh: string; en: string }[]; noteZh?: string; noteEn?: string; requestedAt?: string; requestedBy?: string } | null;
  if (!s?.items?.length) return null;
  const note = lang === 'en' ? s.noteEn || s.noteZh : s.noteZh || s.noteEn;
  return (
    <section className="panel" aria-labelledby="dossier-supplement-title">
      <h2 id="dossier-supplement-title">{t('dossier.supplement.title')}</h2>
      <p>{t('dossier.supplement.intro', { by: s.requestedBy ?? '', at: formatDateTime(s.requestedAt, lang) })}</p>
      <ol>
        {s.items.map((item, i) => (
          <li key={i}>
            {lang === 'en' ? item.en || item.zh : item.zh || item.en}
            {item.materialKey && ` ${t('dossier.supplement.material', { name: materialName(item.materialKey) })}`}
          </li>
        ))}
      </ol>
      {note && <p>{t('dossier.supplement.note', { note })}</p>}
    </section>
  );
}

function valueText(t: Translate, pick: (zh?: string, en?: string) => string, field: FormField | undefined, value: unknown): string {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return t('dossier.form.empty');
  if (typeof value === 'boolean') return t(value ? 'dossier.form.yes' : 'dossier.form.no');
  const option = (v: unknown) => {
    const found = field?.options?.find((o) => o.value === v);
    return found ? pick(found.labelZh, found.labelEn) || found.value : String(v);
  };
  if (Array.isArray(value)) return value.map(option).join(t('tasks.listSep'));
  if (typeof value === 'object') return JSON.stringify(value);
  return option(value);
}

export function FormData({ view, form }: { view: DossierView; form: FormView | undefined }) {
  const { t, lang, lookup } = useI18n();
  const pick = (zh?: string, en?: string) => (lang === 'en' ? en || zh : zh || en) ?? '';
  const data = view.formData;
  const fields = form?.fields ?? [];
  const known = new Set(fields.map((f) => f.key));
  const extra = Object.keys(data).filter((k) => !known.has(k));

  function row(key: string, field?: FormField) {
    const source = view.prefilled[key];
    const noteId = `dossier-field-${key}-source`;
    return (
      <div key={key} className={source ? 'dossier-prefilled' : undefined}>
        <dt>{field ? pick(field.labelZh, field.labelEn) : key}</dt>
        <dd aria-describedby={source ? noteId : undefined}>
          {valueText(t, pick, field, data[key])}
          {source && (
            <span className="hint dossier-source" id={noteId}>
              {(source.exchangeId ? t('dossier.form.prefilled', { registry: lookup(`dossier.registry.${source.registry}`) ?? source.registry, message: source.exchangeId, at: formatDateTime(source.readAt, lang) }) : t('dossier.form.prefilledNoMessage', { registry: lookup(`dossier.registry.${source.registry}`) ?? source.registry, at: formatDateTime(source.readAt, lang) }))}
            </span>
          )}
        </dd>
      </div>
    );
  }

  const sections = form?.sections ?? [];
  const loose = fields.filter((f) => !f.section || !sections.some((s) => s.key === f.section));
  return (
    <section className="panel" aria-labelledby="dossier-form-title">
      <h2 id="dossier-form-title">{t('dossier.form.title')}</h2>
      {!form && <p className="muted">{t('dossier.form.loading')}</p>}
      {sections.map((s) => {
        const inside = fields.filter((f) => f.section === s.key);
        if (inside.length === 0) return null;
        return (
          <div key={s.key}>
            <h3>{pick(s.labelZh, s.labelEn)}</h3>
            <dl className="dossier-facts">{inside.map((f) => row(f.key, f))}</dl>
          </div>
        );
      })}
      {loose.length > 0 && <dl className="dossier-facts">{loose.map((f) => row(f.key, f))}</dl>}
      {extra.length > 0 && (
        <>
          {form && <h3>{t('dossier.form.other')}</h3>}
          <dl className="dossier-facts">{extra.map((k) => row(k))}</dl>
        </>
      )}
    </section>
  );
}

export function Materials({ view, materialName }: { view: DossierView; materialName: (key: string) => string }) {
  const { t, lang } = useI18n();
  const columns: Column<DossierView['files'][number]>[] = [
    { header: t('dossier.files.material'), cell: (f) => materialName(f.materialKey) },
    {
      header: t('dossier.files.file'),
      cell: (f) => (
        <a href={applicationsApi.fileUrl(view.id, f.id)} download={f.fileName} aria-label={t('dossier.files.download', { name: f.fileName })}>
          {f.fileName}
        </a>
      ),
    },
    { header: t('dossier.files.size'), className: 'num', cell: (f) => t('dossier.files.kb', { n: Math.max(1, Math.round(f.size / 1024)) }) },
    { header: t('dossier.files.uploaded'), cell: (f) => formatDateTime(f.uploadedAt, lang) },
  ];
  return (
    <section className="panel" aria-labelledby="dossier-files-title">
      <h2 id="dossier-files-title">{t('dossier.files.title')}</h2>
      <DataTable items={view.files} columns={columns} rowKey={(f) => f.id} empty={t('dossier.files.empty')} compact />
    </section>
  );
}

function eventDetail(t: Translate, lang: 'zh-CN' | 'en', line: HistoryLine): string {
  const d = line.detail;
  const parts: string[] = [];
  if (typeof d.opinion === 'string') parts.push(t(d.opinion === 'agree' ? 'dossier.history.opinion.agree' : 'dossier.history.opinion.disagree'));
  if (typeof d.reason === 'string') parts.push(suspensionLabel(t, d.reason));
  const reason = lang === 'en' ? d.reasonEn || d.noteEn : d.reasonZh || d.noteZh;
  if (typeof reason === 'string' && reason) parts.push(reason);
  if (typeof d.items === 'number') parts.push(t('dossier.history.items', { n: d.items }));
  if (typeof d.dueDate === 'string') parts.push(t('dossier.history.dueDate', { date: day(d.dueDate, lang) }));
  if (Array.isArray(d.reasons) && d.reasons.length) parts.push(d.reasons.join('；'));
  if (typeof d.text === 'string') parts.push(d.text);
  return parts.join(' · ');
}

export function History({ view }: { view: DossierView }) {
  const { t, lang } = useI18n();
  return (
    <section className="panel" aria-labelledby="dossier-history-title">
      <h2 id="dossier-history-title">{t('dossier.history.title')}</h2>
      {view.history.length === 0 ? (
        <p>{t('dossier.history.empty')}</p>
      ) : (
        <ol className="dossier-history">
          {view.history.map((line, i) => {
            const detail = eventDetail(t, lang, line);
            return (
              <li key={i} data-event={line.type}>
                <time dateTime={line.at}>{formatDateTime(line.at, lang)}</time> <strong>{eventLabel(t, line.type)}</strong> — {line.actor.kind === 'system' ? t('dossier.history.system') : line.actor.kind === 'citizen' ? t('dossier.history.applicant', { name: view.applicantName }) : line.actor.name}
                {detail && <span className="muted"> ({detail})</span>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** Each finished step's outcome, from what its officer decided (the acceptance's decision, a reviewer's opinion, a decision). */
function outcomes(view: DossierView): Map<string, string> {
  const out = new Map<string, string>();
  for (const task of view.tasks) {
    const o = task.outcome;
    if (task.status !== 'done' || !o) continue;
    const value = typeof o.decision === 'string' && task.kind === 'acceptance' ? (o.decision === 'supplement' ? 'supplement_request' : o.decision) : typeof o.opinion === 'string' ? o.opinion : undefined;
    if (value) out.set(task.id, value);
  }
  return out;
}

export function Steps({ view }: { view: DossierView }) {
  const { t, lang, lookup } = useI18n();
  const ended = outcomes(view);
  const columns: Column<TaskView>[] = [
    { header: t('dossier.tasks.step'), cell: (task) => (lang === 'en' ? task.nameEn || task.nameZh : task.nameZh || task.nameEn) },
    { header: t('dossier.tasks.duty'), cell: (task) => dutyLabel(t, task.duty) },
    { header: t('dossier.tasks.status'), cell: (task) => (task.status in TASK_STATUS_LABELS ? t(TASK_STATUS_LABELS[task.status]) : task.status) },
    { header: t('dossier.tasks.assignee'), cell: (task) => task.assigneeName ?? <span className="muted">{t('tasks.unassigned')}</span> },
    { header: t('tasks.col.due'), cell: (task) => (task.status === 'open' || task.status === 'claimed' ? <DeadlineBadge warning={task.warning} daysLeft={task.daysLeft} dueDate={task.dueDate} /> : '—') },
    { header: t('dossier.tasks.outcome'), cell: (task) => (ended.has(task.id) ? (lookup(`dossier.outcome.${ended.get(task.id)}`) ?? ended.get(task.id)) : '—') },
  ];
  return (
    <section className="panel" aria-labelledby="dossier-tasks-title">
      <h2 id="dossier-tasks-title">{t('dossier.tasks.title')}</h2>
      <DataTable items={view.tasks} columns={columns} rowKey={(task) => task.id} empty={t('dossier.tasks.empty')} compact />
    </section>
  );
}
