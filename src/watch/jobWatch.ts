// The watch as the extension uses it: the scheduler on the signed-in account's client, its set
// kept in the workspace's state (one window notifies, and a reload keeps it), forgotten on a
// sign-out or another key, the tree patched and told, the user notified, the status bar kept.
import { createHash } from 'crypto';
import * as vscode from 'vscode';
import { CredentialStore } from '../auth/credentialStore';
import { Connection } from '../connection';
import { EhpcClient } from '../ehpc/client';
import { findEach, lookupJobs } from '../ehpc/lookup';
import { ClusterModel } from '../tree/model';
import { userMessage } from '../ui/messages';
import { actionLabel, endingOf, JobRef, Notifier, notificationsFor, readNotifyOn, tellsEnding, WatchAction, WatchNotification } from './notifications';
import { DEFAULT_INTERVAL_SECONDS, isActive, LookupResult, WatchableJob, WatchedJob, WatchEvent, WatchOptions, WatchScheduler } from './scheduler';
import { WatchStatusBar } from './statusBar';

/** Where the watched set is kept (workspaceState): per workspace, so that two windows do not both notify. */
export const WATCH_STATE_KEY = 'ehpc.watchedJobs';

/** What other code uses: the cancel and submit flows, the tree. */
export interface JobWatchApi {
  /** Follows the pending and running ones of `jobs` until they end; returns how many are watched. */
  watch(jobs: readonly WatchableJob[], options?: WatchOptions): number;
  /** Stops following; returns how many were followed. */
  unwatch(hpcjobUuids: Iterable<string>): number;
  isWatched(hpcjobUuid: string): boolean;
  /** A cancel was sent and the job still runs. */
  isCancelling(hpcjobUuid: string): boolean;
  /** The watched set or a watched job's state changed. */
  readonly onDidChange: vscode.Event<void>;
}

interface PersistedWatch {
  /** Which key the jobs were watched with: a hash, never the key id itself. */
  account: string;
  watch: unknown;
}

export interface JobWatchDeps {
  connection: Pick<Connection, 'session'>;
  credentials: Pick<CredentialStore, 'get' | 'onDidChange'>;
  model: Pick<ClusterModel, 'patchJob' | 'findCluster'>;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
  state: vscode.Memento;
  /** Read at each use: tests replace it. */
  notifier: () => Notifier;
  /** What a notification's buttons do. */
  act: (action: WatchAction, jobs: JobRef[]) => Thenable<unknown>;
}

export class JobWatch implements JobWatchApi, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly scheduler: WatchScheduler;
  private readonly statusBar: WatchStatusBar;
  private readonly subscriptions: vscode.Disposable[];
  /** The account the watched jobs belong to (a hash of its key id); undefined while signed out. */
  private account: string | undefined;
  /** Settles once the persisted set has been checked against the key and taken back. */
  readonly ready: Promise<void>;
  /** Clusters (zone/cluster_id) whose watched jobs were not on the first page of the list. */
  private readonly deepClusters = new Set<string>();
  /** The notifications shown, newest last (tests read them; a few are kept). */
  readonly shown: WatchNotification[] = [];

  constructor(private readonly deps: JobWatchDeps) {
    this.scheduler = new WatchScheduler({
      lookup: (zone, clusterId, ids) => this.lookup(zone, clusterId, ids),
      operation: async (zone, operationId) => (await this.client()).operation(zone, operationId),
      ending: async (job) => endingOf(await (await this.client()).jobDetail(job.zone, job.clusterId, job.hpcjobUuid)),
      wantsEnding: (status) => tellsEnding(status, readNotifyOn()),
      intervalSeconds: () => vscode.workspace.getConfiguration('ehpc').get<number>('watchIntervalSeconds', DEFAULT_INTERVAL_SECONDS),
      onJobsUpdated: (jobs) => jobs.forEach((job) => deps.model.patchJob(job)),
      onEvents: (events) => this.notify(events),
      onChange: () => this.onSetChanged(),
      onFailing: (error, seconds) => this.failing(error, seconds),
      onRecovered: () => undefined, // the scheduler logs it
      log: deps.log,
    });
    this.statusBar = new WatchStatusBar((zone, clusterId) => deps.model.findCluster(zone, clusterId)?.cluster.name ?? clusterId);
    this.subscriptions = [
      deps.credentials.onDidChange(() => void this.accountChanged()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('ehpc.watchIntervalSeconds')) {
          this.scheduler.intervalChanged();
        }
      }),
    ];
    this.ready = this.restore();
  }

  watch(jobs: readonly WatchableJob[], options?: WatchOptions): number {
    return this.scheduler.watch(jobs, options);
  }

  unwatch(hpcjobUuids: Iterable<string>): number {
    return this.scheduler.unwatch(hpcjobUuids);
  }

  isWatched(hpcjobUuid: string): boolean {
    return this.scheduler.get(hpcjobUuid) !== undefined;
  }

  isCancelling(hpcjobUuid: string): boolean {
    const job = this.scheduler.get(hpcjobUuid);
    return job !== undefined && job.cancelRequested === true && isActive(job.status);
  }

  /** The watched jobs, in the order they were watched. */
  jobs(): WatchedJob[] {
    return this.scheduler.jobs();
  }

  /** One tick now (tests; the timer runs them otherwise). */
  tick(): Promise<void> {
    return this.scheduler.tick();
  }

  /** Milliseconds until the next tick; undefined when none is planned. */
  get nextTickInMs(): number | undefined {
    return this.scheduler.nextTickInMs;
  }

  /** What the workspace's state holds for the watch (tests). */
  get persisted(): unknown {
    return this.deps.state.get(WATCH_STATE_KEY);
  }

  /** The status bar item's text, undefined while it is hidden. */
  get statusBarText(): string | undefined {
    return this.statusBar.text;
  }

  private async client(): Promise<EhpcClient> {
    const { client } = await this.deps.connection.session();
    return client;
  }

  /**
   * Exactly these jobs of one cluster, unfiltered, in no more requests than jobs: the list's
   * first page first (new jobs are there), or a detail request each where that cost more.
   */
  private async lookup(zone: string, clusterId: string, ids: readonly string[]): Promise<LookupResult> {
    const client = await this.client();
    let requests = 0;
    const counting = {
      listJobs: (...args: Parameters<EhpcClient['listJobs']>) => (requests++, client.listJobs(...args)),
      findJob: (...args: Parameters<EhpcClient['findJob']>) => (requests++, client.findJob(...args)),
    };
    const key = `${zone}/${clusterId}`;
    if (ids.length === 1 || this.deepClusters.has(key)) {
      return { jobs: await findEach(counting, zone, clusterId, ids), requests };
    }
    const jobs = await lookupJobs(counting, zone, clusterId, ids);
    if (requests > ids.length) {
      // None was on the first page: from now on a detail request each costs less.
      this.deepClusters.add(key);
    }
    return { jobs, requests };
  }

  private onSetChanged(): void {
    this.statusBar.update(this.scheduler.jobs());
    void this.persist();
    this.changed.fire();
  }

  private async persist(): Promise<void> {
    const jobs = this.scheduler.jobs();
    const value: PersistedWatch | undefined = jobs.length > 0 && this.account ? { account: this.account, watch: this.scheduler.snapshot() } : undefined;
    await this.deps.state.update(WATCH_STATE_KEY, value);
  }

  private async currentAccount(): Promise<string | undefined> {
    const credentials = await this.deps.credentials.get().catch(() => undefined);
    return credentials ? createHash('sha256').update(`ehpc-watch\0${credentials.accessKeyId}`).digest('hex').slice(0, 16) : undefined;
  }

  /** Takes back what this workspace watched before the window was reloaded or closed, if with the same key. */
  private async restore(): Promise<void> {
    this.account = await this.currentAccount();
    const saved = this.deps.state.get<PersistedWatch>(WATCH_STATE_KEY);
    if (!saved) {
      return;
    }
    if (!this.account || saved.account !== this.account) {
      this.deps.log.info(`Watch: not taking back the jobs watched before the window was reloaded: ${this.account ? 'signed in with another key' : 'signed out'}.`);
      await this.deps.state.update(WATCH_STATE_KEY, undefined);
      return;
    }
    const count = this.scheduler.restore(saved.watch);
    if (count > 0) {
      this.deps.log.info(`Watch: following ${count} watched job(s) again after a reload.`);
    }
  }

  /** Another key, or none: the jobs were the old account's, and nothing more is sent for them. */
  private async accountChanged(): Promise<void> {
    const account = await this.currentAccount();
    if (account === this.account) {
      return;
    }
    this.account = account;
    this.deepClusters.clear();
    const count = this.scheduler.clear();
    if (count > 0) {
      this.deps.log.info(`Watch: stopped watching ${count} job(s): ${account ? 'signed in with another key' : 'signed out'}.`);
    }
    await this.persist();
  }

  private notify(events: readonly WatchEvent[]): void {
    for (const event of events) {
      const job = event.kind === 'ended' ? event.latest : event.job;
      this.deps.log.info(`Watch: job ${job.hpcjobUuid} (cluster ${job.clusterId}): ${event.kind === 'ended' ? event.status : event.kind}.`);
    }
    for (const notification of notificationsFor(events, readNotifyOn())) {
      this.shown.push(notification);
      this.shown.splice(0, Math.max(0, this.shown.length - 20));
      const labels = notification.actions.map(actionLabel);
      void this.deps.notifier().show(notification.severity, notification.message, ...labels).then((choice) => {
        const action = notification.actions.find((candidate) => actionLabel(candidate) === choice);
        return action ? this.deps.act(action, notification.jobs) : undefined;
      }).then(undefined, (error: unknown) => this.deps.log.warn(`Watch: ${userMessage(error)}`));
    }
  }

  /** Said once for a run of failed look-ups (the scheduler logs each and the recovery). */
  private failing(error: unknown, seconds: number): void {
    if (readNotifyOn() === 'none') {
      return;
    }
    const message = vscode.l10n.t('Could not check the watched jobs: {0} Trying again in {1} s.', userMessage(error), seconds);
    this.shown.push({ severity: 'warning', message, actions: [], jobs: [] });
    void this.deps.notifier().show('warning', message);
  }

  dispose(): void {
    this.scheduler.dispose();
    this.statusBar.dispose();
    this.changed.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
