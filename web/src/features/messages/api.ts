// The messaging routes as the inbox page calls them, with the server's own types (type-only
// imports, erased from the bundle).
import type { MessageView, PreferencesView } from '../../../../src/modules/messaging/index.ts';
import { api, request } from '../../api.ts';

export type { MessageView, PreferencesView };
export type DeliveryView = MessageView['deliveries'][number];
export type Inbox = { items: MessageView[]; total: number; unread: number };
export type PreferencesBody = { language?: string; categories?: { category: string; email: boolean; sms: boolean }[] };

export const PAGE_SIZE = 20;

export const messagesApi = {
  inbox: (query: { unread?: boolean; offset?: number }) => api.get<Inbox>('/api/messages', { limit: PAGE_SIZE, offset: query.offset ?? 0, unread: query.unread ? true : undefined }),
  markRead: (id: string) => request<MessageView>('POST', `/api/messages/${encodeURIComponent(id)}/read`),
  markAllRead: () => request<{ marked: number }>('POST', '/api/messages/read-all'),
  preferences: () => api.get<PreferencesView>('/api/messages/preferences'),
  setPreferences: (body: PreferencesBody) => request<PreferencesView>('PUT', '/api/messages/preferences', { body }),
};
