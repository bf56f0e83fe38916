// Fake setTimeout/clearTimeout with a clock the test moves: hours of timers in milliseconds.
// Promises settle between timers (setImmediate is left real), so async code runs as it would.

interface Timer {
  at: number;
  run: () => void;
}

export class FakeClock {
  now = 0;
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;
  private readonly real = { setTimeout: global.setTimeout, clearTimeout: global.clearTimeout };

  install(): this {
    global.setTimeout = ((run: () => void, ms = 0) => {
      const id = this.nextId++;
      this.timers.set(id, { at: this.now + Math.max(0, ms), run });
      return id;
    }) as unknown as typeof global.setTimeout;
    global.clearTimeout = ((id?: number) => void (id !== undefined && this.timers.delete(id))) as typeof global.clearTimeout;
    return this;
  }

  uninstall(): void {
    global.setTimeout = this.real.setTimeout;
    global.clearTimeout = this.real.clearTimeout;
    this.timers.clear();
  }

  /** Milliseconds from now until each pending timer fires, soonest first. */
  pending(): number[] {
    return [...this.timers.values()].map((timer) => timer.at - this.now).sort((a, b) => a - b);
  }

  /** Moves the clock `ms` ahead, firing the timers due on the way, each at its own time. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    await settle();
    for (;;) {
      const due = [...this.timers.entries()].filter(([, timer]) => timer.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) {
        break;
      }
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].run();
      await settle();
    }
    this.now = end;
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
