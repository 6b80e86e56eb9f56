// Messaging's rules: who gets a message on which channel (the recipient's preferences, the
// node's configuration, an address given for a code), rendering in the recipient's language,
// and each recipient's inbox and preferences, which only they read and change.
import { localOperator, type Operator } from '../../platform/actor.ts';
import type { Audit } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { NotFoundError, ValidationError, type FieldError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { maskEmail, maskPhone } from '../../platform/mask.ts';
import { maskAddress } from './channels.ts';
import type { Delivery } from './delivery.ts';
import * as store from './store.ts';
import { CATEGORIES, CATEGORY_KEYS, LANGUAGES, isCategory, isTemplateKey, render, templateOf, type Category, type Language, type TemplateKey, type TemplateVars } from './templates.ts';

export type SendInput<K extends TemplateKey = TemplateKey> = {
  /** The recipient's account: staff:{userId}, citizen:{id}. */
  to: string;
  template: K;
  vars: TemplateVars<K>;
  /** Defaults to the template's own category. */
  category?: Category;
  /**
   * Where to send a code being verified (an address not on file yet, or the one to check):
   * these channels are used whatever the preferences say, and only these.
   */
  address?: { email?: string; phone?: string };
};

export type DeliveryView = { channel: 'inbox' | 'email' | 'sms'; status: 'queued' | 'sent' | 'failed' | 'skipped'; reason: string | null; error: string | null; address: string | null; attempts: number; nextAttemptAt: string | null; sentAt: string | null; updatedAt: string };
export type MessageView = { id: string; category: string; template: string; language: string; subject: string; body: string; createdAt: string; readAt: string | null; deliveries: DeliveryView[] };
export type CategoryPreference = { category: Category; nameZh: string; nameEn: string; inbox: true; email: boolean; sms: boolean };
export type PreferencesView = { language: Language; email: string | null; phone: string | null; categories: CategoryPreference[] };
export type PreferencesInput = { language?: string; categories?: { category: string; email: boolean; sms: boolean }[] };

const SUB_PATTERN = /^[a-z]+:[A-Za-z0-9._-]{1,100}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMAIL = /^[^\s@<>()[\],;:"]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const PHONE = /^\+?\d{6,20}$/;

export type MessagingDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  delivery: Delivery;
  /** Which channels this node can use at all. */
  enabled: { email: boolean; sms: boolean };
  /** Whether an account exists and may receive messages (staff users, citizens). */
  accountExists: (sub: string) => Promise<boolean>;
};

export function createMessagingService(deps: MessagingDeps) {
  const { db, clock } = deps;

  const audited = (trx: Executor, op: Operator, action: string, subjectId: string, detail: Record<string, unknown>) =>
    deps.audit.record(trx, { actor: op.auditAs, action, subjectType: 'message', subjectId, outcome: 'success', detail, ip: op.ip, requestId: op.requestId });

  function checkedSub(sub: unknown, field = 'to'): string {
    if (typeof sub !== 'string' || !SUB_PATTERN.test(sub))
      throw new ValidationError([{ field, code: 'format', message: 'must name an account as kind:id, like staff:{userId}', messageZh: '应以 类型:编号 指明账户，如 staff:{用户编号}' }]);
    return sub;
  }

  function checkedAddress(channel: 'email' | 'phone', value: unknown, field: string, errors: FieldError[]): string | undefined {
    if (value === undefined || value === null) return undefined;
    const text = typeof value === 'string' ? value.trim() : '';
    if (channel === 'email' ? !EMAIL.test(text) || text.length > 254 : !PHONE.test(text.replace(/[\s-]/g, ''))) {
      errors.push(
        channel === 'email'
          ? { field, code: 'format', message: 'must be an email address like name@example.cn', messageZh: '应为电子邮箱地址，如 name@example.cn' }
          : { field, code: 'format', message: 'must be a phone number of 6 to 20 digits, optionally starting with +', messageZh: '应为 6 至 20 位数字的电话号码，可以 + 开头' },
      );
      return undefined;
    }
    return channel === 'email' ? text : text.replace(/[\s-]/g, '');
  }

  function preferenceOf(rows: store.PreferenceRow[], category: Category): { email: boolean; sms: boolean } {
    const row = rows.find((r) => r.category === category);
    return row ? { email: row.email, sms: row.sms } : { ...CATEGORIES[category].defaults };
  }

  type Plan = Pick<store.DeliveryRow, 'channel' | 'address' | 'status' | 'reason'>;

  /** Which channels a message takes and why the others are skipped. */
  function plan(recipient: store.RecipientRow, wants: { email: boolean; sms: boolean }, address: SendInput['address'], inInbox: boolean): Plan[] {
    const plans: Plan[] = [];
    if (inInbox) plans.push({ channel: 'inbox', address: null, status: 'sent', reason: null });
    const external = (channel: 'email' | 'sms', given: string | undefined, onFile: string | null, wanted: boolean): Plan => {
      const target = address ? given : onFile;
      if (address && !given) return { channel, address: null, status: 'skipped', reason: 'not_requested' };
      if (!address && !wanted) return { channel, address: null, status: 'skipped', reason: 'preference' };
      if (!target) return { channel, address: null, status: 'skipped', reason: 'no_address' };
      if (!deps.enabled[channel]) return { channel, address: null, status: 'skipped', reason: 'disabled' };
      return { channel, address: target, status: 'queued', reason: null };
    };
    plans.push(external('email', address?.email, recipient.email, wants.email));
    plans.push(external('sms', address?.phone, recipient.phone, wants.sms));
    return plans;
  }

  function deliveryView(d: store.DeliveryRow): DeliveryView {
    return {
      channel: d.channel,
      status: d.status,
      reason: d.reason,
      error: d.last_error,
      address: d.address ? maskAddress(d.channel, d.address) : null,
      attempts: d.attempts,
      nextAttemptAt: d.next_attempt_at?.toISOString() ?? null,
      sentAt: d.sent_at?.toISOString() ?? null,
      updatedAt: d.updated_at.toISOString(),
    };
  }

  async function views(rows: store.MessageRow[]): Promise<MessageView[]> {
    const deliveries = await store.listDeliveries(db, rows.map((r) => r.id));
    const order = { inbox: 0, email: 1, sms: 2 };
    return rows.map((m) => ({
      id: m.id,
      category: m.category,
      template: m.template,
      language: m.language,
      subject: m.subject,
      body: m.body,
      createdAt: m.created_at.toISOString(),
      readAt: m.read_at?.toISOString() ?? null,
      deliveries: deliveries
        .filter((d) => d.message_id === m.id)
        .sort((a, b) => order[a.channel] - order[b.channel])
        .map(deliveryView),
    }));
  }

  async function getOwnMessage(sub: string, id: string): Promise<store.MessageRow> {
    const row = UUID.test(id) ? await store.findMessage(db, id) : undefined;
    // Another account's message is "not found" too: its existence is not the caller's business.
    if (!row || row.sub !== sub || !row.in_inbox) throw new NotFoundError('message', id, '消息');
    return row;
  }

  return {
    /**
     * Sends a message: renders it in the recipient's language (a missing variable is refused),
     * commits the message and a delivery per channel in one transaction, then makes the first
     * attempt at email and SMS. A failed attempt is retried by the sweep.
     */
    async send<K extends TemplateKey>(input: SendInput<K>, op: Operator = localOperator('egov')): Promise<MessageView> {
      const sub = checkedSub(input.to);
      const errors: FieldError[] = [];
      if (typeof input.template !== 'string' || !isTemplateKey(input.template)) {
        throw new ValidationError([{ field: 'template', code: 'unknown', message: 'is not a known template', messageZh: '不是已知的消息模板' }]);
      }
      const template = templateOf(input.template);
      const category = input.category ?? template.category;
      if (!isCategory(category)) errors.push({ field: 'category', code: 'enum', message: `must be one of ${CATEGORY_KEYS.join(', ')}`, messageZh: `应为 ${CATEGORY_KEYS.join('、')} 之一` });
      const address = input.address && {
        email: checkedAddress('email', input.address.email, 'address.email', errors),
        phone: checkedAddress('phone', input.address.phone, 'address.phone', errors),
      };
      if (address && !address.email && !address.phone && errors.length === 0) errors.push({ field: 'address', code: 'required', message: 'names no email or phone to send to', messageZh: '未指明要发送到的邮箱或手机号' });
      if (errors.length > 0) throw new ValidationError(errors);
      if (!(await deps.accountExists(sub))) throw new NotFoundError('account', sub, '账户');
      // Rendered in both languages now, so a template with a hole is refused whatever the recipient's language.
      for (const language of LANGUAGES) render(input.template, language, input.vars);
      const id = newId();
      await db.transaction().execute(async (trx) => {
        const at = clock.now();
        await store.ensureRecipient(trx, sub, at);
        const recipient = (await store.findRecipient(trx, sub))!;
        const language = recipient.language as Language;
        const text = render(input.template, language, input.vars);
        const inInbox = !template.sensitive;
        await store.insertMessage(trx, { id, sub, category, template: input.template, language, subject: text.subject, body: text.body, sensitive: Boolean(template.sensitive), in_inbox: inInbox, created_at: at, read_at: null });
        const plans = plan(recipient, preferenceOf(await store.listPreferences(trx, sub), category as Category), address, inInbox);
        await store.insertDeliveries(
          trx,
          plans.map((p) => ({ id: newId(), message_id: id, ...p, attempts: 0, next_attempt_at: p.status === 'queued' ? at : null, lease_until: null, last_error: null, sent_at: p.status === 'sent' ? at : null, updated_at: at })),
        );
        await audited(trx, op, 'messaging.message.send', id, { to: sub, template: input.template, category, channels: Object.fromEntries(plans.map((p) => [p.channel, p.reason ? `${p.status}:${p.reason}` : p.status])) });
      });
      await deps.delivery.attemptMessage(id);
      return (await views([(await store.findMessage(db, id))!]))[0];
    },

    /** A notice written by hand (the platform administrator), through the `notice` template. */
    async sendNotice(op: Operator, input: { to: string; title: string; text: string }): Promise<MessageView> {
      const errors: FieldError[] = [];
      const text = (field: 'title' | 'text', value: string, max: number) => {
        const trimmed = value.trim();
        if (trimmed === '') errors.push({ field, code: 'required', message: 'is required', messageZh: '必填' });
        else if ([...trimmed].length > max) errors.push({ field, code: 'length', message: `must be at most ${max} characters`, messageZh: `不超过 ${max} 个字符` });
        return trimmed;
      };
      const title = text('title', input.title, 200);
      const body = text('text', input.text, 4000);
      if (errors.length > 0) throw new ValidationError(errors);
      return this.send({ to: input.to, template: 'notice', vars: { title, text: body } }, op);
    },

    /**
     * Sets a recipient's contacts or language (identity calls this once it has verified them).
     * null removes a contact; undefined leaves it.
     */
    async updateRecipient(sub: string, patch: { email?: string | null; phone?: string | null; language?: Language }, op: Operator = localOperator('egov')): Promise<void> {
      checkedSub(sub, 'sub');
      const errors: FieldError[] = [];
      const email = patch.email === null ? null : checkedAddress('email', patch.email, 'email', errors);
      const phone = patch.phone === null ? null : checkedAddress('phone', patch.phone, 'phone', errors);
      if (patch.language !== undefined && !LANGUAGES.includes(patch.language)) errors.push({ field: 'language', code: 'enum', message: 'must be zh-CN or en', messageZh: '应为 zh-CN 或 en' });
      if (errors.length > 0) throw new ValidationError(errors);
      const set = { ...(patch.email !== undefined ? { email } : {}), ...(patch.phone !== undefined ? { phone } : {}), ...(patch.language ? { language: patch.language } : {}) };
      await db.transaction().execute(async (trx) => {
        await store.ensureRecipient(trx, sub, clock.now());
        await store.updateRecipient(trx, sub, set, clock.now());
        await audited(trx, op, 'messaging.recipient.update', sub, { fields: Object.keys(set) });
      });
    },

    /** A recipient's inbox, newest first, with the unread count. */
    async inbox(sub: string, query: { unread?: boolean; limit?: number; offset?: number }): Promise<{ items: MessageView[]; total: number; unread: number }> {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 100);
      const rows = await store.listInbox(db, sub, { unreadOnly: query.unread === true, limit, offset: Math.max(query.offset ?? 0, 0) });
      return { items: await views(rows), ...(await store.countInbox(db, sub)) };
    },

    async unreadCount(sub: string): Promise<{ unread: number }> {
      return { unread: (await store.countInbox(db, sub)).unread };
    },

    async message(sub: string, id: string): Promise<MessageView> {
      return (await views([await getOwnMessage(sub, id)]))[0];
    },

    async markRead(op: Operator, sub: string, id: string): Promise<MessageView> {
      await getOwnMessage(sub, id);
      await db.transaction().execute(async (trx) => {
        const marked = await store.markRead(trx, sub, clock.now(), [id]);
        if (marked.length > 0) await audited(trx, op, 'messaging.message.read', id, {});
      });
      return this.message(sub, id);
    },

    async markAllRead(op: Operator, sub: string): Promise<{ marked: number }> {
      return db.transaction().execute(async (trx) => {
        const marked = await store.markRead(trx, sub, clock.now());
        if (marked.length > 0) await audited(trx, op, 'messaging.message.read_all', sub, { count: marked.length });
        return { marked: marked.length };
      });
    },

    async preferences(sub: string): Promise<PreferencesView> {
      const [recipient, rows] = await Promise.all([store.findRecipient(db, sub), store.listPreferences(db, sub)]);
      return {
        language: (recipient?.language ?? 'zh-CN') as Language,
        email: recipient?.email ? maskEmail(recipient.email) : null,
        phone: recipient?.phone ? maskPhone(recipient.phone) : null,
        categories: CATEGORY_KEYS.map((category) => ({ category, nameZh: CATEGORIES[category].nameZh, nameEn: CATEGORIES[category].nameEn, inbox: true as const, ...preferenceOf(rows, category) })),
      };
    },

    /** Changes the caller's language and channels per category; categories not named stay. */
    async setPreferences(op: Operator, sub: string, input: PreferencesInput): Promise<PreferencesView> {
      const errors: FieldError[] = [];
      if (input.language !== undefined && !(LANGUAGES as readonly string[]).includes(input.language)) errors.push({ field: 'language', code: 'enum', message: 'must be zh-CN or en', messageZh: '应为 zh-CN（中文）或 en（英文）' });
      const seen = new Set<string>();
      (input.categories ?? []).forEach((c, i) => {
        if (!isCategory(c.category)) errors.push({ field: `categories.${i}.category`, code: 'enum', message: `must be one of ${CATEGORY_KEYS.join(', ')}`, messageZh: `应为 ${CATEGORY_KEYS.join('、')} 之一` });
        else if (seen.has(c.category)) errors.push({ field: `categories.${i}.category`, code: 'duplicate', message: `names ${c.category} a second time`, messageZh: `重复列出 ${c.category}` });
        seen.add(c.category);
      });
      if (errors.length > 0) throw new ValidationError(errors);
      await db.transaction().execute(async (trx) => {
        const at = clock.now();
        await store.ensureRecipient(trx, sub, at);
        if (input.language) await store.updateRecipient(trx, sub, { language: input.language }, at);
        for (const c of input.categories ?? []) await store.upsertPreference(trx, { sub, category: c.category, email: c.email, sms: c.sms, updated_at: at });
        await audited(trx, op, 'messaging.preferences.update', sub, { language: input.language ?? null, categories: (input.categories ?? []).map((c) => ({ category: c.category, email: c.email, sms: c.sms })) });
      });
      return this.preferences(sub);
    },

    /** Failed deliveries, newest first (operators). Addresses are masked. */
    async failedDeliveries(limit = 100): Promise<(DeliveryView & { messageId: string; to: string; template: string })[]> {
      return (await store.listFailed(db, Math.min(Math.max(limit, 1), 500))).map((d) => ({ ...deliveryView(d), messageId: d.message_id, to: d.sub, template: d.template }));
    },
  };
}

export type MessagingService = ReturnType<typeof createMessagingService>;
