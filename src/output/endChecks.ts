// When to ask the API whether a followed job has ended, for a job nothing else tells us about
// (not watched, its cluster not refreshed): only once its file has been quiet for a while, and
// ever more rarely while it stays quiet. A job that keeps writing costs no API call; one that
// computes quietly for hours costs about six an hour. Free of `vscode`: a plain clock.

export interface EndCheckTiming {
  /** Quiet this long after the last bytes: the first question. */
  firstMs: number;
  /** The pause doubles after each answer "still running", up to this. */
  maxMs: number;
}

export const END_CHECK_TIMING: EndCheckTiming = { firstMs: 30_000, maxMs: 10 * 60_000 };

interface Entry {
  /** When to ask next. */
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

  /** A followed job, or one whose file just grew: asked about after the first quiet pause. */
  wrote(key: string, now: number): void {
    const entry = this.entries.get(key);
    this.entries.set(key, { due: now + this.timing.firstMs, pause: this.timing.firstMs * 2, asking: entry?.asking ?? false });
  }

  remove(key: string): void {
    this.entries.delete(key);
  }

  /** The jobs to ask about now; each is marked asking until answered() or remove(). */
  due(now: number): string[] {
    const keys: string[] = [];
    for (const [key, entry] of this.entries) {
      if (!entry.asking && now >= entry.due) {
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
      if (entry.due <= now) {
        // Not written to while asking (wrote() would have set a later time): wait longer.
        entry.due = now + entry.pause;
        entry.pause = Math.min(this.timing.maxMs, entry.pause * 2);
      }
    }
  }
}
