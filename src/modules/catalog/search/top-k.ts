// The best k of many results without sorting them all: a bounded heap.

/** The `k` best of `slots` by `better`, best first. */
export function topK(slots: number[], k: number, better: (a: number, b: number) => boolean): number[] {
  if (slots.length <= 4 * k) return [...slots].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).slice(0, k);
  // A min-heap of the best k so far, its worst at the root.
  const heap: number[] = [];
  const worse = (a: number, b: number) => better(b, a);
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (const slot of slots) {
    if (heap.length < k) {
      heap.push(slot);
      up(heap.length - 1);
    } else if (better(slot, heap[0])) {
      heap[0] = slot;
      down(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
