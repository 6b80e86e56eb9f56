// Background work on a timer: every `intervalMs`, run `task`; a failure goes to `onError` and
// the next round still runs. A round that is still running when the next is due makes that
// next round skip (work that takes longer than its interval on a busy machine must not run
// twice at once: a node would register twice, a sweep would race itself). The timer never
// keeps the process alive. Returns the stop.
export function every(intervalMs: number, task: () => Promise<unknown>, onError: (err: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void task()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
