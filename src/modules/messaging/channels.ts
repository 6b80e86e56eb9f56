// The channels outside the platform: email over SMTP (nodemailer) and SMS through a provider
// interface. Each sender either resolves (handed over) or throws with a reason; retrying is
// the delivery sweep's business. Addresses are personal data: they are masked wherever they
// would be shown or logged.
import nodemailer from 'nodemailer';
import type { Logger } from '../../platform/logger.ts';
import { maskEmail, maskPhone } from '../../platform/mask.ts';

export type OutgoingEmail = { to: string; subject: string; text: string; messageId: string };
export type EmailSender = { send(mail: OutgoingEmail): Promise<void> };

export type OutgoingSms = { to: string; text: string; messageId: string };
/** An SMS gateway. `name` is what the delivery status says the message went through. */
export type SmsProvider = { name: string; send(sms: OutgoingSms): Promise<void> };

export type SmtpSettings = { url: string; from: string };

/** Email through the SMTP server `url` names (smtp:// or smtps://, credentials in the URL). */
export function createSmtpSender(settings: SmtpSettings): EmailSender {
  // Timeouts bounded, so a silent server fails the attempt well within a delivery's lease.
  const transport = nodemailer.createTransport({ url: settings.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }, { from: settings.from });
  return {
    async send(mail) {
      await transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, headers: { 'X-Egov-Message': mail.messageId } });
    },
  };
}

/**
 * The default SMS adapter: no gateway, the message goes to the log (a development node reads
 * codes there). The number is masked; the text is written as it is, since that is the point.
 */
export function createLogSms(logger: Logger): SmsProvider {
  return {
    name: 'log',
    async send(sms) {
      logger.info({ sms: { to: maskPhone(sms.to), messageId: sms.messageId, text: sms.text } }, 'SMS (log adapter: no gateway configured)');
    },
  };
}

export function maskAddress(channel: string, address: string): string {
  return channel === 'email' ? maskEmail(address) : maskPhone(address);
}

/** A server's error text with any email address or phone number in it masked, to be stored or logged. */
export function scrubbed(text: string): string {
  return text
    .replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, (m) => maskEmail(m))
    .replace(/\+?\d[\d -]{9,}\d/g, (m) => maskPhone(m.replace(/[ -]/g, '')))
    .slice(0, 500);
}
