// Delivery of email and SMS. A message and its deliveries are committed before anything is
// sent, so an acknowledged send survives a crash: what was not sent is still due, and the
// sweep finds it (a lease left by a dead process runs out). A failed attempt waits longer
// each time (retrySeconds × 2^(attempt-1)) until maxAttempts is reached; then it is given up.
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { Logger } from '../../platform/logger.ts';
import { scrubbed, type EmailSender, type SmsProvider } from './channels.ts';
import * as store from './store.ts';

export type DeliverySettings = { maxAttempts: number; retrySeconds: number };

/** Longer than the SMTP timeouts together, so a live attempt keeps its lease. */
const LEASE_MS = 2 * 60_000;
const SWEEP_BATCH = 50;

export type DeliveryDeps = { db: Db; clock: Clock; logger: Logger; email: EmailSender | undefined; sms: SmsProvider | undefined; settings: DeliverySettings };

export function createDelivery(deps: DeliveryDeps) {
  const { db, clock, logger, settings } = deps;

  function retryAt(attempts: number): Date | null {
    if (attempts >= settings.maxAttempts) return null;
    return new Date(clock.now().getTime() + settings.retrySeconds * 1000 * 2 ** (attempts - 1));
  }

  async function attemptOne(claimed: store.ClaimedDelivery): Promise<void> {
    try {
      if (!claimed.address) throw new Error('no address');
      if (claimed.channel === 'email') {
        if (!deps.email) throw new Error('email is not configured on this node');
        await deps.email.send({ to: claimed.address, subject: claimed.subject, text: claimed.body, messageId: claimed.message_id });
      } else if (claimed.channel === 'sms') {
        if (!deps.sms) throw new Error('SMS is not configured on this node');
        await deps.sms.send({ to: claimed.address, text: `${claimed.subject}: ${claimed.body}`, messageId: claimed.message_id });
      }
      await store.recordSent(db, claimed.id, clock.now());
    } catch (err) {
      const error = scrubbed((err as Error)?.message || String(err));
      const next = retryAt(claimed.attempts);
      await store.recordFailed(db, claimed.id, error, next, clock.now());
      logger.warn({ messageId: claimed.message_id, channel: claimed.channel, attempt: claimed.attempts, error, retryAt: next?.toISOString() ?? null }, next ? 'message delivery failed; will retry' : 'message delivery failed; no attempt left');
    }
    await store.eraseSpentBody(db, claimed.message_id);
  }

  async function claimAndSend(messageId?: string): Promise<number> {
    const now = clock.now();
    const claimed = await store.claimDue(db, { now, leaseUntil: new Date(now.getTime() + LEASE_MS), limit: SWEEP_BATCH, messageId });
    await Promise.all(claimed.map(attemptOne));
    return claimed.length;
  }

  return {
    /** The first attempt of a message just written. */
    attemptMessage: (messageId: string) => claimAndSend(messageId).then(() => undefined),
    /** Every delivery due now (queued, a retry whose time has come, a lease run out); returns how many were tried. */
    async sweep(): Promise<number> {
      let total = 0;
      for (;;) {
        const n = await claimAndSend();
        total += n;
        if (n < SWEEP_BATCH) return total;
      }
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
