// What can be done with a selected feature, under the map: for the registry's keepers, change
// it or delete it (each in a panel opened by its button, focus handed back when it closes);
// for everyone, its version history.
import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { FormButtons } from '../../../components/form-buttons.tsx';
import { TextAreaField } from '../../../components/forms.tsx';
import { useSubmit } from '../../../components/use-submit.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { ProblemSummary } from '../errors.tsx';
import { problemsByField } from '../problems.ts';
import { geoApi, type Feature, type Layer } from './api.ts';
import { FeatureForm, layerName } from './feature-form.tsx';
import { FeatureHistory } from './feature-history.tsx';

type Panel = 'edit' | 'delete';

type Props = {
  feature: Feature;
  layers: Layer[];
  keeps: boolean;
  /** Bumped after every write, so the history is read again. */
  refreshKey: string;
  onSaved: (feature: Feature) => void;
  onDeleted: (feature: Feature) => void;
  onReload: () => void;
};

export function FeaturePanels({ feature, layers, keeps, refreshKey, onSaved, onDeleted, onReload }: Props) {
  const { t, lang } = useI18n();
  const [panel, setPanel] = useState<Panel | undefined>();
  const openers = { edit: useRef<HTMLButtonElement>(null), delete: useRef<HTMLButtonElement>(null) };
  const headings = { edit: useRef<HTMLHeadingElement>(null), delete: useRef<HTMLHeadingElement>(null) };
  const [focus, setFocus] = useState<{ to: 'opener' | 'panel'; panel: Panel } | undefined>();
  useEffect(() => {
    if (!focus) return;
    (focus.to === 'panel' ? headings[focus.panel] : openers[focus.panel]).current?.focus();
    setFocus(undefined);
  }, [focus]);
  // Another feature chosen: its panels start closed.
  const id = `${feature.layer}/${feature.key}`;
  const [shownId, setShownId] = useState(id);
  if (shownId !== id) {
    setShownId(id);
    setPanel(undefined);
  }
  const open = (p: Panel) => () => {
    if (panel === p) return close();
    setPanel(p);
    setFocus({ to: 'panel', panel: p });
  };
  function close() {
    if (panel) setFocus({ to: 'opener', panel });
    setPanel(undefined);
  }
  const layer = layers.find((l) => l.code === feature.layer);
  const shownName = String((lang === 'en' && feature.properties.nameEn) || feature.name || feature.key);
  const title = t('geo.feature.title', { layer: layer ? layerName(lang, layer) : feature.layer, name: shownName, key: feature.key });

  return (
    <section aria-labelledby="geo-feature-title" data-testid="geo-feature">
      <div className="section-head">
        <h2 id="geo-feature-title">{title}</h2>
        {keeps && (
          <div className="button-row">
            <button type="button" className="button" aria-expanded={panel === 'edit'} aria-controls="geo-edit-panel" onClick={open('edit')} ref={openers.edit}>
              {t('geo.feature.edit')}
            </button>
            <button type="button" className="button button-danger" aria-expanded={panel === 'delete'} aria-controls="geo-delete-panel" onClick={open('delete')} ref={openers.delete}>
              {t('geo.feature.delete')}
            </button>
          </div>
        )}
      </div>
      {keeps && (
        <>
          <section id="geo-edit-panel" className="panel" hidden={panel !== 'edit'} aria-labelledby="geo-edit-title">
            <h3 id="geo-edit-title" tabIndex={-1} ref={headings.edit}>
              {t('geo.feature.editTitle', { key: feature.key })}
            </h3>
            {panel === 'edit' && (
              <FeatureForm
                layers={layers}
                feature={feature}
                onCancel={close}
                onReload={onReload}
                onSaved={(saved) => {
                  close();
                  onSaved(saved);
                }}
              />
            )}
          </section>
          <section id="geo-delete-panel" className="panel" hidden={panel !== 'delete'} aria-labelledby="geo-delete-title">
            <h3 id="geo-delete-title" tabIndex={-1} ref={headings.delete}>
              {t('geo.feature.deleteTitle', { key: feature.key })}
            </h3>
            {panel === 'delete' && <DeleteForm feature={feature} onCancel={close} onReload={onReload} onDeleted={() => onDeleted(feature)} />}
          </section>
        </>
      )}
      <FeatureHistory layer={feature.layer} featureKey={feature.key} refreshKey={`${feature.version}/${refreshKey}`} />
    </section>
  );
}

/** The reason first, then a confirmation naming the feature; the version read goes with it. */
function DeleteForm({ feature, onCancel, onReload, onDeleted }: { feature: Feature; onCancel: () => void; onReload: () => void; onDeleted: () => void }) {
  const { t, lookup } = useI18n();
  const formId = 'geo-delete';
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { error, setError, busy, submit } = useSubmit(async () => {
    setConfirming(false);
    await geoApi.remove(feature.layer, feature.key, feature.version, reason.trim());
    onDeleted();
  });
  const errors = problemsByField(lookup, error);
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) {
          setError(undefined);
          void submit(e);
          return;
        }
        setConfirming(true);
      }}
    >
      <ProblemSummary error={error} formId={formId} labels={{ reason: t('geo.form.reason') }} staleHint={t('geo.staleDelete')}>
        {error?.code === 'stale_version' && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setError(undefined);
              onReload();
            }}
          >
            {t('geo.reloadFeature')}
          </button>
        )}
      </ProblemSummary>
      <p>{t('geo.feature.deleteIntro', { key: feature.key, version: feature.version })}</p>
      <TextAreaField formId={formId} name="reason" label={t('geo.form.reason')} hint={t('geo.form.deleteReasonHint')} required value={reason} onChange={setReason} error={errors.reason} />
      <FormButtons busy={busy} submitLabel={t('geo.feature.deleteSubmit')} onCancel={onCancel} />
      <ConfirmDialog
        open={confirming}
        danger
        message={t('geo.feature.deleteConfirm', { key: feature.key, name: feature.name || feature.key })}
        confirmLabel={t('geo.feature.deleteConfirmButton')}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void submit({ preventDefault: () => {} } as never)}
      />
    </form>
  );
}
