// Time comes through a Clock so that tests can move it (idle timeouts, lockouts, deadlines).
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export function manualClock(start = new Date('2026-01-05T08:00:00Z')) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}
