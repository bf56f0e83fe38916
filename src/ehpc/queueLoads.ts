// What queue loads cost wherever they are shown (the tree's Queues row, the submit form's queue
// step): describeQueue for the first QUEUE_LOADS queues only, LOADS_AT_ONCE at a time, so that a
// cluster with hundreds of queues never sends hundreds of requests at once.

export const QUEUE_LOADS = 20;
export const LOADS_AT_ONCE = 4;

/**
 * `ask` for each of the first QUEUE_LOADS queues, at most LOADS_AT_ONCE at a time: one promise
 * per queue asked, in the queues' order, each settling as its own answer comes.
 */
export function askInTurn<T, R>(queues: readonly T[], ask: (queue: T) => Promise<R>): Promise<R>[] {
  let running = 0;
  const waiting: (() => void)[] = [];
  const turn = (): Promise<void> => {
    if (running < LOADS_AT_ONCE) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  // The slot passes straight to the next in line, or frees up.
  const done = () => {
    const next = waiting.shift();
    if (next) {
      next();
    } else {
      running--;
    }
  };
  return queues.slice(0, QUEUE_LOADS).map((queue) => turn().then(() => ask(queue)).finally(done));
}
