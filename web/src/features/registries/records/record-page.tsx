// One record: all its fields, and for its keepers the ways to change it (edit with a reason,
// delete with a reason, a population record's life events); then the record as of a date,
// its version history with provenance, and who read it. Opening the page is a read, logged
// with the purpose the search carried.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { FormButtons } from '../../../components/form-buttons.tsx';
import { Notice, SelectField, TextAreaField } from '../../../components/forms.tsx';
import { PageTitle } from '../../../components/page.tsx';
import { Loading } from '../../../components/status.tsx';
import { useSubmit } from '../../../components/use-submit.ts';
import { formatDateTime } from '../../../format.ts';
import { useResource } from '../../../hooks.ts';
import { useI18n, type MessageKey } from '../../../i18n/index.tsx';
import { Link, navigate, useLocation } from '../../../router.tsx';
import { LIFE_EVENTS, registriesApi, type LifeEventType, type RecordView, type RegistryDetail } from './api.ts';
import { RecordErrorSummary, RecordLoadError } from './errors.tsx';
import { problemsByField, registryTitle } from './fields.ts';
import { LifeEventForm } from './life-events.tsx';
import { AsOfViewer, ReadsLog, VersionHistory } from './record-history.tsx';
import { RecordForm } from './record-form.tsx';
import { RecordValues } from './record-values.tsx';
import { useKeeps, useRefusalFollowsLanguage, useRegistry } from './use-registry.ts';

type Panel = 'edit' | 'delete' | 'event' | undefined;

export function RecordPage({ name, recordKey }: { name: string; recordKey: string }) {
  const registry = useRegistry(name);
  useRefusalFollowsLanguage(registry);
  if (registry.error) return <RecordLoadError error={registry.error} onRetry={registry.reload} />;
  if (!registry.data) return <Loading />;
  return <RecordDetail definition={registry.data} recordKey={recordKey} />;
}

function RecordDetail({ definition, recordKey }: { definition: RegistryDetail; recordKey: string }) {
  const { t, lang } = useI18n();
  const { search } = useLocation();
  const purpose = search.get('purpose') ?? '';
  const keeps = useKeeps(definition);
  const [readCount, setReadCount] = useState(0);
  const loaded = useResource(() => registriesApi.get(definition.name, recordKey, { purpose }), `${definition.name}/${recordKey}/${purpose}/${readCount}`);
  useRefusalFollowsLanguage(loaded);
  const [record, setRecord] = useState<RecordView | undefined>();
  useEffect(() => setRecord(loaded.data), [loaded.data]);
  const [panel, setPanel] = useState<Panel>();
  // A closed panel hands focus back to the button that opened it, so keyboard users stay put.
  const openers = { edit: useRef<HTMLButtonElement>(null), event: useRef<HTMLButtonElement>(null), delete: useRef<HTMLButtonElement>(null) };
  const [returnFocus, setReturnFocus] = useState<Exclude<Panel, undefined>>();
  useEffect(() => {
    if (!returnFocus || panel !== undefined) return;
    openers[returnFocus].current?.focus();
    setReturnFocus(undefined);
  }, [returnFocus, panel]);
  const [notice, setNotice] = useState<string | undefined>(() => (search.get('created') ? t('records.created') : undefined));
  const listPath = `/registries/${encodeURIComponent(definition.name)}`;
  const title = registryTitle(definition, lang);

  if (loaded.error && !record) {
    return (
      <>
        <p className="breadcrumb">
          <Link to={listPath}>{t('records.backTo', { title })}</Link>
        </p>
        <PageTitle>{t('records.record.title', { key: recordKey })}</PageTitle>
        <RecordLoadError error={loaded.error} onRetry={loaded.reload} testId="record-error" />
      </>
    );
  }
  if (!record) return <Loading />;

  const name = typeof record.data.name === 'string' ? record.data.name : undefined;
  const toggle = (p: Panel) => () => setPanel((current) => (current === p ? undefined : p));
  const close = () => {
    setReturnFocus(panel);
    setPanel(undefined);
  };
  const saved = (next: RecordView, message: string) => {
    setRecord(next);
    close();
    setNotice(message);
  };
  const refreshKey = `${record.version}/${readCount}`;

  return (
    <>
      <p className="breadcrumb">
        <Link to={listPath}>{t('records.backTo', { title })}</Link>
      </p>
      <PageTitle
        actions={
          keeps && (
            <>
              <button type="button" className="button" aria-expanded={panel === 'edit'} aria-controls="record-edit-panel" onClick={toggle('edit')} ref={openers.edit}>
                {t('records.edit')}
              </button>
              {definition.name === 'population' && (
                <button type="button" className="button button-secondary" aria-expanded={panel === 'event'} aria-controls="record-event-panel" onClick={toggle('event')} ref={openers.event}>
                  {t('records.event.record')}
                </button>
              )}
              <button type="button" className="button button-danger" aria-expanded={panel === 'delete'} aria-controls="record-delete-panel" onClick={toggle('delete')} ref={openers.delete}>
                {t('records.delete')}
              </button>
            </>
          )
        }
      >
        {name ? t('records.record.titleNamed', { name, key: record.key }) : t('records.record.title', { key: record.key })}
      </PageTitle>
      {purpose && <p className="muted">{t('records.record.purpose', { purpose })}</p>}
      <Notice>{notice}</Notice>
      <section id="record-edit-panel" className="panel" hidden={panel !== 'edit'} aria-labelledby="record-edit-title">
        <h2 id="record-edit-title">{t('records.editTitle')}</h2>
        {panel === 'edit' && (
          <RecordForm
            definition={definition}
            record={record}
            onCancel={close}
            onReload={() => setReadCount((c) => c + 1)}
            onSaved={(next) => saved(next, t('records.saved', { version: next.version }))}
          />
        )}
      </section>
      {definition.name === 'population' && (
        <section id="record-event-panel" className="panel" hidden={panel !== 'event'} aria-labelledby="record-event-title">
          <h2 id="record-event-title">{t('records.event.title')}</h2>
          {panel === 'event' && (
            <EventChooser
              definition={definition}
              record={record}
              onCancel={close}
              onDone={(changed) => {
                const mine = changed.find((r) => r.key === record.key);
                if (mine) saved(mine, t('records.event.done', { count: changed.length }));
                else {
                  close();
                  setNotice(t('records.event.done', { count: changed.length }));
                }
              }}
            />
          )}
        </section>
      )}
      <section id="record-delete-panel" className="panel" hidden={panel !== 'delete'} aria-labelledby="record-delete-title">
        <h2 id="record-delete-title">{t('records.deleteTitle')}</h2>
        {panel === 'delete' && <DeleteForm definition={definition} record={record} onCancel={close} onReload={() => setReadCount((c) => c + 1)} />}
      </section>
      <section className="panel" aria-labelledby="record-data-title">
        <div className="section-head">
          <h2 id="record-data-title">{t('records.record.data')}</h2>
          <p className="muted">{t('records.record.versionLine', { version: record.version, updated: formatDateTime(record.updatedAt, lang) })}</p>
        </div>
        <RecordValues definition={definition} data={record.data} masked={record.masked} testId="record-data" />
      </section>
      <AsOfViewer definition={definition} recordKey={record.key} purpose={purpose} />
      <VersionHistory definition={definition} recordKey={record.key} refreshKey={refreshKey} />
      <ReadsLog definition={definition} recordKey={record.key} refreshKey={refreshKey} />
    </>
  );
}

/** Which life event to record for this person, then its form. */
function EventChooser({ definition, record, onDone, onCancel }: { definition: RegistryDetail; record: RecordView; onDone: (changed: RecordView[]) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [type, setType] = useState<LifeEventType>('move');
  const options = LIFE_EVENTS.filter((e) => e !== 'birth').map((e) => ({ value: e, label: t(`records.event.name.${e}` as MessageKey) }));
  return (
    <div className="form">
      <SelectField formId="record-event" name="type" label={t('records.event.type')} value={type} onChange={(v) => setType(v as LifeEventType)} options={options} />
      <LifeEventForm key={type} definition={definition} type={type} record={record} onDone={onDone} onCancel={onCancel} />
    </div>
  );
}

function DeleteForm({ definition, record, onCancel, onReload }: { definition: RegistryDetail; record: RecordView; onCancel: () => void; onReload: () => void }) {
  const { t, lookup } = useI18n();
  const formId = 'record-delete';
  const [reason, setReason] = useState('');
  const { error, setError, busy, submit } = useSubmit(async () => {
    await registriesApi.remove(definition.name, record.key, record.version, reason.trim());
    navigate(`/registries/${encodeURIComponent(definition.name)}?${new URLSearchParams({ deleted: record.key })}`);
  });
  const errors = problemsByField(lookup, error);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => void submit(event);
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <RecordErrorSummary error={error} formId={formId} labels={{ reason: t('records.form.reason') }}>
        {error?.code === 'stale_version' && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setError(undefined);
              onReload();
            }}
          >
            {t('records.reloadRecord')}
          </button>
        )}
      </RecordErrorSummary>
      <p>{t('records.deleteIntro', { key: record.key })}</p>
      <TextAreaField formId={formId} name="reason" label={t('records.form.reason')} hint={t('records.form.reasonHint')} required value={reason} onChange={setReason} error={errors.reason} />
      <FormButtons busy={busy} submitLabel={t('records.deleteConfirm')} onCancel={onCancel} />
    </form>
  );
}
