// Group commit: small appends that must be durable before their caller is answered (a log
// row per exchanged message, a row per read of a person's record) would each cost a commit,
// and under load the commits, not the rows, are what the database spends its time on. Items
// that arrive while one group is being written wait for the next, which writes them all in
// one transaction. Each caller is answered once the transaction holding its item committed,
// so what is acknowledged is durable; the order of writing is the order of arrival.

export type GroupCommit<T, R> = {
  /** Resolves with this item's result once the group holding it has committed. */
  add(item: T): Promise<R>;
};

/**
 * `write` writes a group of items in one transaction and returns one result per item, in
 * order. When it throws, every caller of that group gets the error; the next group is tried
 * afresh. At most `maxGroup` items go into one transaction.
 */
export function createGroupCommit<T, R>(write: (items: T[]) => Promise<R[]>, maxGroup = 500): GroupCommit<T, R> {
  let queue: { item: T; resolve: (result: R) => void; reject: (err: unknown) => void }[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const group = queue.slice(0, maxGroup);
      queue = queue.slice(group.length);
      try {
        const results = await write(group.map((g) => g.item));
        group.forEach((g, i) => g.resolve(results[i] as R));
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    writing = false;
  }

  return {
    add(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
