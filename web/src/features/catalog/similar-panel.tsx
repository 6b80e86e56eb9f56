// Against duplicate construction. In the new-entry editor, as the name and data items are
// typed, the catalog's most similar entries are listed (after a pause in typing) with their
// score and the items in common, each opening in a new tab so the draft stays; the drafter
// confirms they checked them and may say why theirs differs, and both are sent with the
// create. On an entry's page, its department and the data bureau read what the drafter was
// shown then and their note.
import { useEffect, useState } from 'react';
import type { ApiError } from '../../api.ts';
import { DataTable } from '../../components/data-table.tsx';
import { fieldId } from '../../components/forms.tsx';
import { formatDateTime, localName } from '../../format.ts';
import { useDebounced, useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ProblemLoadError, useProblemText } from '../registries/errors.tsx';
import { catalogApi, type SimilarAnswer, type SimilarDraft, type SimilarEntry } from './api.ts';
import { EntryStatusBadge } from './badges.tsx';

const DEBOUNCE_MS = 400;

const percent = (score: number) => Math.round(score * 100);

const isEmpty = (draft: SimilarDraft) => !draft.nameZh.trim() && !draft.nameEn.trim() && draft.dataItems.every((i) => !i.name.trim() && !i.nameEn.trim() && !i.field.trim());

/** The columns both lists share: the entry (a link, opening in a new tab), its provider, state, score and items in common. */
function useSimilarColumns(ownOrgId?: string) {
  const { t, lang } = useI18n();
  return [
    {
      header: t('catalog.similar.entry'),
      cell: (s: SimilarEntry) => (
        <>
          <a href={`/catalog/entries/${encodeURIComponent(s.id)}`} target="_blank" rel="noopener noreferrer">
            <span className="catalog-code">{s.code}</span> {localName(s, lang)}
            <span className="visually-hidden"> {t('catalog.similar.newTab')}</span>
          </a>
          {s.high && (
            <>
              {' '}
              <span className="badge badge-failure">{t('catalog.similar.high')}</span>
            </>
          )}
        </>
      ),
    },
    {
      header: t('catalog.similar.provider'),
      cell: (s: SimilarEntry) => (
        <>
          {localName(s.provider, lang)}
          {ownOrgId !== undefined && s.provider.id === ownOrgId && <span className="hint"> ({t('catalog.similar.ownDept')})</span>}
        </>
      ),
    },
    { header: t('catalog.similar.status'), cell: (s: SimilarEntry) => <EntryStatusBadge status={s.status} /> },
    { header: t('catalog.similar.score'), className: 'num', cell: (s: SimilarEntry) => t('catalog.similar.scoreValue', { percent: percent(s.score) }) },
    {
      header: t('catalog.similar.matched'),
      cell: (s: SimilarEntry) =>
        s.matchedItems.length === 0
          ? t('catalog.similar.noMatched')
          : s.matchedItems.map((m) => (m.draft === m.existing ? m.draft : t('catalog.similar.matchedPair', { draft: m.draft, existing: m.existing }))).join(lang === 'zh-CN' ? '、' : ', '),
    },
  ];
}

type PanelProps = {
  formId: string;
  draft: SimilarDraft;
  ownOrgId: string;
  /** The server's problems by input (similarAcknowledged, similarNote). */
  errors: Record<string, string>;
  /** The create's refusal, if any: the list is looked up again after one. */
  error: ApiError | undefined;
  onAnswer: (answer: SimilarAnswer) => void;
};

export function SimilarPanel({ formId, draft, ownOrgId, errors, error, onAnswer }: PanelProps) {
  const { t } = useI18n();
  const problemText = useProblemText();
  const key = useDebounced(JSON.stringify(draft), DEBOUNCE_MS);
  const empty = isEmpty(JSON.parse(key) as SimilarDraft);
  const result = useResource(() => (empty ? Promise.resolve(undefined) : catalogApi.similar(JSON.parse(key) as SimilarDraft)), `catalog-similar-${key}`);
  const columns = useSimilarColumns(ownOrgId);
  // The ids listed when the box was ticked: a highly similar entry listed later unticks it.
  const [ticked, setTicked] = useState<string[] | undefined>();
  const [note, setNote] = useState('');
  const items = empty ? [] : (result.data?.items ?? []);
  const high = items.filter((s) => s.high);
  const acknowledged = ticked !== undefined && high.every((s) => ticked.includes(s.id));
  const seen = items.map((s) => s.id).join(',');

  useEffect(() => {
    onAnswer({ similarSeen: seen ? seen.split(',') : [], similarAcknowledged: acknowledged, similarNote: note });
  }, [seen, acknowledged, note, onAnswer]);
  useEffect(() => {
    if (error?.code === 'similar_entries_unacknowledged') result.reload();
    // Only a new refusal asks again (the server may know entries the list did not show).
  }, [error, result.reload]);

  const threshold = percent(result.data?.threshold ?? 0.6);
  let status: string;
  if (empty) status = t('catalog.similar.waiting');
  else if (result.loading && !result.data) status = t('catalog.similar.checking');
  else if (result.error) status = t('catalog.similar.failed', { reason: problemText(result.error) });
  else if (items.length === 0) status = t('catalog.similar.none');
  else status = t('catalog.similar.found', { count: items.length, high: high.length });

  const boxId = fieldId(formId, 'similarAcknowledged');
  const ackError = errors.similarAcknowledged;
  return (
    <section className="panel catalog-similar" aria-labelledby={`${formId}-similar-title`} aria-busy={result.loading && !empty}>
      <h2 id={`${formId}-similar-title`}>{t('catalog.similar.title')}</h2>
      <p className="hint">{t('catalog.similar.hint')}</p>
      <p role="status">{status}</p>
      {items.length > 0 && <DataTable items={items} rowKey={(s) => s.id} empty="" compact columns={columns} />}
      {items.length > 0 && (
        <div className={`field${ackError ? ' field-invalid' : ''}`}>
          {ackError && (
            <p className="field-error" id={`${boxId}-error`}>
              {ackError}
            </p>
          )}
          <div className="checkbox">
            <input
              id={boxId}
              name="similarAcknowledged"
              type="checkbox"
              checked={acknowledged}
              aria-invalid={ackError ? true : undefined}
              aria-describedby={`${boxId}-hint${ackError ? ` ${boxId}-error` : ''}`}
              onChange={(e) => setTicked(e.target.checked ? items.map((s) => s.id) : undefined)}
            />
            <label htmlFor={boxId}>{t('catalog.similar.acknowledge')}</label>
            <p className="hint" id={`${boxId}-hint`}>
              {t('catalog.similar.acknowledgeHint', { threshold })}
            </p>
          </div>
        </div>
      )}
      {items.length > 0 && (
        <div className={`field${errors.similarNote ? ' field-invalid' : ''}`}>
          <label htmlFor={fieldId(formId, 'similarNote')}>{t('catalog.similar.note')}</label>
          <p className="hint" id={`${fieldId(formId, 'similarNote')}-hint`}>
            {t('catalog.similar.noteHint')}
          </p>
          {errors.similarNote && (
            <p className="field-error" id={`${fieldId(formId, 'similarNote')}-error`}>
              {errors.similarNote}
            </p>
          )}
          <textarea
            id={fieldId(formId, 'similarNote')}
            name="similarNote"
            rows={2}
            maxLength={2000}
            value={note}
            aria-invalid={errors.similarNote ? true : undefined}
            aria-describedby={`${fieldId(formId, 'similarNote')}-hint${errors.similarNote ? ` ${fieldId(formId, 'similarNote')}-error` : ''}`}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
      )}
    </section>
  );
}

/** On an entry's page (its department and the data bureau): what the drafter was shown when creating it. */
export function SimilarCheckSection({ entryId }: { entryId: string }) {
  const { t, lang } = useI18n();
  const record = useResource(() => catalogApi.similarCheck(entryId), `catalog-similar-check-${entryId}`);
  const columns = useSimilarColumns();
  const checks = record.data?.checks ?? [];
  return (
    <section className="panel catalog-similar" aria-labelledby="catalog-similar-check-title">
      <h2 id="catalog-similar-check-title">{t('catalog.similarCheck.title')}</h2>
      {record.error && <ProblemLoadError error={record.error} onRetry={record.reload} />}
      {record.data && checks.length === 0 && <p>{t('catalog.similarCheck.none')}</p>}
      {checks.length > 0 && <p className="hint">{t('catalog.similarCheck.intro')}</p>}
      {checks.map((check) => (
        <div key={check.id} className="catalog-similar-check" data-testid="similar-check">
          <p>{t('catalog.similarCheck.summary', { at: formatDateTime(check.checkedAt, lang), actor: check.actorName })}</p>
          <p>
            <strong>{t(check.acknowledged ? 'catalog.similarCheck.acknowledged' : 'catalog.similarCheck.notAcknowledged')}</strong>
          </p>
          <dl className="catalog-meta">
            <div>
              <dt>{t('catalog.similarCheck.noteLabel')}</dt>
              <dd>{check.note || t('catalog.similarCheck.noNote')}</dd>
            </div>
          </dl>
          <h3 className="visually-hidden">{t('catalog.similarCheck.tableCaption')}</h3>
          <DataTable
            items={check.shown}
            rowKey={(s) => s.id}
            empty={t('catalog.similarCheck.shownNone')}
            compact
            columns={[...columns, { header: t('catalog.similarCheck.seen'), cell: (s) => t(s.seen ? 'catalog.similarCheck.seenYes' : 'catalog.similarCheck.seenNo') }]}
          />
        </div>
      ))}
    </section>
  );
}
