// Messaging: how the platform tells an account something. Each message goes to the account's
// in-app inbox, and by email (SMTP) and SMS (a provider; by default the log) as the account
// chose per category, rendered from a template in its language. Each channel's delivery is
// recorded (queued, sent, failed, skipped and why) and failures are retried with backoff by
// a background sweep. Other modules call `service.send({ to, template, vars })` and know
// nothing of SMTP; identity sets the contacts it has verified with `service.updateRecipient`.
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { Audit } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { Logger } from '../../platform/logger.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { createLogSms, createSmtpSender, type EmailSender, type SmsProvider, type SmtpSettings } from './channels.ts';
import { createDelivery, type DeliverySettings } from './delivery.ts';
import { registerMessagingRoutes } from './routes.ts';
import { createMessagingService } from './service.ts';

export type { EmailSender, OutgoingEmail, OutgoingSms, SmsProvider } from './channels.ts';
export type { DeliveryView, MessageView, MessagingService, PreferencesView, SendInput } from './service.ts';
export { CATEGORIES, TEMPLATES, type Category, type Language, type TemplateKey, type TemplateVars } from './templates.ts';

export const messagingMigrations: MigrationSource = { module: 'messaging', dir: path.join(import.meta.dirname, 'migrations') };

export type MessagingDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  logger: Logger;
  /** The SMTP server; undefined: email is disabled (deliveries say so). */
  smtp: SmtpSettings | undefined;
  /** Replaces the SMTP sender (tests). */
  email?: EmailSender;
  /** The SMS gateway; by default the log adapter. */
  sms?: SmsProvider;
  settings: DeliverySettings;
  accountExists: (sub: string) => Promise<boolean>;
};

export function createMessaging(deps: MessagingDeps) {
  const email = deps.email ?? (deps.smtp ? createSmtpSender(deps.smtp) : undefined);
  const sms = deps.sms ?? createLogSms(deps.logger);
  const delivery = createDelivery({ db: deps.db, clock: deps.clock, logger: deps.logger, email, sms, settings: deps.settings });
  const service = createMessagingService({ db: deps.db, audit: deps.audit, clock: deps.clock, delivery, enabled: { email: email !== undefined, sms: true }, accountExists: deps.accountExists });
  return {
    service,
    /** Tries every delivery that is due; the app runs it on a timer. */
    sweep: () => delivery.sweep(),
    registerRoutes: (app: App) => registerMessagingRoutes(app, service),
  };
}

export type Messaging = ReturnType<typeof createMessaging>;
