// The geospatial registry in the workbench: a map of its layers drawn from the platform's
// own data (no tile server), layer toggles, a feature's properties on selection, and a point
// query ("which division and parcel contain this point") by clicking the map or by typing
// coordinates. The list of features under the map is the map's text equivalent. Under the
// map, the selected feature's version history and, for the registry's keepers (the owner
// organization's officers and administrators, as the server decides), changing or deleting
// it, adding a feature and importing a GeoJSON file; every layer can be exported.
import { useMemo, useState, type FormEvent } from 'react';
import { CheckboxField, ErrorSummary, Notice, TextField } from '../../../components/forms.tsx';
import { PageTitle } from '../../../components/page.tsx';
import { Loaded } from '../../../components/status.tsx';
import { useResource } from '../../../hooks.ts';
import { asApiError, type ApiError } from '../../../api.ts';
import { useI18n, type Lang, type MessageKey, type Translate } from '../../../i18n/index.tsx';
import { useKeeps, useRegistry } from '../records/use-registry.ts';
import { HeadedTable } from '../table.tsx';
import { containing, featureDetails, loadLayers, type Feature, type FeatureSummary, type Layer, type LayerData, type MapFeature } from './api.ts';
import { FeatureForm } from './feature-form.tsx';
import { FeaturePanels } from './feature-panels.tsx';
import { ExportLinks, ImportPanel } from './import-panel.tsx';
import { MapView } from './map-view.tsx';
import { fit, union } from './projection.ts';

export const GEO_PATH = '/registries/geospatial';
const FORM = 'geo-query';

const layerName = (lang: Lang, l: Layer) => (lang === 'en' ? l.nameEn : l.nameZh);
const nameIn = (lang: Lang, properties: Record<string, unknown>) => String((lang === 'en' && properties.nameEn) || properties.name || '');

function Details({ feature, layers }: { feature: FeatureSummary; layers: Layer[] }) {
  const { t, lang } = useI18n();
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const layer = layers.find((l) => l.code === feature.layer);
  const rows: [string, string][] = [
    [t('geo.details.layer'), layer ? layerName(lang, layer) : feature.layer],
    [t('geo.details.key'), feature.key],
    [t('geo.details.name'), nameIn(lang, feature.properties) || '—'],
    [t('geo.details.geometryType'), feature.geometryType],
  ];
  if (feature.areaM2 > 0) rows.push([t('geo.details.area'), t('geo.unit.m2', { value: number.format(feature.areaM2) })]);
  if (feature.lengthM > 0) rows.push([t('geo.details.length'), t('geo.unit.m', { value: number.format(feature.lengthM) })]);
  const landUse = feature.properties.landUse;
  if (typeof landUse === 'string' && /^(0[1-9]|1[0-2])$/.test(landUse)) rows.push([t('geo.details.landUse'), `${landUse} ${t(`geo.landUse.${landUse}` as MessageKey)}`]);
  rows.push([t('geo.details.version'), String(feature.version)], [t('geo.details.updatedAt'), new Date(feature.updatedAt).toLocaleString(lang)]);
  const others = Object.entries(feature.properties).filter(([k]) => !['name', 'nameEn', 'landUse', 'areaM2'].includes(k));
  return (
    <div data-testid="geo-details">
      <dl className="fields">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {others.length > 0 && (
        <>
          <h3>{t('geo.details.properties')}</h3>
          <dl className="fields">
            {others.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v === null ? '—' : String(v)}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </div>
  );
}

function FeatureTable({ layers, selected, onSelect }: { layers: LayerData[]; selected: string | undefined; onSelect: (layer: string, key: string) => void }) {
  const { t, lang } = useI18n();
  const rows = layers.flatMap(({ layer, features }) => features.map((f) => ({ layer, f })));
  return (
    <HeadedTable caption={t('geo.table.title')} columns={[t('geo.col.layer'), t('geo.col.key'), t('geo.col.name'), t('geo.col.show')]} testId="geo-features">
      {rows.map(({ layer, f }) => {
        const id = `${layer.code}/${f.id}`;
        const name = nameIn(lang, f.properties) || f.id;
        return (
          <tr key={id} aria-selected={selected === id}>
            <td>{layerName(lang, layer)}</td>
            <td>{f.id}</td>
            <td>{name}</td>
            <td>
              {selected === id ? (
                <strong>{t('geo.selected')}</strong>
              ) : (
                <button type="button" className="button button-secondary button-small" aria-label={t('geo.showFor', { name })} onClick={() => onSelect(layer.code, f.id)}>
                  {t('geo.show')}
                </button>
              )}
            </td>
          </tr>
        );
      })}
    </HeadedTable>
  );
}

function QueryResult({ point, items, layers }: { point: [number, number]; items: FeatureSummary[]; layers: Layer[] }) {
  const { t, lang } = useI18n();
  const vars = { lon: String(point[0]), lat: String(point[1]) };
  if (items.length === 0) return <p data-testid="geo-contained">{t('geo.query.none', vars)}</p>;
  return (
    <div data-testid="geo-contained">
      <p>{t('geo.query.result', vars)}</p>
      <ul>
        {items.map((f) => {
          const layer = layers.find((l) => l.code === f.layer);
          return (
            <li key={`${f.layer}/${f.key}`}>
              {layer ? layerName(lang, layer) : f.layer}：{f.key} {nameIn(lang, f.properties)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function MapSection({ data, t, lang, keeps, onChanged }: { data: LayerData[]; t: Translate; lang: Lang; keeps: boolean; onChanged: () => void }) {
  const [hidden, setHidden] = useState<string[]>([]);
  const [selected, setSelected] = useState<{ id: string; feature?: Feature; error?: ApiError }>();
  const [notice, setNotice] = useState<string | undefined>();
  const [writes, setWrites] = useState(0);
  const [query, setQuery] = useState<{ point: [number, number]; items?: FeatureSummary[]; error?: ApiError }>();
  const [lon, setLon] = useState('');
  const [lat, setLat] = useState('');
  const layers = data.map((d) => d.layer);
  const shown = data.filter((d) => !hidden.includes(d.layer.code));
  const box = useMemo(() => union(data.flatMap((d) => (d.layer.bbox ? [d.layer.bbox] : []))), [data]);
  const projection = useMemo(() => (box ? fit(box, 900) : undefined), [box]);

  const select = (layer: string, key: string, keep = false) => {
    const id = `${layer}/${key}`;
    if (!keep) setSelected({ id });
    featureDetails(layer, key)
      .then((feature) => setSelected((s) => (s?.id === id ? { id, feature } : s)))
      .catch((e: unknown) => setSelected((s) => (s?.id === id ? { id, error: asApiError(e) } : s)));
  };
  const ask = (x: number, y: number) => {
    const point: [number, number] = [x, y];
    setQuery({ point });
    setLon(String(x));
    setLat(String(y));
    containing(x, y)
      .then((answer) => setQuery({ point, items: answer.items }))
      .catch((e: unknown) => setQuery({ point, error: asApiError(e) }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    ask(Number(lon), Number(lat));
  };
  const nameOf = (f: MapFeature) => nameIn(lang, f.properties);
  const crs = [...new Set(layers.map((l) => l.crs))].join(', ');
  /** After a write: the map and the counts are read again, and the history too. */
  const written = (message: string, feature?: Feature) => {
    setNotice(message);
    setWrites((w) => w + 1);
    if (feature) setSelected({ id: `${feature.layer}/${feature.key}`, feature });
    onChanged();
  };

  return (
    <>
      <div className="card-grid" style={{ gridTemplateColumns: 'minmax(0, 3fr) minmax(16rem, 1fr)', alignItems: 'start' }}>
        <section className="panel" aria-labelledby="geo-map-title">
          <h2 id="geo-map-title" className="visually-hidden">
            {t('geo.title')}
          </h2>
          <p id="geo-map-hint">{t('geo.map.hint')}</p>
          {projection && shown.some((d) => d.features.length > 0) ? (
            <MapView
              layers={shown}
              projection={projection}
              label={t('geo.map.label', { layers: shown.map((d) => layerName(lang, d.layer)).join('、') })}
              describedBy="geo-map-hint"
              selected={selected?.id}
              queryPoint={query?.point}
              queryLabel={t('geo.map.queryPoint')}
              nameOf={nameOf}
              onSelect={select}
              onPoint={ask}
            />
          ) : (
            <p className="notice notice-empty">{t('geo.map.empty')}</p>
          )}
          <p>{t('geo.layers.crs', { crs })}</p>
        </section>
        <div>
          <fieldset className="panel">
            <legend>{t('geo.layers.title')}</legend>
            {data.map(({ layer }) => (
              <CheckboxField
                key={layer.code}
                formId="geo-layers"
                name={layer.code}
                label={`${layerName(lang, layer)}（${t('geo.layers.count', { count: String(layer.featureCount) })}）`}
                checked={!hidden.includes(layer.code)}
                onChange={(on) => setHidden((h) => (on ? h.filter((c) => c !== layer.code) : [...h, layer.code]))}
              />
            ))}
          </fieldset>
          <section className="panel" aria-labelledby="geo-details-title" aria-live="polite">
            <h2 id="geo-details-title">{t('geo.details.title')}</h2>
            {selected?.error && <ErrorSummary error={selected.error} />}
            {selected?.feature ? <Details feature={selected.feature} layers={layers} /> : !selected && <p>{t('geo.details.none')}</p>}
          </section>
          <section className="panel" aria-labelledby="geo-query-title">
            <h2 id="geo-query-title">{t('geo.query.title')}</h2>
            <p>{t('geo.query.intro')}</p>
            <form id={FORM} onSubmit={submit} noValidate>
              <TextField formId={FORM} name="lon" label={t('geo.query.lon')} value={lon} onChange={setLon} />
              <TextField formId={FORM} name="lat" label={t('geo.query.lat')} value={lat} onChange={setLat} />
              <button type="submit" className="button">
                {t('geo.query.submit')}
              </button>
            </form>
            <div aria-live="polite">
              {query?.error && <ErrorSummary error={query.error} formId={FORM} />}
              {query?.items && <QueryResult point={query.point} items={query.items} layers={layers} />}
            </div>
          </section>
        </div>
      </div>
      <Notice>{notice}</Notice>
      {selected?.feature && (
        <FeaturePanels
          feature={selected.feature}
          layers={layers}
          keeps={keeps}
          refreshKey={String(writes)}
          onReload={() => select(selected.feature!.layer, selected.feature!.key, true)}
          onSaved={(feature) => written(t('geo.notice.saved', { key: feature.key, version: feature.version }), feature)}
          onDeleted={(feature) => {
            setSelected(undefined);
            written(t('geo.notice.deleted', { key: feature.key }));
          }}
        />
      )}
      <section aria-labelledby="geo-table-title">
        <h2 id="geo-table-title">{t('geo.table.title')}</h2>
        <FeatureTable layers={shown} selected={selected?.id} onSelect={select} />
      </section>
      {keeps && <NewFeatureSection layers={layers} onCreated={(feature) => written(t('geo.notice.created', { key: feature.key, version: feature.version }), feature)} />}
      {keeps && <ImportPanel layers={layers} onImported={() => written(t('geo.notice.imported'))} />}
      <ExportLinks layers={layers} />
    </>
  );
}

/** For the keepers: a new feature, in a panel opened by its button. */
function NewFeatureSection({ layers, onCreated }: { layers: Layer[]; onCreated: (feature: Feature) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <section className="panel" aria-labelledby="geo-new-title">
      <div className="section-head">
        <h2 id="geo-new-title">{t('geo.new.title')}</h2>
        <button type="button" className="button" aria-expanded={open} aria-controls="geo-new-panel" onClick={() => setOpen((o) => !o)}>
          {t('geo.new.button')}
        </button>
      </div>
      <div id="geo-new-panel" hidden={!open}>
        {open && (
          <FeatureForm
            layers={layers}
            onCancel={() => setOpen(false)}
            onSaved={(feature) => {
              setOpen(false);
              onCreated(feature);
            }}
          />
        )}
      </div>
    </section>
  );
}

export function GeoPage() {
  const { t, lang } = useI18n();
  const resource = useResource(loadLayers, 'geo-layers');
  // The owner organization's officers and administrators keep the registry; the server decides, this only hides what it would refuse.
  const keeps = useKeeps(useRegistry('geospatial').data);
  return (
    <>
      <PageTitle>{t('geo.page.title')}</PageTitle>
      <p>{t('geo.page.intro')}</p>
      <Loaded resource={resource}>{(data) => <MapSection data={data} t={t} lang={lang} keeps={keeps} onChanged={resource.reload} />}</Loaded>
    </>
  );
}
