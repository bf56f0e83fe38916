// The idle guard: warns once about each active pay-as-you-go cluster that has run no job for
// `ehpc.idleClusterMinutes` (those due in the same round in one notification, whose answer
// applies to each). It learns from every cluster list the tree loads and every job the
// watch sees, and lists a zone itself only when the clock says it is due (at most once per
// account and zone every ten minutes, a failed list counting as one). One timer, set for the next moment anything is due:
// none while the setting is 0, no account is signed in, or nothing is due.
//
// The clock lives in the global state, shared by every window of this machine: each change is
// made on what the state holds at that moment and written back at once, a warning or a list
// marked before it is shown or sent. So a zone another window listed (or failed to) is not
// listed again, and a cluster
// another window warned about is not warned about twice (two windows deciding within the same
// moment, before either write reaches the other, may still both warn: rare, and harmless).
import * as vscode from 'vscode';
import { timerDelay } from '../timers';
import { formatDuration } from '../watch/notifications';
import { userMessage } from '../text/messages';
import { listOf, unlinked } from '../text/punctuation';
import { ClusterPlaceRef, IdleClock, IdleListing, IdleWarning, LIST_INTERVAL_MS, ListPlace } from './idleClock';

/** The global state's key of the clock. */
export const IDLE_STATE_KEY = 'ehpc.idleClock';
/** Rounds are at least this far apart, whatever is due: a clock that jumps cannot spin the timer. */
export const MIN_ROUND_GAP_MS = 5_000;

/** The warning's buttons. */
export type IdleAnswer = 'stop' | 'later' | 'never';

export interface IdleGuardDeps {
  now(): number;
  /** The global state (get and update). */
  state: Pick<vscode.Memento, 'get' | 'update'>;
  /** The setting, read at each round. */
  minutes(): number;
  /** The zones of the accounts signed in. */
  places(): Promise<ListPlace[]>;
  /** One complete list of the zone, sent by the guard itself within the budget (BudgetSpent when there is no room). */
  list(place: ListPlace): Promise<IdleListing[]>;
  /** Shows one warning for the clusters due in a round; resolves the button pressed, undefined when closed. */
  ask(warnings: readonly IdleWarning[], severalAccounts: boolean): Thenable<IdleAnswer | undefined>;
  /** Stop Cluster, on every cluster of the warning at once (one confirmation). */
  stop(clusters: readonly ClusterPlaceRef[]): Thenable<unknown>;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
}

export class IdleGuard implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The round under way; another asked meanwhile runs after it. */
  private running: Promise<void> | undefined;
  private again = false;
  /** Whether a round asked for meanwhile lists the zones due. */
  private wantLists = false;
  private lastRound = -Infinity;
  private disposed = false;
  /** Milliseconds until the next round from when it was planned; undefined when none is (tests). */
  nextRoundInMs: number | undefined;

  constructor(private readonly deps: IdleGuardDeps) {}

  /** A complete list of the zone, as the tree loaded it at `listedAt`. */
  observeList(place: ListPlace, clusters: readonly IdleListing[], listedAt: number): void {
    if (this.deps.minutes() > 0) {
      // A round for the warnings alone: the tree lists its other zones in a moment, and the
      // timer, a few seconds on, lists only those it did not.
      void this.change((clock) => clock.observeList(place, clusters, listedAt)).then(() => this.round(false));
    }
  }

  /** The watch saw a job of the cluster running or pending at `at`. */
  sawActiveJob(cluster: ClusterPlaceRef, at: number): void {
    if (this.deps.minutes() > 0) {
      void this.change((clock) => clock.sawActiveJob(cluster, at));
    }
  }

  /** Every cluster marked "Don't Warn" is warned about again; returns how many were. */
  async allowAll(): Promise<number> {
    let count = 0;
    await this.change((clock) => {
      count = clock.allowAll();
    });
    this.wake();
    return count;
  }

  /** Something changed (the setting, the accounts, a key): a round now, which sets the timer again. */
  wake(): void {
    void this.round();
  }

  /**
   * One round: the zones due listed (unless `lists` is false), the warnings due shown, the
   * timer set. One at a time: asked during one, another follows it, and both are awaited.
   */
  round(lists = true): Promise<void> {
    this.wantLists ||= lists;
    if (this.running) {
      this.again = true;
      return this.running.then(() => this.running);
    }
    const withLists = this.wantLists;
    this.wantLists = false;
    this.running = this.runRound(withLists).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.round(false);
      }
    });
    return this.running;
  }

  private async runRound(lists: boolean): Promise<void> {
    this.clearTimer();
    const minutes = this.deps.minutes();
    const places = minutes > 0 && !this.disposed ? await this.deps.places() : [];
    if (places.length === 0 || this.disposed) {
      return; // off, or nobody signed in: nothing is listed, no timer
    }
    const accounts = new Set(places.map((place) => place.account));
    await this.change((clock) => clock.accounts().filter((account) => !accounts.has(account)).forEach((account) => clock.forgetAccount(account)));
    if (lists) {
      this.lastRound = this.deps.now();
      const { due } = this.clock().listsDue(this.deps.now(), places, minutes);
      for (const place of due) {
        await this.listZone(place, minutes);
      }
    }
    await this.warn(places, minutes);
    this.schedule(places, minutes, lists);
  }

  private async listZone(place: ListPlace, minutes: number): Promise<void> {
    // Marked on what the state holds now, before it is sent: another window may have listed it
    // meanwhile. Failed, the mark stays, so no window tries again within the list interval.
    const listedAt = this.deps.now();
    let mine = false;
    await this.change((clock) => {
      mine = clock.listsDue(listedAt, [place], minutes).due.length > 0;
      if (mine) {
        clock.trying(place, listedAt);
      }
    });
    if (!mine) {
      return;
    }
    try {
      const clusters = await this.deps.list(place);
      await this.change((clock) => clock.observeList(place, clusters, listedAt));
    } catch (error) {
      this.deps.log.warn(`Idle clusters: could not list the zone ${place.zone} of the account ${JSON.stringify(place.account)} (${userMessage(error)}); trying again in ${LIST_INTERVAL_MS / 60_000} min.`);
    }
  }

  /** The warnings due in this round, one notification for them all; the answer applies to each. */
  private async warn(places: readonly ListPlace[], minutes: number): Promise<void> {
    const signedIn = new Set(places.map(placeKey));
    const severalAccounts = new Set(places.map((place) => place.account)).size > 1;
    const dueNow = (clock: IdleClock, now: number) => clock.warningsDue(now, minutes).filter((warning) => signedIn.has(placeKey(warning)));
    if (dueNow(this.clock(), this.deps.now()).length === 0) {
      return; // nothing written
    }
    // Marked on what the state holds now: another window may have warned about some meanwhile.
    let mine: IdleWarning[] = [];
    await this.change((clock) => {
      const now = this.deps.now();
      mine = dueNow(clock, now);
      mine.forEach((warning) => clock.warned(warning, now));
    });
    if (mine.length === 0) {
      return;
    }
    for (const warning of mine) {
      this.deps.log.info(`Idle clusters: ${warning.clusterId} (zone ${warning.zone}) has run no job for ${Math.round(warning.idleMs / 60_000)} min.`);
    }
    const warned = mine;
    void Promise.resolve(this.deps.ask(warned, severalAccounts))
      .then((answer) => this.answered(warned, answer))
      .then(undefined, (error: unknown) => this.deps.log.warn(`Idle clusters: ${userMessage(error)}`));
  }

  private async answered(clusters: readonly IdleWarning[], answer: IdleAnswer | undefined): Promise<void> {
    const refs: ClusterPlaceRef[] = clusters.map(({ account, zone, clusterId }) => ({ account, zone, clusterId }));
    if (answer === 'later') {
      await this.change((clock) => refs.forEach((ref) => clock.snooze(ref, this.deps.now(), this.deps.minutes())));
      this.wake();
    } else if (answer === 'never') {
      await this.change((clock) => refs.forEach((ref) => clock.neverWarn(ref)));
    } else if (answer === 'stop') {
      await this.deps.stop(refs);
    }
    // Closed without an answer: warned, not again in this idle stretch.
  }

  /** The timer for the next zone or warning due (a zone whose list failed among them); none when nothing is. */
  private schedule(places: readonly ListPlace[], minutes: number, listed: boolean): void {
    const clock = this.clock();
    const now = this.deps.now();
    const lists = clock.listsDue(now, places, minutes);
    const times = [lists.due.length > 0 ? now : undefined, lists.nextAt, clock.nextWarningAt(minutes)].filter((at): at is number => at !== undefined);
    if (times.length === 0 || this.disposed) {
      return;
    }
    // After a round that did not list (a list from the tree), the tree's other lists have a moment to come.
    const at = Math.max(Math.min(...times), this.lastRound + MIN_ROUND_GAP_MS, listed ? -Infinity : now + MIN_ROUND_GAP_MS);
    this.nextRoundInMs = at - now;
    this.timer = setTimeout(() => void this.round(), timerDelay(at - now));
  }

  private clock(): IdleClock {
    return new IdleClock(this.deps.state.get(IDLE_STATE_KEY));
  }

  /** Changes the clock as the state holds it now, and writes it back. */
  private async change(edit: (clock: IdleClock) => void): Promise<void> {
    const clock = this.clock();
    edit(clock);
    await this.deps.state.update(IDLE_STATE_KEY, clock.toJSON());
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.timer = undefined;
    this.nextRoundInMs = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }
}

/** Names listed in a warning about several clusters; past this, the first few and how many more. */
export const NAMES_SHOWN = 5;

/**
 * The warning's text: the cluster (its account when there are several) and how long it has
 * idled; for several, how many, the shortest idle time in whole minutes, and their names.
 */
export function idleMessage(warnings: readonly IdleWarning[], severalAccounts: boolean): string {
  if (warnings.length === 1) {
    const [warning] = warnings;
    const idle = formatDuration(warning.idleMs / 1000);
    return severalAccounts
      ? vscode.l10n.t('The cluster “{0}” of the account “{1}” has run no job for {2}. It is billed while it runs: stop it?', unlinked(warning.name), unlinked(warning.account), idle)
      : vscode.l10n.t('The cluster “{0}” has run no job for {1}. It is billed while it runs: stop it?', unlinked(warning.name), idle);
  }
  const named = (warning: IdleWarning) => severalAccounts
    ? vscode.l10n.t('“{0}” (account “{1}”)', unlinked(warning.name), unlinked(warning.account))
    : vscode.l10n.t('“{0}”', unlinked(warning.name));
  const shown = warnings.length > NAMES_SHOWN ? warnings.slice(0, NAMES_SHOWN - 1) : warnings;
  const names = shown.length < warnings.length
    ? vscode.l10n.t('{0} and {1} more', listOf(shown.map(named)), warnings.length - shown.length)
    : listOf(shown.map(named));
  const least = Math.min(...warnings.map((warning) => warning.idleMs));
  return vscode.l10n.t('{0} clusters have run no job for {1} or more: {2}. They are billed while they run: stop them?', warnings.length, wholeMinutes(least), names);
}

/** "2 min", "1 h 5 min": rounded down, so that "or more" holds. */
function wholeMinutes(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? vscode.l10n.t('{0} min', minutes) : formatDuration(minutes * 60);
}

/** The buttons, in order, with their labels (for one cluster, or for several). */
export function idleButtons(count = 1): [IdleAnswer, string][] {
  return count === 1
    ? [
      ['stop', vscode.l10n.t('Stop Cluster')],
      ['later', vscode.l10n.t('Remind Me Later')],
      ['never', vscode.l10n.t('Don\'t Warn for This Cluster')],
    ]
    : [
      ['stop', vscode.l10n.t('Stop Clusters...')],
      ['later', vscode.l10n.t('Remind Me Later')],
      ['never', vscode.l10n.t('Don\'t Warn for These Clusters')],
    ];
}

function placeKey(place: ListPlace): string {
  return `${encodeURIComponent(place.account)}/${place.zone}`;
}

