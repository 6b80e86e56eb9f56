// TOTP codes for tests that sign in accounts with two-step sign-in on (administrators must
// have it). The server accepts a code once, and only codes of the steps around its clock, so
// signing one account in again needs a later step. This remembers the last step used per
// account and, when no step the server takes now is fresh, waits for the next one: `wait`
// moves a test clock on, or lets real time pass.
import { totpCode } from '../modules/identity/totp/codes.ts';

const PERIOD_MS = 30_000;

export function totpCodes(secretBase32: string, now: () => Date, wait: (ms: number) => Promise<void> | void) {
  const lastStep = new Map<string, number>();
  return async function codeFor(account: string): Promise<string> {
    for (;;) {
      const at = now().getTime();
      const current = Math.floor(at / PERIOD_MS);
      // The current step or the next: the server may have moved on a step by the time it
      // checks, and then still takes both (an earlier step would be refused).
      const step = [current, current + 1].find((s) => s > (lastStep.get(account) ?? -1));
      if (step !== undefined) {
        lastStep.set(account, step);
        return totpCode(secretBase32, new Date(step * PERIOD_MS));
      }
      await wait((current + 1) * PERIOD_MS - at);
    }
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
