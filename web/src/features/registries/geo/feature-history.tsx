// A feature's versions with their provenance: when, what (created, changed, imported,
// deleted), who, why, and what changed from the version before (which properties, the
// geometry). Every member of staff may read it; a deleted feature keeps its history.
import { formatDateTime } from '../../../format.ts';
import { useResource } from '../../../hooks.ts';
import { useI18n, type MessageKey } from '../../../i18n/index.tsx';
import { ProblemLoadError } from '../errors.tsx';
import { HeadedTable } from '../table.tsx';
import { geoApi, type FeatureVersion } from './api.ts';

function changed(versions: FeatureVersion[], index: number, geometryLabel: string): string[] {
  const current = versions[index];
  const before = versions.find((v) => v.version < current.version);
  if (!current.properties) return [];
  const names = [...new Set([...Object.keys(current.properties), ...Object.keys(before?.properties ?? {})])].filter((k) => JSON.stringify(current.properties?.[k]) !== JSON.stringify(before?.properties?.[k]));
  if (JSON.stringify(current.geometry) !== JSON.stringify(before?.geometry)) names.push(geometryLabel);
  return names;
}

export function FeatureHistory({ layer, featureKey, refreshKey }: { layer: string; featureKey: string; refreshKey: string }) {
  const { t, lang } = useI18n();
  const history = useResource(() => geoApi.history(layer, featureKey), `${layer}/${featureKey}/${refreshKey}`);
  const versions = history.data ? [...history.data].sort((a, b) => b.version - a.version) : undefined;
  return (
    <section className="panel" aria-labelledby="geo-history-title" aria-busy={history.loading}>
      <h2 id="geo-history-title">{t('geo.history.title', { key: featureKey })}</h2>
      {history.error && <ProblemLoadError error={history.error} onRetry={history.reload} />}
      {versions && (
        <HeadedTable caption={t('geo.history.title', { key: featureKey })} columns={[t('geo.history.version'), t('geo.history.when'), t('geo.history.operation'), t('geo.history.who'), t('geo.history.reason'), t('geo.history.changed')]} testId="geo-history" compact>
          {versions.map((v, i) => (
            <tr key={v.version}>
              <th scope="row" className="num">
                {v.version}
              </th>
              <td className="nowrap">{formatDateTime(v.changedAt, lang)}</td>
              <td>
                {t(`geo.operation.${v.operation}` as MessageKey)}
                {v.importId && <div className="muted small mono">{v.importId}</div>}
              </td>
              <td>{v.actorName}</td>
              <td>{v.reason}</td>
              <td>{changed(versions, i, t('geo.form.geometry')).join(t('geo.listSeparator'))}</td>
            </tr>
          ))}
        </HeadedTable>
      )}
    </section>
  );
}
