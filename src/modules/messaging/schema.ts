// Request and response shapes of the messaging routes. Field rules (languages, categories,
// addresses) are the service's, so their errors come in both languages and name the field.
import { Type, type Static } from 'typebox';

const Text = (maxLength: number) => Type.String({ maxLength });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Text(100) });

export const InboxQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'Only unread messages' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);

export const DeliveryView = Type.Object({
  channel: Type.String({ description: 'inbox, email or sms' }),
  status: Type.String({ description: 'queued, sent, failed or skipped' }),
  reason: Nullable(Type.String({ description: 'skipped: preference, disabled, no_address, not_requested; failed: retrying or gave_up' })),
  error: Nullable(Type.String({ description: "The last attempt's error, addresses masked" })),
  address: Nullable(Type.String({ description: 'Masked' })),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String()),
  sentAt: Nullable(Type.String()),
  updatedAt: Type.String(),
});

export const MessageView = Type.Object({
  id: Type.String(),
  category: Type.String(),
  template: Type.String(),
  language: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  createdAt: Type.String(),
  readAt: Nullable(Type.String()),
  deliveries: Type.Array(DeliveryView),
});

export const InboxView = Type.Object({ items: Type.Array(MessageView), total: Type.Integer(), unread: Type.Integer() });
export const UnreadView = Type.Object({ unread: Type.Integer() });
export const MarkedView = Type.Object({ marked: Type.Integer() });

export const PreferencesView = Type.Object({
  language: Type.String(),
  email: Nullable(Type.String({ description: 'Masked; set by identity once verified' })),
  phone: Nullable(Type.String({ description: 'Masked; set by identity once verified' })),
  categories: Type.Array(Type.Object({ category: Type.String(), nameZh: Type.String(), nameEn: Type.String(), inbox: Type.Boolean(), email: Type.Boolean(), sms: Type.Boolean() })),
});

export const PreferencesBody = Type.Object(
  {
    language: Type.Optional(Text(20)),
    categories: Type.Optional(Type.Array(Type.Object({ category: Text(40), email: Type.Boolean(), sms: Type.Boolean() }, { additionalProperties: false }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type PreferencesBody = Static<typeof PreferencesBody>;

export const NoticeBody = Type.Object({ to: Text(200), title: Text(1000), text: Text(20_000) }, { additionalProperties: false });
export type NoticeBody = Static<typeof NoticeBody>;

export const FailedQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false });
export const FailedView = Type.Array(Type.Intersect([DeliveryView, Type.Object({ messageId: Type.String(), to: Type.String(), template: Type.String() })]));
