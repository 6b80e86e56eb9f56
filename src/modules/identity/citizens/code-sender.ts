// How one-time codes and contacts reach messaging: small ports, so identity knows nothing of
// SMS or SMTP. The app wires them to the messaging module (src/app.ts): a code goes out as a
// message to the account (`sub`) at the address it is sent to, and the contacts a citizen
// registered with (and their language) become the messaging recipient's. Until wired, the
// default code sender only logs that a code was sent, to a masked address and without the
// code, so neither the code nor the address reaches the log.
import { maskEmail, maskPhone } from '../../../platform/mask.ts';

export type CodeMessage = {
  /** The account the code is for: citizen:{id}. */
  sub: string;
  channel: 'phone' | 'email';
  /** The verified phone number or email address. */
  to: string;
  purpose: 'password_reset' | 'verification';
  code: string;
  expiresAt: Date;
  /** How long the code is valid, as the message says it. */
  minutes: number;
};

export type CodeSender = { send(message: CodeMessage): Promise<void> };

/** The contacts an account is reached at; null clears one (a deleted account keeps none). */
export type Contacts = { email?: string | null; phone?: string | null; language?: 'zh-CN' | 'en' };
export type ContactSink = { update(sub: string, contacts: Contacts): Promise<void> };

export function loggingCodeSender(log: (line: string) => void): CodeSender {
  return {
    async send(message) {
      const to = message.channel === 'phone' ? maskPhone(message.to) : maskEmail(message.to);
      log(`citizen ${message.purpose} code sent by ${message.channel} to ${to} (no messaging adapter configured: the code was not delivered)`);
    },
  };
}
