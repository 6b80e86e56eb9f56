// Background work on a timer: every `intervalMs`, run `task`; a failure goes to `onError` and
// the next round still runs. The timer never keeps the process alive. Returns the stop.
export function every(intervalMs: number, task: () => Promise<unknown>, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => void task().catch(onError), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
