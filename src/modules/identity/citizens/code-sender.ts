// How one-time codes reach a citizen: a small port, so identity knows nothing of SMS or SMTP.
// The messaging module (src/modules/messaging) will provide the real adapter; until it is
// wired, the default adapter only logs that a code was sent, to a masked address and
// without the code, so neither the code nor the address reaches the log.
import { maskEmail, maskPhone } from './mask.ts';

export type CodeMessage = {
  channel: 'phone' | 'email';
  /** The verified phone number or email address. */
  to: string;
  purpose: 'password_reset';
  code: string;
  expiresAt: Date;
};

export type CodeSender = { send(message: CodeMessage): Promise<void> };

export function loggingCodeSender(log: (line: string) => void): CodeSender {
  return {
    async send(message) {
      const to = message.channel === 'phone' ? maskPhone(message.to) : maskEmail(message.to);
      log(`citizen ${message.purpose} code sent by ${message.channel} to ${to} (no messaging adapter configured: the code was not delivered)`);
    },
  };
}
