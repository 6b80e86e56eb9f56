// How I receive messages: the language they are written in, and per category whether they
// also come by email and SMS (the inbox always). The server names a bad field.
import { useEffect, useState } from 'react';
import { ErrorSummary, fieldErrors, Notice, SelectField } from '../../components/forms.tsx';
import { Loaded } from '../../components/status.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { messagesApi, type PreferencesView } from './api.ts';

const FORM = 'message-prefs';

export function PreferencesForm() {
  const { t } = useI18n();
  const prefs = useResource(() => messagesApi.preferences(), 'prefs');
  return (
    <section aria-labelledby={`${FORM}-title`}>
      <h2 id={`${FORM}-title`}>{t('messages.prefs.title')}</h2>
      <p>{t('messages.prefs.intro')}</p>
      <Loaded resource={prefs}>{(data) => <Form initial={data} />}</Loaded>
    </section>
  );
}

function Form({ initial }: { initial: PreferencesView }) {
  const { t, lang, lookup } = useI18n();
  const [language, setLanguage] = useState(initial.language);
  const [categories, setCategories] = useState(initial.categories);
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [language, categories]);
  const { error, busy, submit } = useSubmit(async () => {
    const next = await messagesApi.setPreferences({ language, categories: categories.map(({ category, email, sms }) => ({ category, email, sms })) });
    setLanguage(next.language);
    setCategories(next.categories);
    setSaved(true);
  });
  const errors = fieldErrors(lookup, error);
  const toggle = (category: string, channel: 'email' | 'sms', value: boolean) => setCategories((list) => list.map((c) => (c.category === category ? { ...c, [channel]: value } : c)));
  const name = (c: PreferencesView['categories'][number]) => (lang === 'en' ? c.nameEn : c.nameZh);

  return (
    <form id={FORM} onSubmit={submit} noValidate>
      <ErrorSummary error={error} formId={FORM} labels={{ language: t('messages.prefs.language') }} />
      <Notice>{saved ? t('messages.prefs.saved') : ''}</Notice>
      <ul>
        <li>{t('messages.prefs.email', { address: initial.email ?? t('messages.prefs.none') })}</li>
        <li>{t('messages.prefs.phone', { address: initial.phone ?? t('messages.prefs.none') })}</li>
      </ul>
      <SelectField
        formId={FORM}
        name="language"
        label={t('messages.prefs.language')}
        hint={t('messages.prefs.languageHint')}
        error={errors.language}
        value={language}
        onChange={(v) => setLanguage(v as PreferencesView['language'])}
        options={[
          { value: 'zh-CN', label: t('lang.zh') },
          { value: 'en', label: t('lang.en') },
        ]}
      />
      <table className="data-table">
        <caption>{t('messages.prefs.categories')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('messages.prefs.category')}</th>
            <th scope="col">{t('messages.channel.inbox')}</th>
            <th scope="col">{t('messages.channel.email')}</th>
            <th scope="col">{t('messages.channel.sms')}</th>
          </tr>
        </thead>
        <tbody>
          {categories.map((c) => (
            <tr key={c.category}>
              <th scope="row">{name(c)}</th>
              <td>
                <input type="checkbox" checked disabled aria-label={t('messages.prefs.channelFor', { category: name(c), channel: t('messages.prefs.inboxAlways') })} />
              </td>
              {(['email', 'sms'] as const).map((channel) => (
                <td key={channel}>
                  <input
                    type="checkbox"
                    id={`${FORM}-${c.category}-${channel}`}
                    checked={c[channel]}
                    onChange={(e) => toggle(c.category, channel, e.target.checked)}
                    aria-label={t('messages.prefs.channelFor', { category: name(c), channel: t(`messages.channel.${channel}`) })}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit" className="button" disabled={busy}>
        {busy ? t('common.saving') : t('messages.prefs.save')}
      </button>
    </form>
  );
}
