// The watch as the extension uses it: the scheduler on each account's client, its set kept in
// the workspace's state (one window notifies, and a reload keeps it), an account's jobs
// forgotten on its sign-out, another key or its removal (kept on a rename, made in this window or
// another), the tree patched and told, the user notified, the status bar kept.
import { createHash, randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { Accounts } from '../accounts/registry';
import { CredentialStore } from '../accounts/credentialStore';
import { ClusterPlace, clusterKey } from '../ehpc/batch';
import { EhpcClient } from '../ehpc/client';
import { endpointIdentity } from '../ehpc/endpoint';
import { findEach, lookupJobs } from '../ehpc/lookup';
import { Job } from '../ehpc/types';
import { userMessage } from '../text/messages';
import { unlinked } from '../text/punctuation';
import { readNumber } from '../settings';
import { actionLabel, endingOf, isRequestedStop, JobRef, Notifier, notificationsFor, readNotifyOn, tellsEnding, WatchAction, WatchNotification } from './notifications';
import { TickAllowance } from './budget';
import { WatchScheduler } from './scheduler';
import { SharedCallCount, SharedState } from './sharedCalls';
import { isActive, LookupResult, WatchableJob, WatchedJob, WatchEvent, WatchOptions } from './types';
import { WatchStatusBar } from './statusBar';
import { WATCH_STATE_KEY } from './stateKey';

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
  /** Per account, which key its jobs were watched with: a hash, never the key id itself. */
  keys?: Record<string, string>;
  /** Before accounts: the one key's hash. */
  account?: string;
  watch: unknown;
}

/** What the watch needs of the tree's model: a job patched in, and a cluster's name. */
export interface WatchModel {
  patchJob(job: Job): unknown;
  findCluster(place: ClusterPlace): { cluster: { name: string } } | undefined;
}

export interface JobWatchDeps {
  accounts: Pick<Accounts, 'all' | 'connection' | 'onDidChange'>;
  credentials: Pick<CredentialStore, 'get' | 'onDidChange'>;
  model: WatchModel;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
  state: vscode.Memento;
  /**
   * Shared by the windows (the global state): the watch's calls of the last hour per account,
   * so that windows watching with one account keep to one budget. Without it, this window's own.
   */
  shared?: SharedState;
  /** Read at each use: tests replace it. */
  notifier: () => Notifier;
  /** What a notification's buttons do. */
  act: (action: WatchAction, jobs: JobRef[]) => Thenable<unknown>;
  /** A look-up found a job of the cluster running or pending (the idle guard reads it). */
  sawActiveJob?: (cluster: ClusterPlace, at: number) => void;
}

export class JobWatch implements JobWatchApi, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly scheduler: WatchScheduler;
  private readonly statusBar: WatchStatusBar;
  private readonly subscriptions: vscode.Disposable[];
  /** Per account signed in, a hash of its endpoint and key id: whose jobs its watched jobs are. */
  private keys = new Map<string, string>();
  /** Grows with each rename: a comparison of keys begun before one starts again. */
  private renames = 0;
  /** The comparisons of keys, one after the other. */
  private keysChecked: Promise<void> = Promise.resolve();
  /**
   * Key entries changed lately that no listed account used (newest last): a rename in another
   * window stores the key under the new name before its settings name it.
   */
  private readonly strayEntries = new Set<string>();
  /** Accounts without their key whose jobs are kept: the key is under a new name the settings do not list yet. */
  private heldForRename = new Set<string>();
  /** Whether restore() has read the keys: until then the watched set is not saved. */
  private keysRead = false;
  /** Settles once the persisted set has been checked against the key and taken back. */
  readonly ready: Promise<void>;
  /** Clusters (zone/cluster_id) whose watched jobs were not on the first page of the list. */
  private readonly deepClusters = new Set<string>();
  /** The notifications shown, newest last (tests read them; a few are kept). */
  readonly shown: WatchNotification[] = [];

  constructor(private readonly deps: JobWatchDeps) {
    const shared = deps.shared && new SharedCallCount(deps.shared, randomBytes(6).toString('hex'), () => Date.now());
    this.scheduler = new WatchScheduler({
      lookup: (cluster, ids, allowance) => this.lookup(cluster, ids, allowance),
      operation: async (where, operationId, onSend) => (await this.client(where.account)).operation(where.zone, operationId, { onSend }),
      ending: async (job, onSend) => endingOf(await (await this.client(job.account)).jobDetail(job.zone, job.clusterId, job.hpcjobUuid, { onSend })),
      wantsEnding: (status) => tellsEnding(status, readNotifyOn()),
      intervalSeconds: () => readNumber('watchIntervalSeconds'),
      onJobsUpdated: (jobs) => jobs.forEach((job) => deps.model.patchJob(job)),
      onEvents: (events) => this.notify(events),
      onChange: () => this.onSetChanged(),
      onFailing: (error, seconds) => this.failing(error, seconds),
      onRecovered: () => undefined, // the scheduler logs it
      log: deps.log,
      // Counted per key and endpoint (its hash): a rename keeps the count, another key starts its own.
      otherWindows: shared && {
        record: (account) => {
          const id = account === undefined ? undefined : this.keys.get(account);
          if (id !== undefined) {
            shared.record(id);
          }
        },
        calls: () => shared.others(this.keys.values()),
      },
    });
    this.statusBar = new WatchStatusBar((place) => this.clusterName(place));
    this.subscriptions = [
      deps.credentials.onDidChange((secretKey) => {
        // An entry no listed account uses changes nothing watched: a rename stores the new
        // name's key before the settings name it, and deletes the old name's after. It is
        // remembered, to tell a rename in another window from a sign-out.
        if (deps.accounts.all.some((account) => account.secretKey === secretKey)) {
          void this.keysChanged();
        } else {
          this.strayEntries.delete(secretKey);
          this.strayEntries.add(secretKey);
          [...this.strayEntries].slice(0, -STRAY_ENTRIES_KEPT).forEach((old) => this.strayEntries.delete(old));
          if (this.heldForRename.size > 0) {
            void this.keysChanged(); // the new name's key may be gone again
          }
        }
      }),
      deps.accounts.onDidChange(() => void this.keysChanged()),
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

  /** The jobs of the account are followed under its new name (before the settings change). */
  renameAccount(from: string, to: string): void {
    this.renames++;
    const key = this.keys.get(from);
    if (key !== undefined) {
      this.keys.delete(from);
      this.keys.set(to, key);
    }
    this.scheduler.renameAccount(from, to);
  }

  private client(account: string): Promise<EhpcClient> {
    return this.deps.accounts.connection(account).client();
  }

  /**
   * Exactly these jobs of one cluster, unfiltered, each read within the tick's allowance: the
   * list's first page first (new jobs are there), or a detail request each where that costs
   * less. Requests stop when the allowance does, and what was read is kept: the jobs not
   * reached wait their turn.
   */
  private async lookup(cluster: ClusterPlace, ids: readonly string[], allowance: TickAllowance): Promise<LookupResult> {
    const askedAt = Date.now();
    const result = await this.lookupJobs(cluster, ids, allowance);
    if ([...result.jobs.values()].some((job) => job !== undefined && isActive(job.status))) {
      this.deps.sawActiveJob?.({ account: cluster.account, zone: cluster.zone, clusterId: cluster.clusterId }, askedAt);
    }
    return result;
  }

  private async lookupJobs(cluster: ClusterPlace, ids: readonly string[], allowance: TickAllowance): Promise<LookupResult> {
    const { zone, clusterId } = cluster;
    const client = await this.client(cluster.account);
    const key = clusterKey(cluster);
    const mayRead = () => allowance.fits();
    const findJob = (z: string, c: string, id: string) => allowance.read((onSend) => client.findJob(z, c, id, { onSend }), cluster.account);
    if (ids.length === 1 || this.deepClusters.has(key)) {
      return { jobs: await findEach({ findJob }, zone, clusterId, ids, mayRead) };
    }
    let pages = 0;
    const reads = {
      listJobs: (z: string, c: string, offset?: number) => {
        pages++;
        return allowance.read((onSend) => client.listJobs(z, c, offset, {}, { onSend }), cluster.account);
      },
      findJob: (z: string, c: string, id: string) => {
        // Asked for by id: none was on the first page, and from now on a detail request each costs less.
        this.deepClusters.add(key);
        return findJob(z, c, id);
      },
    };
    const jobs = await lookupJobs(reads, zone, clusterId, ids, mayRead);
    if (pages > 0 && jobs.size < new Set(ids).size) {
      // The allowance ended the walk: from now on a detail request each, taking turns over the
      // ticks, rather than a walk from the first page that never gets further than this one.
      this.deepClusters.add(key);
    }
    return { jobs };
  }

  private onSetChanged(): void {
    this.statusBar.update(this.scheduler.jobs());
    void this.persist();
    this.changed.fire();
  }

  private async persist(): Promise<void> {
    if (!this.keysRead) {
      await this.ready; // a job watched this early is saved with the keys, once they are read
    }
    const jobs = this.scheduler.jobs();
    const value: PersistedWatch | undefined = jobs.length > 0 ? { keys: Object.fromEntries(this.keys), watch: this.scheduler.snapshot() } : undefined;
    await this.deps.state.update(WATCH_STATE_KEY, value);
  }

  /**
   * Per account with a key, a hash of its endpoint and key id: the same key at another
   * endpoint is another identity. Read from one list of the accounts, taken again until no
   * rename or settings change came in meanwhile.
   */
  private async currentKeys(): Promise<Map<string, string>> {
    for (;;) {
      const list = this.deps.accounts.all;
      const renames = this.renames;
      const keys = new Map<string, string>();
      await Promise.all(
        list.map(async (account) => {
          const credentials = await this.deps.credentials.get(account).catch(() => undefined);
          if (credentials) {
            keys.set(account.name, identityOf(account.endpoint, credentials.accessKeyId));
          }
        }),
      );
      if (list === this.deps.accounts.all && renames === this.renames) {
        return keys;
      }
    }
  }

  /** Per account with a key, its hash as the version before made it (the key id alone). */
  private async earlierKeys(): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    await Promise.all(
      this.deps.accounts.all.map(async (account) => {
        const credentials = await this.deps.credentials.get(account).catch(() => undefined);
        if (credentials && this.keys.has(account.name)) {
          keys.set(account.name, earlierIdentityOf(credentials.accessKeyId));
        }
      }),
    );
    return keys;
  }

  /**
   * Takes back what this workspace watched before the window was reloaded or closed: the
   * jobs of each account still signed in with the same key.
   */
  private async restore(): Promise<void> {
    this.keys = await this.currentKeys();
    this.keysRead = true;
    const saved = this.deps.state.get<PersistedWatch>(WATCH_STATE_KEY);
    if (!saved) {
      return;
    }
    // Saved before accounts: the one key's jobs, now the only account's, if it still has that key.
    const only = this.deps.accounts.all.length === 1 ? this.deps.accounts.all[0].name : undefined;
    const savedKeys = saved.keys ?? (only !== undefined && saved.account !== undefined ? { [only]: saved.account } : {});
    // A set saved by the version before hashed the key id alone: taken back once for the same
    // key, which the key store hands out only at the endpoint it is bound to.
    const earlier = Object.values(savedKeys).some((hash) => ![...this.keys.values()].includes(hash)) ? await this.earlierKeys() : new Map<string, string>();
    const keep = (account: string) => Object.prototype.hasOwnProperty.call(savedKeys, account) && [this.keys.get(account), earlier.get(account)].includes(savedKeys[account]);
    const count = this.scheduler.restore(saved.watch, keep, saved.keys ? undefined : only);
    if (count > 0) {
      this.deps.log.info(`Watch: following ${count} watched job(s) again after a reload.`);
    }
    if (this.scheduler.jobs().length === 0) {
      this.deps.log.info('Watch: not taking back the jobs watched before the window was reloaded: signed out, signed in with another key, or the account is gone.');
      await this.deps.state.update(WATCH_STATE_KEY, undefined);
    }
  }

  /**
   * A key changed, or the accounts did: the jobs of an account signed out of, signed in to
   * with another key, or gone were that key's, and nothing more is sent for them.
   */
  private keysChanged(): Promise<void> {
    this.keysChecked = this.keysChecked.then(() => this.compareKeys(), () => this.compareKeys());
    return this.keysChecked;
  }

  private async compareKeys(): Promise<void> {
    const keys = await this.currentKeys();
    const before = this.keys;
    const listed = new Set(this.deps.accounts.all.map((account) => account.name));
    // Renamed in another window, whose settings have not reached this one yet: the old name's
    // key is gone, the same key is under a name not listed. Its jobs and key are kept for now.
    const held = new Set<string>();
    for (const [account, key] of before) {
      if (!keys.has(account) && listed.has(account) && this.scheduler.jobs().some((job) => job.account === account) && (await this.storedUnderNewName(account, key))) {
        keys.set(account, key);
        held.add(account);
      }
    }
    for (const account of held) {
      if (!this.heldForRename.has(account)) {
        this.deps.log.info(`Watch: the key of the account ${JSON.stringify(account)} moved to a name the settings do not list yet (a rename in another window): keeping its watched jobs.`);
      }
    }
    this.heldForRename = held;
    this.keys = keys;
    let count = 0;
    for (const [account, key] of before) {
      if (keys.get(account) === key) {
        continue;
      }
      // Renamed in another window: the account is no longer listed, its key is a new name's.
      const to = listed.has(account) ? undefined : [...keys].find(([name, other]) => other === key && before.get(name) !== key)?.[0];
      if (to !== undefined) {
        const jobs = this.scheduler.jobs().filter((job) => job.account === account).length;
        this.scheduler.renameAccount(account, to);
        if (jobs > 0) {
          this.deps.log.info(`Watch: the account ${JSON.stringify(account)} was renamed ${JSON.stringify(to)} in another window: following its ${jobs} watched job(s) under the new name.`);
        }
        continue;
      }
      count += this.scheduler.clear(account);
    }
    const watchedElsewhere = new Set(this.scheduler.jobs().map((job) => job.account).filter((account) => !keys.has(account)));
    for (const account of watchedElsewhere) {
      count += this.scheduler.clear(account);
    }
    if (count > 0) {
      this.deepClusters.clear();
      this.deps.log.info(`Watch: stopped watching ${count} job(s): signed out, signed in with another key, or the account was removed.`);
      await this.persist();
    }
  }

  /** Whether a key entry not listed holds the account's key (the same hash), at the account's endpoint. */
  private async storedUnderNewName(name: string, key: string): Promise<boolean> {
    const account = this.deps.accounts.all.find((candidate) => candidate.name === name);
    if (!account) {
      return false;
    }
    for (const secretKey of this.strayEntries) {
      if (this.deps.accounts.all.some((other) => other.secretKey === secretKey)) {
        continue;
      }
      const credentials = await this.deps.credentials.get({ secretKey, endpoint: account.endpoint }).catch(() => undefined);
      if (credentials && identityOf(account.endpoint, credentials.accessKeyId) === key) {
        return true;
      }
    }
    return false;
  }

  /** A cluster's name as the tree shows it, else its id. */
  private clusterName(place: ClusterPlace): string {
    return this.deps.model.findCluster(place)?.cluster.name ?? place.clusterId;
  }

  private notify(events: readonly WatchEvent[]): void {
    for (const event of events) {
      const job = event.kind === 'ended' ? event.latest : event.job;
      this.deps.log.info(`Watch: job ${job.hpcjobUuid} (cluster ${job.clusterId}): ${event.kind === 'ended' ? event.status : event.kind}.`);
    }
    const stopped = events.filter(isRequestedStop).length;
    if (stopped > 0) {
      // Cancels the user asked for: a word in the status bar, no notification.
      vscode.window.setStatusBarMessage(stopped === 1 ? vscode.l10n.t('1 cancelled job has stopped.') : vscode.l10n.t('{0} cancelled jobs have stopped.', stopped), 5000);
    }
    for (const notification of notificationsFor(events, readNotifyOn(), (place) => this.clusterName(place))) {
      this.shown.push(notification);
      this.shown.splice(0, Math.max(0, this.shown.length - 20));
      const labels = notification.actions.map(actionLabel);
      void this.deps.notifier().show(notification.severity, notification.message, ...labels).then((choice) => {
        const action = notification.actions.find((candidate) => actionLabel(candidate) === choice);
        return action ? this.deps.act(action, notification.jobs) : undefined;
      }).then(undefined, (error: unknown) => this.deps.log.warn(`Watch: ${userMessage(error)}`));
    }
  }

  /**
   * Said once for a run of failed look-ups (the scheduler logs each and the recovery), whatever
   * ehpc.notifyOn says: it chooses which endings are told, and while this lasts none can be.
   */
  private failing(error: unknown, seconds: number): void {
    const message = vscode.l10n.t('Could not check the watched jobs: {0} Trying again in {1} s.', unlinked(userMessage(error)), seconds);
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

/** How many key entries no account lists are remembered (see strayEntries). */
const STRAY_ENTRIES_KEPT = 8;

/** The hash the version before saved: the key id alone. Only read, to take its set back once. */
function earlierIdentityOf(accessKeyId: string): string {
  return createHash('sha256').update(`ehpc-watch\0${accessKeyId}`).digest('hex').slice(0, 16);
}

/**
 * A hash of where requests go and the key id they are signed with, never the key id itself.
 * The endpoint is compared as the key store compares it: respelling it keeps the jobs.
 */
export function identityOf(endpoint: string, accessKeyId: string): string {
  return createHash('sha256').update(`ehpc-watch\0${endpointIdentity(endpoint)}\0${accessKeyId}`).digest('hex').slice(0, 16);
}
