// What activation holds of the idle guard (idleGuard.ts, loaded with the other parts): the
// guard is made only when it has something to do, the setting on and an account signed in,
// and not before START_DELAY_MS after activation, so that loading it never slows the tree's
// first rows. The lists the tree makes before are kept (the latest per zone) and handed to
// the guard when it is made: they spare it its first lists.
import * as vscode from 'vscode';
import { readIdleMinutes } from '../settings';
import type { ClusterPlaceRef, IdleListing, ListPlace } from './idleClock';
import type { IdleGuard } from './idleGuard';

export const START_DELAY_MS = 60_000;

/** What the stand-in passes on to the guard. */
export type IdleGuardApi = Pick<IdleGuard, 'observeList' | 'sawActiveJob' | 'allowAll' | 'wake' | 'round' | 'dispose' | 'nextRoundInMs'>;

export class IdleStart implements vscode.Disposable {
  private guard: IdleGuardApi | undefined;
  /** The tree's lists before the guard is made, the latest per account and zone. */
  private readonly early = new Map<string, { place: ListPlace; clusters: readonly IdleListing[]; listedAt: number }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** The guard's clock: tests move it ahead. */
  now: () => number = () => Date.now();
  /** Stop Cluster on the clusters of one warning (one confirmation naming each, any accounts and zones): tests replace it. */
  stop: (clusters: readonly ClusterPlaceRef[]) => Thenable<unknown> = (clusters) => vscode.commands.executeCommand('ehpc.stopCluster', [...clusters]);

  constructor(
    private readonly create: (start: IdleStart) => IdleGuardApi,
    private readonly signedIn: () => Promise<boolean>,
  ) {
    this.timer = setTimeout(() => void this.changed(), START_DELAY_MS);
  }

  /** The guard if it was made. */
  get loaded(): IdleGuardApi | undefined {
    return this.guard;
  }

  /** The guard, made now if it was not. */
  load(): IdleGuardApi {
    if (!this.guard) {
      clearTimeout(this.timer);
      const guard = (this.guard = this.create(this));
      this.early.forEach(({ place, clusters, listedAt }) => guard.observeList(place, clusters, listedAt));
      this.early.clear();
    }
    return this.guard;
  }

  observeList(place: ListPlace, clusters: readonly IdleListing[], listedAt: number): void {
    if (this.disposed || readIdleMinutes() <= 0) {
      return;
    }
    if (this.guard) {
      this.guard.observeList(place, clusters, listedAt);
    } else {
      this.early.set(JSON.stringify([place.account, place.zone]), { place, clusters, listedAt });
    }
  }

  sawActiveJob(cluster: ClusterPlaceRef, at: number): void {
    this.guard?.sawActiveJob(cluster, at); // a job seen before the guard's first list changes nothing
  }

  /** The setting, the accounts or a key changed: the guard looks again (made if it now has work). */
  async changed(): Promise<void> {
    if (this.guard) {
      this.guard.wake();
    } else if (!this.disposed && readIdleMinutes() > 0 && (await this.signedIn())) {
      this.load().wake();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.early.clear();
    clearTimeout(this.timer);
    this.guard?.dispose();
  }
}
