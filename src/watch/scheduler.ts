// Following watched jobs to their end, on a timer, within a budget of API calls. Pure (no
// `vscode`): the look-ups, the clock's reading and what happens with the findings are passed
// in, so that hours of polling run in milliseconds under a fake clock.
//
// One tick looks up, per cluster with a watched job that is pending or running, exactly those
// jobs (all clusters at once, in the order plan.ts gives), then polls the stop operations of
// jobs still running (what the answers mean: findings.ts). Every request goes through the tick's allowance (budget.ts): what does
// not fit the hour waits for a later tick. Nothing changing slows the ticks down; a change
// brings them back to the setting; failures back off, a quota error pauses the account it
// came for (the quota is each account's). No timer runs while nothing is active.
import { Job } from '../ehpc/types';
import { timerDelay } from '../timers';
import { budgetDelayMs, CallLog, failureDelayMs, intervalMs, OtherWindows, paceMs, QUOTA_PAUSE_SECONDS, TickAllowance, WATCH_BUDGET_PER_HOUR } from './budget';
import { applyAnswers, describeError, OperationRead, pollOperations } from './findings';
import { activeByCluster, LookupPlan, MAX_CLUSTERS_PER_TICK } from './plan';
import { FinalStatus, isActive, isWatchedJob, JobEnding, Lookup, WatchableJob, WatchedJob, WatchEvent, WatchOptions, WatchSnapshot } from './types';

export * from './budget';
export * from './types';
export { MAX_CLUSTERS_PER_TICK } from './plan';
export { UNKNOWN_ANSWERS_LIMIT } from './findings';

/**
 * More jobs than this ending in one tick are told in one notification, without a detail
 * request each: a cancel of three jobs is one message, not three.
 */
export const GROUP_ABOVE = 1;

export interface SchedulerDeps {
  lookup: Lookup;
  /** One read of a stop operation; `onSend` is called per request sent. */
  operation: OperationRead;
  /** One detail request for a job that ended (its reason, its run time). */
  ending?(job: Job, onSend: () => void): Promise<JobEnding>;
  /** Whether a job ending so would be told with its details (the notify setting). */
  wantsEnding?(status: FinalStatus): boolean;
  /** ehpc.watchIntervalSeconds as set. */
  intervalSeconds(): number;
  now?(): number;
  /** The jobs a tick found in a new state (ended ones too), for the tree. */
  onJobsUpdated?(jobs: Job[]): void;
  /** Everything that ended or failed in one tick, together. */
  onEvents?(events: WatchEvent[]): void;
  /** The watched set or a watched job's state changed (status bar, tree marks, persistence). */
  onChange?(): void;
  /** The first failure of a run of failed ticks (said once), and the tick that ends the run. */
  onFailing?(error: unknown, pausedSeconds: number): void;
  onRecovered?(failedTicks: number): void;
  log?: { info(message: string): void; warn(message: string): void };
  /** The other windows watching with the same accounts: the budget is the account's, shared. */
  otherWindows?: OtherWindows;
}

export class WatchScheduler {
  private readonly watched = new Map<string, WatchedJob>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires (ms), for the tests and the log. */
  private dueAt: number | undefined;
  private running: Promise<void> | undefined;
  private disposed = false;
  /** Ticks in a row that found nothing new. */
  private unchanged = 0;
  /** Ticks in a row that failed. */
  private failures = 0;
  /** Per account whose quota the server said is used up, until when its jobs are not looked up (ms). */
  private readonly quotaPausedUntil = new Map<string, number>();
  /** Accounts whose used-up quota was told, until one of their look-ups is answered again. */
  private readonly quotaTold = new Set<string>();
  /** When each request of the last hour went out. */
  private readonly callLog: CallLog;
  private lastTickCalls = 0;
  private readonly plan = new LookupPlan();
  /** Counts clear()s: a tick that began before one reports nothing (its answers are the old account's). */
  private generation = 0;
  /** Whether the log has said that the budget lengthens the wait. */
  private budgetReported = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.callLog = new CallLog(() => this.now(), deps.otherWindows);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** The watched jobs, in the order they were watched. */
  jobs(): WatchedJob[] {
    return [...this.watched.values()];
  }

  get(hpcjobUuid: string): WatchedJob | undefined {
    return this.watched.get(hpcjobUuid);
  }

  /** Milliseconds until the next tick, or undefined when none is planned. */
  get nextTickInMs(): number | undefined {
    return this.dueAt === undefined ? undefined : this.dueAt - this.now();
  }

  /** Requests sent by the watch in the last hour, in every window. */
  get callsLastHour(): number {
    return this.callLog.lastHour;
  }

  /**
   * Follows the jobs that are pending or running (others have ended already: nothing to
   * follow). A job watched already takes the new options. Returns how many are watched now
   * of those given.
   */
  watch(jobs: readonly WatchableJob[], options: WatchOptions = {}): number {
    let count = 0;
    for (const job of jobs) {
      if (!isActive(job.status)) {
        continue;
      }
      const known = this.watched.get(job.hpcjobUuid);
      const operationId = options.operationIds?.get(job.hpcjobUuid) ?? known?.operationId;
      this.watched.set(job.hpcjobUuid, {
        account: job.account,
        zone: job.zone,
        clusterId: job.clusterId,
        hpcjobUuid: job.hpcjobUuid,
        name: job.name,
        status: job.status,
        ...(job.submittedTime ? { submittedTime: job.submittedTime } : {}),
        ...(job.startedTime ? { startedTime: job.startedTime } : {}),
        since: known?.since ?? this.now(),
        ...(operationId ? { operationId } : {}),
        ...(options.cancelRequested || known?.cancelRequested ? { cancelRequested: true } : {}),
      });
      count++;
    }
    this.followingMore(count);
    return count;
  }

  /** Stops following the jobs; returns how many were followed. */
  unwatch(hpcjobUuids: Iterable<string>): number {
    let count = 0;
    for (const id of hpcjobUuids) {
      count += this.watched.delete(id) ? 1 : 0;
    }
    if (count > 0) {
      this.changed();
      this.reschedule();
    }
    return count;
  }

  /** The interval setting changed: plan the next tick by it, from now. */
  intervalChanged(): void {
    this.unchanged = 0;
    this.reschedule();
  }

  /**
   * Forgets every job, or every job of one account (a sign-out, another key, the account
   * removed), and that account's quota pause. A tick under way reports nothing: its answers
   * may be the old key's.
   */
  clear(account?: string): number {
    this.generation++;
    let count = 0;
    for (const job of [...this.watched.values()]) {
      if (account === undefined || job.account === account) {
        this.watched.delete(job.hpcjobUuid);
        count++;
      }
    }
    this.failures = 0;
    if (account === undefined) {
      this.quotaPausedUntil.clear();
      this.quotaTold.clear();
    } else {
      this.quotaPausedUntil.delete(account);
      this.quotaTold.delete(account);
    }
    if (count > 0) {
      this.changed();
    }
    this.reschedule();
    return count;
  }

  /** The account was renamed: its jobs are followed under the new name. */
  renameAccount(from: string, to: string): void {
    let count = 0;
    for (const job of this.watched.values()) {
      if (job.account === from) {
        job.account = to;
        count++;
      }
    }
    const pausedUntil = this.quotaPausedUntil.get(from);
    if (pausedUntil !== undefined) {
      this.quotaPausedUntil.delete(from);
      this.quotaPausedUntil.set(to, pausedUntil);
    }
    if (this.quotaTold.delete(from)) {
      this.quotaTold.add(to);
    }
    if (count > 0) {
      this.changed();
    }
  }

  snapshot(): WatchSnapshot {
    return { version: 1, jobs: this.jobs().map((job) => ({ ...job })) };
  }

  /**
   * Takes back a snapshot (after a reload): the jobs of the accounts `keep` allows; anything
   * malformed is left out. A job saved before accounts names none: it was the account
   * `unnamed`'s, if that is given. Returns how many.
   */
  restore(snapshot: unknown, keep: (account: string) => boolean = () => true, unnamed?: string): number {
    const jobs = (snapshot as Partial<WatchSnapshot> | undefined)?.jobs;
    if ((snapshot as Partial<WatchSnapshot> | undefined)?.version !== 1 || !Array.isArray(jobs)) {
      return 0;
    }
    let count = 0;
    for (const saved of jobs) {
      const job: unknown = typeof saved === 'object' && saved !== null && !('account' in saved) && unnamed !== undefined ? { ...(saved as object), account: unnamed } : saved;
      if (isWatchedJob(job) && keep(job.account)) {
        this.watched.set(job.hpcjobUuid, { ...job });
        count++;
      }
    }
    this.followingMore(count);
    return count;
  }

  /** After `count` jobs were taken on: something new to follow, so back to the set interval. */
  private followingMore(count: number): void {
    if (count > 0) {
      this.unchanged = 0;
      this.changed();
      this.reschedule();
    }
  }

  /**
   * Runs one tick now (the timer's own, or a test's); a tick under way is awaited instead of
   * starting another. The next one is planned afterwards.
   */
  async tick(): Promise<void> {
    if (this.running) {
      return this.running;
    }
    this.stopTimer();
    this.running = this.runTick().finally(() => {
      this.running = undefined;
      this.reschedule();
    });
    return this.running;
  }

  dispose(): void {
    this.disposed = true;
    this.stopTimer();
  }

  private async runTick(): Promise<void> {
    const clusters = this.plan.next(this.followed());
    if (clusters.length === 0) {
      return;
    }
    const generation = this.generation;
    // Every request is recorded as it goes out, so a tick cut short below still counts.
    const allowance = new TickAllowance(this.callLog);
    const outcomes = await Promise.allSettled(clusters.map((jobs) => this.deps.lookup(jobs[0], jobs.map((job) => job.hpcjobUuid), allowance)));
    if (generation !== this.generation) {
      this.lastTickCalls = allowance.requests;
      return; // signed out or another key meanwhile: neither its findings nor its failures count
    }
    const { failure, quotaSpent, updated, ended, events, changes: answered } = applyAnswers(this.watched, this.plan, clusters, outcomes);
    clusters.forEach((jobs, i) => outcomes[i].status === 'fulfilled' && this.quotaTold.delete(jobs[0].account));
    this.pause(quotaSpent);
    const changes = answered + (await pollOperations(this.followed(), allowance, (where, id, onSend) => this.deps.operation(where, id, onSend), events, this.deps.log));

    // A detail request each for the reason and run time, while few end together and the budget allows.
    if (ended.length > 0 && ended.length <= GROUP_ABOVE) {
      await Promise.all(ended.map(async (end) => {
        const wanted = this.deps.ending && (this.deps.wantsEnding?.(end.status) ?? true) && (end.status === 'finished' || end.status === 'exited');
        if (!wanted || !allowance.fits()) {
          events.push({ kind: 'ended', ...end });
          return;
        }
        const ending = await allowance.read((onSend) => this.deps.ending!(end.latest, onSend), end.job.account).catch((error: unknown) => {
          this.deps.log?.warn(`Watch: no details for job ${end.job.hpcjobUuid}: ${describeError(error)}`);
          return undefined;
        });
        events.push({ kind: 'ended', ...end, ending });
      }));
    } else {
      events.push(...ended.map((end) => ({ kind: 'ended' as const, ...end })));
    }
    if (generation !== this.generation) {
      this.lastTickCalls = allowance.requests;
      return;
    }

    const recovering = failure === undefined && this.failures > 0;
    this.lastTickCalls = allowance.requests;
    if (failure === undefined) {
      if (this.failures > 0) {
        this.deps.log?.info(`Watch: looking up watched jobs works again after ${this.failures} failed ${this.failures === 1 ? 'try' : 'tries'}.`);
        this.deps.onRecovered?.(this.failures);
      }
      this.failures = 0;
    } else {
      this.failures++;
      const wait = Math.round(failureDelayMs(this.baseMs(), this.failures) / 1000);
      this.deps.log?.warn(`Watch: could not look up watched jobs (${describeError(failure)}); next try in ${wait} s.`);
      if (this.failures === 1) {
        this.deps.onFailing?.(failure, wait);
      }
    }
    if (failure === undefined && quotaSpent.size === 0) {
      // A failed tick says nothing about whether the jobs change; the first good one starts afresh.
      this.unchanged = changes > 0 || recovering ? 0 : this.unchanged + 1;
    }
    if (updated.length > 0) {
      this.deps.onJobsUpdated?.(updated);
    }
    if (changes > 0) {
      this.changed();
    }
    if (events.length > 0) {
      this.deps.onEvents?.(events);
    }
  }

  private changed(): void {
    this.deps.onChange?.();
  }

  /** Whether the account's jobs wait out a quota pause now; a pause that ended is forgotten. */
  private paused(account: string): boolean {
    const until = this.quotaPausedUntil.get(account);
    if (until !== undefined && until <= this.now()) {
      this.quotaPausedUntil.delete(account);
    }
    return this.quotaPausedUntil.has(account);
  }

  /** The watched jobs of the accounts not paused. */
  private followed(): WatchedJob[] {
    return this.jobs().filter((job) => !this.paused(job.account));
  }

  /**
   * The server said these accounts' quota is used up: their jobs wait. Logged each time, told
   * once until the account's look-ups are answered again.
   */
  private pause(quotaSpent: ReadonlyMap<string, unknown>): void {
    let first: unknown;
    for (const [account, error] of quotaSpent) {
      if (this.paused(account)) {
        continue;
      }
      this.quotaPausedUntil.set(account, this.now() + QUOTA_PAUSE_SECONDS * 1000);
      this.deps.log?.warn(`Watch: the API quota of account ${JSON.stringify(account)} is used up (${describeError(error)}); its watched jobs are looked up again in ${QUOTA_PAUSE_SECONDS} s.`);
      if (!this.quotaTold.has(account)) {
        this.quotaTold.add(account);
        first ??= error;
      }
    }
    if (first !== undefined) {
      this.deps.onFailing?.(first, QUOTA_PAUSE_SECONDS);
    }
  }

  private stopTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.timer = undefined;
    this.dueAt = undefined;
  }

  /** Plans the next tick, or none when nothing watched is pending or running. */
  private reschedule(): void {
    this.stopTimer();
    if (this.disposed || this.running) {
      return; // a tick under way plans the next when it ends
    }
    const active = activeByCluster(this.watched.values());
    if (active.size === 0) {
      return;
    }
    const delay = this.nextDelayMs();
    this.dueAt = this.now() + delay;
    this.timer = setTimeout(() => void this.tick(), timerDelay(delay));
  }

  private baseMs(): number {
    return intervalMs(this.deps.intervalSeconds());
  }

  /**
   * The wait before the next tick: the pace (slowed while nothing changes, backed off after
   * failures), stretched so that a tick costing what the last one did fits the hourly budget;
   * while every account with a job to follow is paused, until the first pause ends.
   */
  private nextDelayMs(): number {
    const followed = this.followed();
    const clusters = activeByCluster(followed).size;
    const pace = paceMs(this.baseMs(), this.failures, this.unchanged);
    const expected = Math.max(this.lastTickCalls, Math.min(clusters, MAX_CLUSTERS_PER_TICK) + this.operationCount(followed));
    const delay = budgetDelayMs(pace, expected, this.callLog);
    // Said once each time the budget, not the pace, starts deciding the wait.
    const budgetBound = delay > Math.ceil(pace);
    if (budgetBound && !this.budgetReported) {
      this.deps.log?.info(`Watch: next look-up in ${Math.round(delay / 1000)} s instead of ${Math.round(pace / 1000)} s: a tick costs about ${expected} calls, and watching spends at most ${WATCH_BUDGET_PER_HOUR} calls an hour (${this.callLog.lastHour} in the last hour).`);
    }
    this.budgetReported = budgetBound;
    if (clusters > 0) {
      return delay;
    }
    const pauseEnds = this.jobs().filter((job) => isActive(job.status)).map((job) => this.quotaPausedUntil.get(job.account) ?? this.now());
    return Math.max(delay, Math.min(...pauseEnds) - this.now());
  }

  private operationCount(followed: readonly WatchedJob[]): number {
    return new Set(followed.filter((job) => job.operationId && isActive(job.status)).map((job) => job.operationId)).size;
  }
}
