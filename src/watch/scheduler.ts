// Following watched jobs to their end, on a timer, within a budget of API calls. Pure (no
// `vscode`): the look-ups, the clock's reading and what happens with the findings are passed
// in, so that hours of polling run in milliseconds under a fake clock.
//
// One tick looks up, per cluster with a watched job that is pending or running, exactly those
// jobs (one look-up per cluster, all clusters at once), then polls the stop operations of
// jobs still running. Nothing changing slows the ticks down; a change brings them back to the
// setting; failures back off, a quota error pauses. No timer runs while nothing is active.
import { ClusterPlace, clusterKey } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { Job, JobStatus, OperationState } from '../ehpc/types';
import { timerDelay } from '../timers';

/** The API's quota is 2000 calls an hour per account; watching may spend 12% of it. */
export const WATCH_BUDGET_PER_HOUR = 240;
export const DEFAULT_INTERVAL_SECONDS = 30;
export const MIN_INTERVAL_SECONDS = 10;
/** While nothing changes, each wait is this much longer than the last, up to IDLE_CAP_SECONDS. */
export const SLOW_DOWN = 1.5;
export const IDLE_CAP_SECONDS = 300;
/** A longer setting is taken as this: slower than the idle cap would only leave jobs unchecked. */
export const MAX_INTERVAL_SECONDS = IDLE_CAP_SECONDS;
/** Failures double the wait, up to this. */
export const ERROR_CAP_SECONDS = 600;
/** After the server says the quota is used up: the client pauses a minute; watching waits longer. */
export const QUOTA_PAUSE_SECONDS = 900;
/** More jobs than this ending in one tick are told together, without a detail request each. */
export const GROUP_ABOVE = 3;
/** A tick looks up at most this many clusters (a quarter of the hourly budget); more take turns. */
export const MAX_CLUSTERS_PER_TICK = WATCH_BUDGET_PER_HOUR / 4;
const HOUR_MS = 3600_000;

export type ActiveStatus = 'pending' | 'running';
export type FinalStatus = 'finished' | 'exited' | 'cancelled' | 'stopped';

export function isActive(status: JobStatus): status is ActiveStatus {
  return status === 'pending' || status === 'running';
}

/** A job being followed, as persisted. */
export interface WatchedJob {
  /** The account whose key looks it up. */
  account: string;
  zone: string;
  clusterId: string;
  hpcjobUuid: string;
  name: string;
  status: JobStatus;
  submittedTime?: string;
  startedTime?: string;
  /** When the watch began (ms since the epoch). */
  since: number;
  /** The stop operation (`j-…`) a cancel started, while it may still fail. */
  operationId?: string;
  /** A cancel was sent and the job still runs: the tree shows "Cancelling...". */
  cancelRequested?: boolean;
}

/** What a job passed to watch() must tell; a list item (Job) does. */
export type WatchableJob = Pick<Job, 'account' | 'zone' | 'clusterId' | 'hpcjobUuid' | 'name' | 'status'> & Partial<Pick<Job, 'submittedTime' | 'startedTime'>>;

export interface WatchOptions {
  /** Per hpcjob_uuid, the stop operation a cancel started. */
  operationIds?: ReadonlyMap<string, string>;
  cancelRequested?: boolean;
}

/** What a detail request tells about a job that ended. */
export interface JobEnding {
  reason?: string;
  runSeconds?: number;
}

export type WatchEvent =
  | { kind: 'ended'; job: WatchedJob; latest: Job; status: FinalStatus; ending?: JobEnding }
  | { kind: 'gone'; job: WatchedJob }
  | { kind: 'cancelFailed'; job: WatchedJob; operationId: string; /** The operation's error codes, when it names any. */ errorCodes?: string };

export interface LookupResult {
  /** Every asked id: its job now, or undefined when the cluster no longer has it. */
  jobs: ReadonlyMap<string, Job | undefined>;
  /** Requests the look-up sent. */
  requests: number;
}

export interface SchedulerDeps {
  lookup(cluster: ClusterPlace, hpcjobUuids: readonly string[]): Promise<LookupResult>;
  operation(where: Pick<ClusterPlace, 'account' | 'zone'>, operationId: string): Promise<OperationState>;
  /** One detail request for a job that ended (its reason, its run time). */
  ending?(job: Job): Promise<JobEnding>;
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
}

export interface WatchSnapshot {
  version: 1;
  jobs: WatchedJob[];
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
  /** Ticks in a row that failed, and whether the last failure was the quota. */
  private failures = 0;
  private quotaHit = false;
  /** When each request of the last hour went out (ms). */
  private calls: number[] = [];
  private lastTickCalls = 0;
  /** Per cluster (zone/cluster_id), the tick that last looked it up. */
  private readonly lookedUp = new Map<string, number>();
  private tickCount = 0;
  /** Counts clear()s: a tick that began before one reports nothing (its answers are the old account's). */
  private generation = 0;
  /** Whether the log has said that the budget lengthens the wait. */
  private budgetReported = false;

  constructor(private readonly deps: SchedulerDeps) {}

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

  /** Requests sent by the watch in the last hour. */
  get callsLastHour(): number {
    this.forgetOldCalls();
    return this.calls.length;
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
   * removed). A tick under way reports nothing: its answers may be the old key's.
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
    this.quotaHit = false;
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

  /** The jobs the next tick looks up, per cluster. */
  private activeByCluster(): Map<string, WatchedJob[]> {
    const byCluster = new Map<string, WatchedJob[]>();
    for (const job of this.watched.values()) {
      if (isActive(job.status)) {
        const key = clusterKey(job);
        byCluster.set(key, [...(byCluster.get(key) ?? []), job]);
      }
    }
    return byCluster;
  }

  private async runTick(): Promise<void> {
    const clusters = this.clustersForTick();
    if (clusters.length === 0) {
      return;
    }
    const started = this.now();
    const generation = this.generation;
    let calls = 0;
    let failure: unknown;
    const updated: Job[] = [];
    const ended: { job: WatchedJob; latest: Job; status: FinalStatus }[] = [];
    const events: WatchEvent[] = [];
    let changes = 0;

    const outcomes = await Promise.allSettled(clusters.map((jobs) => this.deps.lookup(jobs[0], jobs.map((job) => job.hpcjobUuid))));
    if (generation !== this.generation) {
      return; // signed out or another key meanwhile: neither its findings nor its failures count
    }
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') {
        calls += 1; // at least the one that failed
        failure ??= outcome.reason;
        return;
      }
      calls += outcome.value.requests;
      for (const asked of clusters[i]) {
        const job = this.watched.get(asked.hpcjobUuid);
        if (!job || !outcome.value.jobs.has(asked.hpcjobUuid)) {
          continue; // unwatched meanwhile, or not answered for
        }
        const latest = outcome.value.jobs.get(asked.hpcjobUuid);
        if (!latest) {
          this.watched.delete(job.hpcjobUuid);
          events.push({ kind: 'gone', job });
          changes++;
          continue;
        }
        if (latest.status === job.status || latest.status === 'unknown') {
          continue; // a state this version does not know is no end: keep following it
        }
        changes++;
        updated.push(latest);
        if (isActive(latest.status)) {
          Object.assign(job, { status: latest.status, startedTime: latest.startedTime ?? job.startedTime, name: latest.name });
        } else {
          this.watched.delete(job.hpcjobUuid);
          ended.push({ job: { ...job, status: latest.status }, latest, status: latest.status });
        }
      }
    });

    // Stop operations, only for jobs that still run: one poll per operation.
    const operations = new Map<string, WatchedJob[]>();
    for (const job of this.watched.values()) {
      if (job.operationId && isActive(job.status)) {
        const key = `${clusterKey(job)} ${job.operationId}`;
        operations.set(key, [...(operations.get(key) ?? []), job]);
      }
    }
    const polls = await Promise.allSettled([...operations.values()].map((jobs) => this.deps.operation(jobs[0], jobs[0].operationId!)));
    calls += polls.length;
    [...operations.values()].forEach((jobs, i) => {
      const poll = polls[i];
      if (poll.status === 'rejected') {
        this.deps.log?.warn(`Watch: could not read stop operation ${jobs[0].operationId}: ${describe(poll.reason)}`);
        return;
      }
      const { status, errorCodes } = poll.value;
      if (status === 'failed') {
        for (const job of jobs) {
          events.push({ kind: 'cancelFailed', job: { ...job }, operationId: job.operationId!, ...(errorCodes ? { errorCodes } : {}) });
          delete job.operationId;
          delete job.cancelRequested;
        }
        changes++;
      } else if (status === 'successful') {
        // The jobs stop now: the next look-up tells how they ended.
        jobs.forEach((job) => delete job.operationId);
        changes++;
      }
    });

    // A detail request each for the reason and run time, while few end together and the budget allows.
    if (ended.length > 0 && ended.length <= GROUP_ABOVE) {
      await Promise.all(ended.map(async (end) => {
        const wanted = this.deps.ending && (this.deps.wantsEnding?.(end.status) ?? true) && (end.status === 'finished' || end.status === 'exited');
        if (!wanted || this.callsLastHour + calls + 1 > WATCH_BUDGET_PER_HOUR) {
          events.push({ kind: 'ended', ...end });
          return;
        }
        calls++;
        const ending = await this.deps.ending!(end.latest).catch((error: unknown) => {
          this.deps.log?.warn(`Watch: no details for job ${end.job.hpcjobUuid}: ${describe(error)}`);
          return undefined;
        });
        events.push({ kind: 'ended', ...end, ending });
      }));
    } else {
      events.push(...ended.map((end) => ({ kind: 'ended' as const, ...end })));
    }

    this.recordCalls(started, calls);
    const recovering = failure === undefined && this.failures > 0;
    this.lastTickCalls = calls;
    if (failure === undefined) {
      if (this.failures > 0) {
        this.deps.log?.info(`Watch: looking up watched jobs works again after ${this.failures} failed ${this.failures === 1 ? 'try' : 'tries'}.`);
        this.deps.onRecovered?.(this.failures);
      }
      this.failures = 0;
      this.quotaHit = false;
    } else {
      this.failures++;
      this.quotaHit = failure instanceof EhpcError && failure.kind === 'quota';
      const wait = Math.round(this.failureDelayMs() / 1000);
      this.deps.log?.warn(`Watch: could not look up watched jobs (${describe(failure)}); next try in ${wait} s.`);
      if (this.failures === 1) {
        this.deps.onFailing?.(failure, wait);
      }
    }
    if (failure === undefined) {
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

  /**
   * The clusters this tick looks up: all of them, unless more than a tick may cost; then
   * those looked up longest ago, so that each gets its turn.
   */
  private clustersForTick(): WatchedJob[][] {
    const all = [...this.activeByCluster().entries()];
    const chosen = all.length <= MAX_CLUSTERS_PER_TICK
      ? all
      : all.sort(([a], [b]) => (this.lookedUp.get(a) ?? 0) - (this.lookedUp.get(b) ?? 0)).slice(0, MAX_CLUSTERS_PER_TICK);
    const at = ++this.tickCount;
    chosen.forEach(([key]) => this.lookedUp.set(key, at));
    for (const key of this.lookedUp.keys()) {
      if (!all.some(([active]) => active === key)) {
        this.lookedUp.delete(key);
      }
    }
    return chosen.map(([, jobs]) => jobs);
  }

  private recordCalls(at: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.calls.push(at);
    }
  }

  private forgetOldCalls(): void {
    const since = this.now() - HOUR_MS;
    const old = this.calls.findIndex((at) => at > since);
    this.calls = old === -1 ? [] : this.calls.slice(old);
  }

  private changed(): void {
    this.deps.onChange?.();
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
    const active = this.activeByCluster();
    if (active.size === 0) {
      return;
    }
    const delay = this.nextDelayMs(active.size);
    this.dueAt = this.now() + delay;
    this.timer = setTimeout(() => void this.tick(), timerDelay(delay));
  }

  /** The set interval, within the minimum and the maximum, whatever the setting says. */
  private baseMs(): number {
    const setting = this.deps.intervalSeconds();
    const seconds = typeof setting === 'number' && Number.isFinite(setting) ? setting : DEFAULT_INTERVAL_SECONDS;
    return Math.min(MAX_INTERVAL_SECONDS, Math.max(MIN_INTERVAL_SECONDS, seconds)) * 1000;
  }

  private failureDelayMs(): number {
    const backOff = Math.min(ERROR_CAP_SECONDS * 1000, this.baseMs() * 2 ** this.failures);
    return this.quotaHit ? Math.max(backOff, QUOTA_PAUSE_SECONDS * 1000) : backOff;
  }

  /**
   * The wait before the next tick: the interval (slowed while nothing changes, backed off
   * after failures), long enough that a tick costing what the last one did fits the hourly
   * budget at that pace, and long enough that the calls of the last hour plus the next
   * tick's stay within the budget.
   */
  private nextDelayMs(clusters: number): number {
    const base = this.baseMs();
    const pace = this.failures > 0
      ? this.failureDelayMs()
      : Math.max(base, Math.min(IDLE_CAP_SECONDS * 1000, base * SLOW_DOWN ** this.unchanged));
    const expected = Math.max(this.lastTickCalls, Math.min(clusters, MAX_CLUSTERS_PER_TICK) + this.operationCount());
    const forBudget = (expected * HOUR_MS) / WATCH_BUDGET_PER_HOUR;
    this.forgetOldCalls();
    const over = this.calls.length + expected - WATCH_BUDGET_PER_HOUR;
    // The oldest `over` calls must have left the hour first.
    const forWindow = over > 0 && this.calls.length > 0 ? this.calls[Math.min(over, this.calls.length) - 1] + HOUR_MS - this.now() : 0;
    const delay = Math.ceil(Math.max(pace, forBudget, forWindow));
    // Said once each time the budget, not the pace, starts deciding the wait.
    const budgetBound = delay > Math.ceil(pace);
    if (budgetBound && !this.budgetReported) {
      this.deps.log?.info(`Watch: next look-up in ${Math.round(delay / 1000)} s instead of ${Math.round(pace / 1000)} s: a tick costs about ${expected} calls, and watching spends at most ${WATCH_BUDGET_PER_HOUR} calls an hour (${this.calls.length} in the last hour).`);
    }
    this.budgetReported = budgetBound;
    return delay;
  }

  private operationCount(): number {
    return new Set([...this.watched.values()].filter((job) => job.operationId && isActive(job.status)).map((job) => job.operationId)).size;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const STATUSES: readonly string[] = ['pending', 'running', 'finished', 'exited', 'cancelled', 'stopped', 'unknown'];

function isWatchedJob(value: unknown): value is WatchedJob {
  const job = value as Partial<Record<keyof WatchedJob, unknown>> | null;
  return typeof job === 'object' && job !== null
    && typeof job.account === 'string' && typeof job.zone === 'string' && typeof job.clusterId === 'string' && typeof job.hpcjobUuid === 'string'
    && typeof job.name === 'string' && typeof job.status === 'string' && STATUSES.includes(job.status)
    && typeof job.since === 'number'
    && (job.operationId === undefined || typeof job.operationId === 'string');
}
