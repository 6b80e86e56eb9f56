// A service's guide as the portal shows it, in the UI language: the service page shows the
// saved guide, the editor a live preview of what is being written. `level` is the level of the
// guide's section headings, so it fits under the page's or the preview's own heading.
import { useI18n } from '../../i18n/index.tsx';
import { EVENT_LABELS, KIND_LABELS, yuanOf, type ServiceContent } from './api.ts';

type Props = { guide: ServiceContent; orgName: string; jointNames: string[]; level: 2 | 3 };

export function GuideView({ guide, orgName, jointNames, level }: Props) {
  const { t, lang } = useI18n();
  const en = lang === 'en';
  const pick = (zh: string, english: string) => (en ? english || zh : zh || english);
  const H = level === 2 ? 'h2' : 'h3';
  const none = <p className="muted">{t('services.guide.none')}</p>;

  return (
    <div className="service-guide">
      <dl className="service-facts">
        <div>
          <dt>{t('services.guide.kind')}</dt>
          <dd>{t(KIND_LABELS[guide.kind])}</dd>
        </div>
        <div>
          <dt>{t('services.guide.org')}</dt>
          <dd>{orgName}</dd>
        </div>
        {jointNames.length > 0 && (
          <div>
            <dt>{t('services.guide.joint')}</dt>
            <dd>{jointNames.join(en ? ', ' : '、')}</dd>
          </div>
        )}
        <div>
          <dt>{t('services.guide.limits')}</dt>
          <dd>
            {t('services.guide.statutory', { days: guide.statutoryDays })}
            <br />
            {t('services.guide.promised', { days: guide.promisedDays })}
          </dd>
        </div>
        <div>
          <dt>{t('services.guide.visits')}</dt>
          <dd>{t(guide.visits === 0 ? 'services.form.visits0' : 'services.form.visits1')}</dd>
        </div>
        {guide.events.length > 0 && (
          <div>
            <dt>{t('services.guide.events')}</dt>
            <dd>{guide.events.map((e) => (EVENT_LABELS[e] ? t(EVENT_LABELS[e]) : e)).join(en ? ', ' : '、')}</dd>
          </div>
        )}
      </dl>

      <H>{t('services.guide.summary')}</H>
      {pick(guide.summaryZh, guide.summaryEn) ? <p>{pick(guide.summaryZh, guide.summaryEn)}</p> : none}

      <H>{t('services.guide.legalBasis')}</H>
      {guide.legalBasis.length ? (
        <ul>
          {guide.legalBasis.map((b, i) => (
            <li key={i}>{pick(b.zh, b.en)}</li>
          ))}
        </ul>
      ) : (
        none
      )}

      <H>{t('services.guide.conditions')}</H>
      {guide.conditions.length ? (
        <ul>
          {guide.conditions.map((c, i) => (
            <li key={i}>{pick(c.zh, c.en)}</li>
          ))}
        </ul>
      ) : (
        none
      )}

      <H>{t('services.guide.materials')}</H>
      {guide.materials.length ? (
        <ol>
          {guide.materials.map((m, i) => (
            <li key={i}>
              <strong>{pick(m.nameZh, m.nameEn)}</strong> <span className="muted">({m.key})</span>
              {' — '}
              {m.fetchable ? t('services.guide.fetched', { registry: m.fetchable.registry, field: m.fetchable.field }) : t(m.required ? 'services.guide.required' : 'services.guide.optional')}
              {m.templateUrl && (
                <>
                  {' · '}
                  <a href={m.templateUrl}>{t('services.guide.template')}</a>
                </>
              )}
              {m.sampleUrl && (
                <>
                  {' · '}
                  <a href={m.sampleUrl}>{t('services.guide.sample')}</a>
                </>
              )}
            </li>
          ))}
        </ol>
      ) : (
        none
      )}

      <H>{t('services.guide.fees')}</H>
      {guide.fees.length ? (
        <ul>
          {guide.fees.map((f, i) => (
            <li key={i}>
              {pick(f.itemZh, f.itemEn)}: {t('services.guide.amount', { amount: yuanOf(f.amountFen) })}
              {pick(f.basisZh, f.basisEn) && <span className="muted"> ({pick(f.basisZh, f.basisEn)})</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('services.guide.free')}</p>
      )}

      <H>{t('services.guide.faqs')}</H>
      {guide.faqs.length ? (
        <dl className="service-faqs">
          {guide.faqs.map((f, i) => (
            <div key={i}>
              <dt>{pick(f.qZh, f.qEn)}</dt>
              <dd>{pick(f.aZh, f.aEn)}</dd>
            </div>
          ))}
        </dl>
      ) : (
        none
      )}
    </div>
  );
}
