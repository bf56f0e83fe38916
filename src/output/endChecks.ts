// When to ask the API whether a followed job has ended, for a job nothing else tells us about
// (not watched, its cluster not refreshed): only once its file has been quiet for a while, and
// ever more rarely after each answer "still running", whether or not it writes in between. A
// job that keeps writing costs no API call; any job costs at most about six an hour after its
// first half hour. One entry per job, however many of its tabs are open. Free of `vscode`.

export interface EndCheckTiming {
  /** Quiet this long after the last bytes: the first question. */
  firstMs: number;
  /** The pause doubles after each answer "still running", up to this. */
  maxMs: number;
}

export const END_CHECK_TIMING: EndCheckTiming = { firstMs: 30_000, maxMs: 10 * 60_000 };

/** Questions handed out at once: many tabs restored together do not ask all at the same moment. */
const AT_ONCE = 4;

interface Entry {
  /** When to ask next, at the earliest. */
  due: number;
  /** The pause after the next answer "still running". */
  pause: number;
  asking: boolean;
}

export class EndChecks {
  private readonly entries = new Map<string, Entry>();

  constructor(public timing: EndCheckTiming = END_CHECK_TIMING) {}

  get size(): number {
    return this.entries.size;
  }

  /** A job followed, or whose file just grew: no question until it has been quiet for the first pause. */
  wrote(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.due = Math.max(entry.due, now + this.timing.firstMs);
    } else {
      this.entries.set(key, { due: now + this.timing.firstMs, pause: this.timing.firstMs * 2, asking: false });
    }
  }

  remove(key: string): void {
    this.entries.delete(key);
  }

  /** The jobs to ask about now, a few at a time; each is marked asking until answered() or remove(). */
  due(now: number, skip: (key: string) => boolean = () => false): string[] {
    const keys: string[] = [];
    for (const [key, entry] of this.entries) {
      if (keys.length < AT_ONCE && !entry.asking && now >= entry.due && !skip(key)) {
        entry.asking = true;
        keys.push(key);
      }
    }
    return keys;
  }

  /** Still running (or the question failed): the next question after a longer pause. */
  answered(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.asking = false;
      entry.due = Math.max(entry.due, now + entry.pause);
      entry.pause = Math.min(this.timing.maxMs, entry.pause * 2);
    }
  }
}
