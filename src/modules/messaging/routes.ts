import { requestContext, type App } from '../../http/server.ts';
import { STAFF_ERRORS } from '../../http/schemas.ts';
import { operatorFromRequest } from '../../platform/actor.ts';
import * as policy from './policy.ts';
import * as s from './schema.ts';
import type { MessagingService } from './service.ts';

const tags = ['messaging'];

export function registerMessagingRoutes(app: App, messaging: MessagingService): void {
  /** The caller's own account: a route never takes the recipient as a parameter. */
  const me = (request: Parameters<typeof requestContext>[0]) => {
    const ctx = requestContext(request);
    return { op: operatorFromRequest(ctx), sub: policy.recipientOf(ctx.actor), actor: ctx.actor };
  };

  app.get('/api/messages', {
    schema: { tags, summary: 'My inbox, newest first, with the unread count', querystring: s.InboxQuery, response: { 200: s.InboxView, ...STAFF_ERRORS } },
    handler: async (request) => messaging.inbox(me(request).sub, request.query),
  });
  app.get('/api/messages/unread-count', {
    schema: { tags, summary: 'How many of my messages are unread', response: { 200: s.UnreadView, ...STAFF_ERRORS } },
    handler: async (request) => messaging.unreadCount(me(request).sub),
  });
  app.post('/api/messages/read-all', {
    schema: { tags, summary: 'Mark all my messages read', response: { 200: s.MarkedView, ...STAFF_ERRORS } },
    handler: async (request) => {
      const { op, sub } = me(request);
      return messaging.markAllRead(op, sub);
    },
  });
  app.get('/api/messages/preferences', {
    schema: { tags, summary: 'My language and the channels I want per category (the inbox is always on)', response: { 200: s.PreferencesView, ...STAFF_ERRORS } },
    handler: async (request) => messaging.preferences(me(request).sub),
  });
  app.put('/api/messages/preferences', {
    schema: { tags, summary: 'Change my language or channels; categories not named stay as they are', body: s.PreferencesBody, response: { 200: s.PreferencesView, ...STAFF_ERRORS } },
    handler: async (request) => {
      const { op, sub } = me(request);
      return messaging.setPreferences(op, sub, request.body);
    },
  });
  app.get('/api/messages/failed-deliveries', {
    schema: { tags, summary: 'Email and SMS deliveries that failed, newest first (platform admin)', querystring: s.FailedQuery, response: { 200: s.FailedView, ...STAFF_ERRORS } },
    handler: async (request) => {
      policy.assertMayReadDeliveries(me(request).actor);
      return messaging.failedDeliveries(request.query.limit);
    },
  });
  app.post('/api/messages/notices', {
    schema: { tags, summary: 'Send a notice to an account, in its inbox and by the channels it chose (platform admin)', body: s.NoticeBody, response: { 201: s.MessageView, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      const { op, actor } = me(request);
      policy.assertMaySendNotice(actor);
      return reply.code(201).send(await messaging.sendNotice(op, request.body));
    },
  });
  app.get('/api/messages/:id', {
    schema: { tags, summary: 'One of my messages, with its delivery status per channel', params: s.IdParams, response: { 200: s.MessageView, ...STAFF_ERRORS } },
    handler: async (request) => messaging.message(me(request).sub, request.params.id),
  });
  app.post('/api/messages/:id/read', {
    schema: { tags, summary: 'Mark one of my messages read', params: s.IdParams, response: { 200: s.MessageView, ...STAFF_ERRORS } },
    handler: async (request) => {
      const { op, sub } = me(request);
      return messaging.markRead(op, sub, request.params.id);
    },
  });
}
