// My messages: the inbox (newest first, unread marked in words, each message's delivery by
// channel) and how I receive them (language, channels per category).
import { useState } from 'react';
import { asApiError, type ApiError } from '../../api.ts';
import { ErrorSummary, Notice } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Pager } from '../../components/pager.tsx';
import { Loaded } from '../../components/status.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { messagesApi, PAGE_SIZE, type DeliveryView, type MessageView } from './api.ts';
import { PreferencesForm } from './preferences-form.tsx';
import './messages.css';

export function MessagesPage() {
  const { t } = useI18n();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const inbox = useResource(() => messagesApi.inbox({ unread: unreadOnly, offset }), `${unreadOnly}:${offset}`);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<ApiError | undefined>();

  async function act(action: () => Promise<string>) {
    setError(undefined);
    setNotice('');
    try {
      setNotice(await action());
      inbox.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }
  const markRead = (message: MessageView) => act(async () => (await messagesApi.markRead(message.id), t('messages.markedOne', { subject: message.subject })));
  const markAll = () => act(async () => t('messages.markedAll', { count: (await messagesApi.markAllRead()).marked }));

  return (
    <>
      <PageTitle>{t('messages.title')}</PageTitle>
      <p>{t('messages.intro')}</p>
      <ErrorSummary error={error} />
      <Notice>{notice}</Notice>
      <div className="messages-toolbar">
        <fieldset className="field inline-radios">
          <legend>{t('messages.filter.label')}</legend>
          {(['all', 'unread'] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name="messages-filter"
                checked={unreadOnly === (value === 'unread')}
                onChange={() => {
                  setUnreadOnly(value === 'unread');
                  setOffset(0);
                }}
              />{' '}
              {t(`messages.filter.${value}`)}
            </label>
          ))}
        </fieldset>
        {inbox.data && inbox.data.unread > 0 && (
          <p>
            <strong>{t('messages.unreadCount', { count: inbox.data.unread })}</strong>{' '}
            <button type="button" className="button button-secondary button-small" onClick={() => void markAll()}>
              {t('messages.markAllRead')}
            </button>
          </p>
        )}
      </div>
      <Loaded resource={inbox}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{t(unreadOnly ? 'messages.emptyUnread' : 'messages.empty')}</p>
          ) : (
            <>
              <ul className="message-list" aria-label={t('messages.list')}>
                {data.items.map((message) => (
                  <MessageItem key={message.id} message={message} onRead={() => void markRead(message)} />
                ))}
              </ul>
              <Pager offset={offset} limit={PAGE_SIZE} total={unreadOnly ? data.unread : data.total} onChange={setOffset} />
            </>
          )
        }
      </Loaded>
      <PreferencesForm />
    </>
  );
}

function MessageItem({ message, onRead }: { message: MessageView; onRead: () => void }) {
  const { t, lang } = useI18n();
  const unread = message.readAt === null;
  return (
    <li className={`card message${unread ? ' message-unread' : ''}`}>
      <h2 className="message-subject">
        {unread && <span className="badge badge-active">{t('messages.unread')}</span>} {message.subject}
      </h2>
      <p className="hint">{t('messages.sentAt', { at: formatDateTime(message.createdAt, lang) })}</p>
      <p className="message-body">{message.body}</p>
      <p className="hint">
        {t('messages.deliveries')}: {message.deliveries.map((d) => t('messages.delivery', { channel: t(`messages.channel.${d.channel}` as MessageKey), status: t(deliveryStatusKey(d)) })).join(lang === 'en' ? '; ' : '；')}
      </p>
      {unread && (
        <button type="button" className="button button-secondary button-small" onClick={onRead}>
          {t('messages.markReadNamed', { subject: message.subject })}
        </button>
      )}
    </li>
  );
}

function deliveryStatusKey(d: DeliveryView): MessageKey {
  if (d.status === 'skipped') return `messages.delivery.skipped.${d.reason ?? 'not_requested'}` as MessageKey;
  if (d.status === 'failed') return d.nextAttemptAt ? 'messages.delivery.failed' : 'messages.delivery.gaveUp';
  return `messages.delivery.${d.status}` as MessageKey;
}
