// The watch's share of the API quota: every request it sends is counted as it goes out
// (retries of a read included), and a tick sends only what the last hour has left. Also the
// arithmetic of the wait between ticks. Pure: the clock is passed in.

/** The API's quota is 2000 calls an hour per account; watching may spend 12% of it. */
export const WATCH_BUDGET_PER_HOUR = 240;
export const HOUR_MS = 3600_000;
/**
 * The client sends a read up to this many times (it retries transient failures): a read is
 * let out only while this many requests still fit.
 */
export const READ_ATTEMPTS = 3;

export const DEFAULT_INTERVAL_SECONDS = 30;
export const MIN_INTERVAL_SECONDS = 10;
/** While nothing changes, each wait is this much longer than the last, up to IDLE_CAP_SECONDS. */
export const SLOW_DOWN = 1.5;
export const IDLE_CAP_SECONDS = 300;
/** A longer setting is taken as this: slower than the idle cap would only leave jobs unchecked. */
export const MAX_INTERVAL_SECONDS = IDLE_CAP_SECONDS;
/** Failures double the wait, up to this. */
export const ERROR_CAP_SECONDS = 600;
/**
 * After the server says an account's quota is used up: the client pauses a minute; watching
 * that account's jobs waits longer. The quota is each account's: other accounts' jobs go on.
 */
export const QUOTA_PAUSE_SECONDS = 900;

/**
 * The other windows' share of the hour (see sharedCalls.ts): each request of this window is
 * passed on with its account, and the others' requests weigh on this window's room.
 */
export interface OtherWindows {
  record(account: string | undefined): void;
  /** When the other windows' requests of the last hour went out, oldest first. */
  calls(): readonly number[];
}

/** When each request of the last hour went out: this window's, and the other windows'. */
export class CallLog {
  private calls: number[] = [];

  constructor(
    private readonly now: () => number,
    private readonly others?: OtherWindows,
  ) {}

  /** One request (of `account`) went out now. */
  record(account?: string): void {
    this.calls.push(this.now());
    this.others?.record(account);
  }

  /** Requests sent in the last hour, by every window. */
  get lastHour(): number {
    return this.all().length;
  }

  /** Requests that may still go out now without the last hour holding more than the budget. */
  get room(): number {
    return Math.max(0, WATCH_BUDGET_PER_HOUR - this.lastHour);
  }

  /** Milliseconds until `count` more requests fit in the hour (0: they fit now). */
  waitFor(count: number): number {
    const calls = this.all();
    const over = calls.length + Math.min(count, WATCH_BUDGET_PER_HOUR) - WATCH_BUDGET_PER_HOUR;
    // The oldest `over` calls must have left the hour first.
    return over > 0 && calls.length > 0 ? Math.max(0, calls[Math.min(over, calls.length) - 1] + HOUR_MS - this.now()) : 0;
  }

  /** Every window's requests of the last hour, oldest first. */
  private all(): number[] {
    const since = this.now() - HOUR_MS;
    const old = this.calls.findIndex((at) => at > since);
    this.calls = old === -1 ? [] : this.calls.slice(old);
    const others = this.others?.calls().filter((at) => at > since) ?? [];
    return others.length === 0 ? this.calls : [...this.calls, ...others].sort((a, b) => a - b);
  }
}

/** A read refused because the tick has no room left for it: not a failure, it waits its turn. */
export class BudgetSpent extends Error {
  constructor() {
    super('the hour\'s calls of this account are spent');
  }
}

/**
 * What one tick may send. A read goes out only while every retry of it still fits; each
 * request is recorded in the hour's log the moment it is sent, whatever becomes of the tick.
 */
export class TickAllowance {
  private sent = 0;
  /** Requests held for reads under way that may still be retried. */
  private held = 0;

  /** `room`: a fixed room for the tick (tests); else the log's, read at each read, since other windows send meanwhile. */
  constructor(private readonly log: CallLog, private readonly room?: number) {}

  /** Requests this tick sent. */
  get requests(): number {
    return this.sent;
  }

  /** Whether `reads` more reads fit now. */
  fits(reads = 1): boolean {
    // The log already holds the requests this tick sent.
    return this.room === undefined ? this.held + reads * READ_ATTEMPTS <= this.log.room : this.sent + this.held + reads * READ_ATTEMPTS <= this.room;
  }

  /**
   * Runs one read (one client call) if it fits, else throws BudgetSpent. `send` gets the
   * callback to hand to the client, which calls it once per request it sends; a read that
   * reports no request counts as one. `account`: whose quota it spends.
   */
  async read<T>(send: (onSend: () => void) => Promise<T>, account?: string): Promise<T> {
    if (!this.fits()) {
      throw new BudgetSpent();
    }
    this.held += READ_ATTEMPTS;
    let mine = 0;
    const onSend = () => {
      mine++;
      this.sent++;
      this.log.record(account);
    };
    try {
      return await send(onSend);
    } finally {
      this.held -= READ_ATTEMPTS;
      if (mine === 0) {
        onSend();
      }
    }
  }
}

/** The set interval in ms, within the minimum and the maximum, whatever the setting says. */
export function intervalMs(setting: unknown): number {
  const seconds = typeof setting === 'number' && Number.isFinite(setting) ? setting : DEFAULT_INTERVAL_SECONDS;
  return Math.min(MAX_INTERVAL_SECONDS, Math.max(MIN_INTERVAL_SECONDS, seconds)) * 1000;
}

/** The wait after `failures` failed ticks in a row: doubling, capped. */
export function failureDelayMs(baseMs: number, failures: number): number {
  return Math.min(ERROR_CAP_SECONDS * 1000, baseMs * 2 ** failures);
}

/**
 * The wait by pace alone: backed off after failures, else slowed while nothing changes. A
 * quota error is no failure of the tick: it pauses its account alone (see the scheduler).
 */
export function paceMs(baseMs: number, failures: number, unchanged: number): number {
  return failures > 0
    ? failureDelayMs(baseMs, failures)
    : Math.max(baseMs, Math.min(IDLE_CAP_SECONDS * 1000, baseMs * SLOW_DOWN ** unchanged));
}

/**
 * The wait before a tick expected to cost `expected` requests: the pace, long enough that
 * ticks costing that much fit the hourly budget at that pace, and long enough that the last
 * hour's calls plus the tick's stay within it. At most an hour beyond the pace.
 */
export function budgetDelayMs(pace: number, expected: number, log: CallLog): number {
  const cost = Math.min(Math.max(expected, 1), WATCH_BUDGET_PER_HOUR);
  const forBudget = (cost * HOUR_MS) / WATCH_BUDGET_PER_HOUR;
  return Math.ceil(Math.max(pace, forBudget, log.waitFor(cost)));
}
