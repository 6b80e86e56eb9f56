// The crossing policy on the nodes page. The office and business networks have no network path
// between them; calls cross only through the ferry, and only where a rule here allows. Everyone
// who may see the nodes reads the rules (they decide what leaves a network); only the platform
// admin adds or revokes them, a revocation only after confirming: calls that relied on the rule
// stop crossing as soon as the nodes fetch the new global configuration.
import { useState } from 'react';
import { api, asApiError, type ApiError, type CrossingRule } from '../../api.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { DataTable, RowAction, type Column } from '../../components/data-table.tsx';
import { ErrorSummary, Notice } from '../../components/forms.tsx';
import { Loaded } from '../../components/status.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type Translate } from '../../i18n/index.tsx';
import { CrossingRuleForm } from './crossing-rule-form.tsx';
import { classificationLabel, zoneLabel } from './labels.ts';

/** "Office network → Business network", with the arrow read out as a word. */
function Direction({ rule }: { rule: CrossingRule }) {
  const { t } = useI18n();
  return (
    <>
      {t(zoneLabel(rule.fromZone))} <span aria-hidden="true">→</span>
      <span className="visually-hidden">{t('exchange.crossing.toWord')}</span> {t(zoneLabel(rule.toZone))}
    </>
  );
}

const classificationsText = (t: Translate, rule: CrossingRule) => rule.classifications.map((c) => t(classificationLabel(c))).join(t('exchange.crossing.listSeparator'));
const patternText = (t: Translate, pattern: string) => (pattern === '*' ? t('exchange.crossing.allServices') : pattern);

export function CrossingRulesSection({ mayManage }: { mayManage: boolean }) {
  const { t, lang } = useI18n();
  const rules = useResource(() => api.get<CrossingRule[]>('/api/exchange/crossing-rules'), 'crossing-rules');
  const [notice, setNotice] = useState('');
  const [revoking, setRevoking] = useState<CrossingRule | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const words = (rule: CrossingRule) => ({ from: t(zoneLabel(rule.fromZone)), to: t(zoneLabel(rule.toZone)), pattern: patternText(t, rule.servicePattern), classifications: classificationsText(t, rule) });

  function added(rule: CrossingRule) {
    setError(undefined);
    setNotice(t('exchange.crossing.added', words(rule)));
    rules.reload();
  }

  async function revoke(rule: CrossingRule) {
    setRevoking(undefined);
    setError(undefined);
    try {
      await api.del(`/api/exchange/crossing-rules/${rule.id}`);
      setNotice(t('exchange.crossing.revoked', words(rule)));
      rules.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  const columns: Column<CrossingRule>[] = [
    { header: t('exchange.crossing.direction'), cell: (r) => <Direction rule={r} /> },
    { header: t('exchange.crossing.pattern'), className: 'mono', cell: (r) => patternText(t, r.servicePattern) },
    { header: t('exchange.crossing.classifications'), cell: (r) => classificationsText(t, r) },
    { header: t('exchange.crossing.createdBy'), cell: (r) => t('exchange.crossing.createdByValue', { name: r.createdByName, time: formatDateTime(r.createdAt, lang) }) },
    ...(mayManage ? [{ header: t('common.actions'), className: 'actions', cell: (r: CrossingRule) => <RowAction label={t('exchange.crossing.revoke')} subject={t('exchange.crossing.subject', words(r))} danger onClick={() => setRevoking(r)} /> }] : []),
  ];

  return (
    <section className="panel" aria-labelledby="crossing-title">
      <h2 id="crossing-title">{t('exchange.crossing.title')}</h2>
      <p>{t('exchange.crossing.intro')}</p>
      {!mayManage && <p>{t('exchange.crossing.readOnly')}</p>}
      <Notice>{notice}</Notice>
      <ErrorSummary error={error} />
      <Loaded resource={rules}>{(data) => <DataTable items={data} columns={columns} rowKey={(r) => r.id} empty={t('exchange.crossing.empty')} />}</Loaded>
      {mayManage && <CrossingRuleForm onAdded={added} />}
      <ConfirmDialog
        open={revoking !== undefined}
        danger
        message={revoking ? t('exchange.crossing.confirmRevoke', words(revoking)) : ''}
        confirmLabel={t('exchange.crossing.revoke')}
        onConfirm={() => revoking && void revoke(revoking)}
        onCancel={() => setRevoking(undefined)}
      />
    </section>
  );
}
