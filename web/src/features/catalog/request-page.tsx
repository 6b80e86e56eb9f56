// One share request: what was asked, by whom, for what and until when; its status and
// deadline; what was granted and the access rights it became. Its provider answers it here
// (the data bureau too once it is overdue), its requester withdraws it, and an approved share
// is ended here.
import { useState, type ReactNode } from 'react';
import { Notice } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loading } from '../../components/status.tsx';
import { formatDateTime, localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, useLocation } from '../../router.tsx';
import { dateFormats } from '../calendar/dates.ts';
import { ProblemLoadError } from '../registries/errors.tsx';
import { useCatalogAccess } from './access.ts';
import { catalogApi } from './api.ts';
import { RequestStatusBadge } from './badges.tsx';
import { CatalogNav } from './catalog-nav.tsx';
import { Deadline } from './deadline.tsx';
import { AnswerPanel, RevokePanel, WithdrawButton } from './request-actions.tsx';

const DONE = { sent: 'catalog.done.requestSent', granted: 'catalog.done.requestGranted' } as const;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function RequestPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const access = useCatalogAccess();
  const { search } = useLocation();
  const request = useResource(() => catalogApi.request(id), `catalog-request-${id}`);
  const done = search.get('done');
  const [notice, setNotice] = useState<string | undefined>(done && done in DONE ? t(DONE[done as keyof typeof DONE]) : undefined);
  const r = request.data;
  if (!r) {
    return (
      <>
        <PageTitle>{t('catalog.request.title')}</PageTitle>
        <CatalogNav access={access} />
        {request.error ? <ProblemLoadError error={request.error} onRetry={request.reload} /> : <Loading />}
      </>
    );
  }
  const formats = dateFormats(lang);
  const list = (items: string[]) => items.join(lang === 'en' ? ', ' : '、');
  const provider = access.staff && access.orgId === r.provider.id;
  const consumer = access.staff && access.orgId === r.consumer.id;
  const mayAnswer = r.status === 'pending' && (provider || (access.reviewer && r.escalatedAt !== null));
  const mayRevoke = r.status === 'approved' && (provider || access.reviewer);
  const changed = (message: string) => {
    setNotice(message);
    request.reload();
  };
  return (
    <>
      <PageTitle actions={consumer && r.status === 'pending' ? <WithdrawButton request={r} onDone={(_, message) => changed(message)} /> : undefined}>
        {t('catalog.request.titleOf', { name: localName(r.entry, lang) || r.entry.code })}
      </PageTitle>
      <CatalogNav access={access} />
      <Notice>{notice}</Notice>
      <section className="panel" aria-labelledby="catalog-request-title">
        <h2 id="catalog-request-title">{t('catalog.request.details')}</h2>
        <dl className="details" data-testid="catalog-request">
          <Row label={t('common.status')}>
            <RequestStatusBadge status={r.status} />
          </Row>
          <Row label={t('catalog.request.deadline')}>
            <Deadline request={r} />
          </Row>
          <Row label={t('catalog.request.entry')}>
            <Link to={`/catalog/entries/${r.entry.id}`}>{localName(r.entry, lang) || r.entry.code}</Link> <span className="catalog-code">{r.entry.code}</span> {t('catalog.request.entryVersion', { version: r.entry.version })}
          </Row>
          <Row label={t('catalog.request.provider')}>{localName(r.provider, lang)}</Row>
          <Row label={t('catalog.request.consumer')}>{localName(r.consumer, lang)}</Row>
          <Row label={t('catalog.request.subsystem')}>
            <code>{r.subsystem}</code>
          </Row>
          <Row label={t('catalog.request.items')}>{list(r.items)}</Row>
          {r.grantedItems && <Row label={t('catalog.request.granted')}>{list(r.grantedItems)}</Row>}
          <Row label={t('catalog.request.purpose')}>{r.purpose}</Row>
          <Row label={t('catalog.request.legalBasis')}>{r.legalBasis}</Row>
          <Row label={t('catalog.request.period')}>{t('catalog.request.periodValue', { from: formats.medium(r.periodFrom), to: formats.medium(r.periodTo) })}</Row>
          <Row label={t('catalog.request.created')}>{t('catalog.request.byAt', { by: r.createdBy, at: formatDateTime(r.createdAt, lang) })}</Row>
          {r.answeredAt && <Row label={t('catalog.request.answered')}>{t('catalog.request.byAt', { by: r.answeredBy ?? '', at: formatDateTime(r.answeredAt, lang) })}</Row>}
          {r.reason && <Row label={t('catalog.request.reason')}>{r.reason}</Row>}
          {r.escalatedAt && <Row label={t('catalog.request.escalated')}>{formatDateTime(r.escalatedAt, lang)}</Row>}
          <Row label={t('catalog.request.service')}>
            <code>{r.serviceIdentifier}</code>
          </Row>
          {r.rightIds.length > 0 && <Row label={t('catalog.request.rights')}>{t('catalog.request.rightsValue', { count: r.rightIds.length })}</Row>}
        </dl>
      </section>
      {mayAnswer && <AnswerPanel key={r.version} request={r} byDataBureau={!provider} onDone={(_, message) => changed(message)} />}
      {mayRevoke && <RevokePanel key={r.version} request={r} onDone={(_, message) => changed(message)} />}
    </>
  );
}
