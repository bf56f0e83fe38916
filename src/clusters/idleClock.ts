// The idle guard's clock: from the cluster lists it is handed (the tree's, its own) and the
// jobs the watch sees, since when each active pay-as-you-go cluster has run no job, which are
// due a warning, and when a zone needs listing again. Pure: every time is passed in, and its
// state is a plain JSON value (kept in globalState, so a new window keeps the clock).
import { Cluster } from '../ehpc/types';
import { clusterState } from './state';

/** The guard lists an account's zone at most this often, and only when no fresher list was handed to it. */
export const LIST_INTERVAL_MS = 10 * 60_000;
/**
 * A zone with nothing to watch (no active pay-as-you-go cluster, or all already warned) is
 * listed this often, to notice a cluster started elsewhere: 6 lists an hour at most per
 * account and zone, 1 when quiet.
 */
export const QUIET_LIST_INTERVAL_MS = 60 * 60_000;
/** A warning goes only on a list at most this old: a cluster may have been stopped since an older one. */
export const FRESH_MS = LIST_INTERVAL_MS;
/** Bounds on what is kept, whatever globalState holds. */
const MAX_CLUSTERS = 1000;
const MAX_PLACES = 200;

/** What the clock reads of a listed cluster. */
export type IdleListing = Pick<Cluster, 'clusterId' | 'name' | 'status'>
  & Partial<Pick<Cluster, 'transitionStatus' | 'paidType' | 'runningJobCount' | 'pendingJobCount' | 'finishedJobCount'>>;

/** An account's zone: what one cluster list covers. */
export interface ListPlace {
  account: string;
  zone: string;
}

export interface ClusterPlaceRef extends ListPlace {
  clusterId: string;
}

export interface IdleWarning extends ClusterPlaceRef {
  name: string;
  /** When it was first seen with no job running or pending, in this idle stretch. */
  idleSince: number;
  idleMs: number;
}

export interface ListsDue {
  /** Zones to list now. */
  due: ListPlace[];
  /** When the next zone is due, if any is (for the timer). */
  nextAt?: number;
}

interface ClusterEntry extends ClusterPlaceRef {
  name: string;
  /** Unset while a job runs or waits. */
  idleSince?: number;
  /** finished_job_count when last listed: a change means a job ran between two lists. */
  finished?: number;
  /** When it was last listed (or a job of it seen). */
  seenAt: number;
  snoozedUntil?: number;
  warnedAt?: number;
}

interface PlaceEntry extends ListPlace {
  listedAt: number;
}

/** A list the guard sent (any window's), from when it was sent until a list of the zone answers. */
interface TryEntry extends ListPlace {
  at: number;
}

/** The serialized clock. */
export interface IdleClockState {
  version: 1;
  places: PlaceEntry[];
  clusters: ClusterEntry[];
  /** Clusters never to warn about (Don't Warn for This Cluster). */
  never: ClusterPlaceRef[];
  /** Lists sent and not (yet) answered: each counts like a list, so a failing zone is not tried by every window. */
  tried?: TryEntry[];
}

function placeKey(place: ListPlace): string {
  return `${encodeURIComponent(place.account)}/${place.zone}`;
}

function clusterKey(cluster: ClusterPlaceRef): string {
  return `${placeKey(cluster)}/${cluster.clusterId}`;
}

export class IdleClock {
  private readonly places = new Map<string, PlaceEntry>();
  private readonly clusters = new Map<string, ClusterEntry>();
  private readonly never = new Map<string, ClusterPlaceRef>();
  private readonly tried = new Map<string, TryEntry>();

  /** `saved`: what toJSON gave before (a restart); anything unreadable in it is left out. */
  constructor(saved?: unknown) {
    const state = readState(saved);
    state.places.forEach((place) => this.places.set(placeKey(place), place));
    state.clusters.forEach((entry) => this.clusters.set(clusterKey(entry), entry));
    state.never.forEach((ref) => this.never.set(clusterKey(ref), ref));
    (state.tried ?? []).forEach((entry) => this.tried.set(placeKey(entry), entry));
    this.trim();
  }

  /**
   * A complete list of one zone, as listed at `listedAt`. Only an active pay-as-you-go cluster
   * with its job counts has a clock; a job running or waiting (or one that ended since the last
   * list) restarts it; a cluster no longer listed is forgotten. A list older than one already
   * handed is ignored (answers may arrive out of order).
   */
  observeList(place: ListPlace, clusters: readonly IdleListing[], listedAt: number): void {
    const known = this.places.get(placeKey(place));
    if (known && isLate(listedAt, known.listedAt)) {
      return;
    }
    this.places.set(placeKey(place), { account: place.account, zone: place.zone, listedAt });
    const tried = this.tried.get(placeKey(place));
    if (tried && !isLate(listedAt, tried.at)) {
      this.tried.delete(placeKey(place)); // answered, or a newer list came: the list stands for it
    }
    const listed = new Set<string>();
    for (const cluster of clusters) {
      const ref = { account: place.account, zone: place.zone, clusterId: cluster.clusterId };
      listed.add(clusterKey(ref));
      this.observeCluster(ref, cluster, listedAt);
    }
    for (const [key, entry] of this.clusters) {
      if (placeKey(entry) === placeKey(place) && !listed.has(key)) {
        this.clusters.delete(key);
      }
    }
    this.trim();
  }

  /**
   * The guard sends a list of the zone at `at`: until a list answers, the zone counts as listed
   * then, whether the list fails or not.
   */
  trying(place: ListPlace, at: number): void {
    this.tried.set(placeKey(place), { account: place.account, zone: place.zone, at });
    this.trim();
  }

  /** The watch (or the tree) saw a job of this cluster running or pending at `at`. */
  sawActiveJob(cluster: ClusterPlaceRef, at: number): void {
    const entry = this.clusters.get(clusterKey(cluster));
    if (entry && !isLate(at, entry.seenAt)) {
      this.clusters.set(clusterKey(cluster), { ...busy(entry), seenAt: at });
    }
  }

  /**
   * The clusters due a warning now: idle for idleMinutes (0: none ever), listed within
   * FRESH_MS, not warned in this idle stretch, not snoozed, not marked never.
   */
  warningsDue(now: number, idleMinutes: number): IdleWarning[] {
    if (idleMinutes <= 0) {
      return [];
    }
    return [...this.clusters.entries()].flatMap(([key, entry]): IdleWarning[] => {
      const due = warnAt(entry, idleMinutes);
      if (this.never.has(key) || due === undefined || now < due || now - entry.seenAt > FRESH_MS || entry.idleSince === undefined) {
        return [];
      }
      return [{ account: entry.account, zone: entry.zone, clusterId: entry.clusterId, name: entry.name, idleSince: entry.idleSince, idleMs: now - entry.idleSince }];
    });
  }

  /** The warning was shown: none again in this idle stretch, unless snoozed. */
  warned(cluster: ClusterPlaceRef, now: number): void {
    const entry = this.clusters.get(clusterKey(cluster));
    if (entry) {
      this.clusters.set(clusterKey(cluster), { ...entry, warnedAt: now, snoozedUntil: undefined });
    }
  }

  /** Remind Me Later: warn again once another idleMinutes have passed idle. */
  snooze(cluster: ClusterPlaceRef, now: number, idleMinutes: number): void {
    const entry = this.clusters.get(clusterKey(cluster));
    if (entry) {
      this.clusters.set(clusterKey(cluster), { ...entry, warnedAt: undefined, snoozedUntil: now + idleMinutes * 60_000 });
    }
  }

  /** Don't Warn for This Cluster: kept until allowed again, whatever the cluster does. */
  neverWarn(cluster: ClusterPlaceRef): void {
    const ref = { account: cluster.account, zone: cluster.zone, clusterId: cluster.clusterId };
    this.never.delete(clusterKey(ref));
    this.never.set(clusterKey(ref), ref);
    while (this.never.size > MAX_CLUSTERS) {
      this.never.delete(this.never.keys().next().value!);
    }
  }

  allowWarnings(cluster: ClusterPlaceRef): void {
    this.never.delete(clusterKey(cluster));
  }

  isNeverWarned(cluster: ClusterPlaceRef): boolean {
    return this.never.has(clusterKey(cluster));
  }

  /** Since when the cluster has idled, as far as the clock knows. */
  idleSince(cluster: ClusterPlaceRef): number | undefined {
    return this.clusters.get(clusterKey(cluster))?.idleSince;
  }

  /**
   * When the next warning falls due on what is known now (a cluster idle long enough, past
   * any snooze, its list still fresh then); undefined when none will without another list.
   */
  nextWarningAt(idleMinutes: number): number | undefined {
    if (idleMinutes <= 0) {
      return undefined;
    }
    let next: number | undefined;
    for (const [key, entry] of this.clusters) {
      const due = warnAt(entry, idleMinutes);
      if (due !== undefined && !this.never.has(key) && due - entry.seenAt <= FRESH_MS) {
        next = Math.min(next ?? due, due);
      }
    }
    return next;
  }

  /** Every cluster marked "never" is warned about again; returns how many were. */
  allowAll(): number {
    const count = this.never.size;
    this.never.clear();
    return count;
  }

  /** The accounts the clock holds lists or clusters of. */
  accounts(): string[] {
    return [...new Set([...this.places.values(), ...this.clusters.values()].map((entry) => entry.account))];
  }

  /** An account signed out of or removed: its clocks and lists go (its "never" marks stay). */
  forgetAccount(account: string): void {
    for (const map of [this.places, this.clusters, this.tried] as Map<string, ListPlace>[]) {
      for (const [key, entry] of map) {
        if (entry.account === account) {
          map.delete(key);
        }
      }
    }
  }

  /**
   * Which of `places` (the signed-in accounts' zones) the guard should list now, and when the
   * next one is due. A zone is never listed within LIST_INTERVAL_MS of its last list (its own
   * or one handed to it) nor of the guard's last attempt that failed; after that, only when a cluster in it may be due a warning then (or
   * runs jobs, to see it go idle), else after QUIET_LIST_INTERVAL_MS. Nothing when off.
   */
  listsDue(now: number, places: readonly ListPlace[], idleMinutes: number): ListsDue {
    if (idleMinutes <= 0) {
      return { due: [] };
    }
    const result: ListsDue = { due: [] };
    for (const place of places) {
      const at = this.nextListAt(place, idleMinutes, now);
      if (at <= now) {
        result.due.push({ account: place.account, zone: place.zone });
      } else {
        result.nextAt = Math.min(result.nextAt ?? at, at);
      }
    }
    return result;
  }

  toJSON(): IdleClockState {
    const tried = this.tried.size > 0 ? { tried: [...this.tried.values()] } : {};
    return { version: 1, places: [...this.places.values()], clusters: [...this.clusters.values()].map(withoutUnset), never: [...this.never.values()], ...tried };
  }

  private nextListAt(place: ListPlace, idleMinutes: number, now: number): number {
    // A time well ahead of now is no list at all (the system clock went back, or the state
    // is damaged): trusting it would silence the zone until then.
    const known = [this.places.get(placeKey(place))].find((entry) => entry && !isAhead(entry.listedAt, now));
    const tried = [this.tried.get(placeKey(place))].find((entry) => entry && !isAhead(entry.at, now));
    const retryAt = tried ? tried.at + LIST_INTERVAL_MS : -Infinity;
    if (!known) {
      return retryAt;
    }
    let needed = known.listedAt + QUIET_LIST_INTERVAL_MS;
    for (const [key, entry] of this.clusters) {
      if (placeKey(entry) !== placeKey(place) || this.never.has(key)) {
        continue;
      }
      needed = Math.min(needed, entry.idleSince === undefined ? known.listedAt + LIST_INTERVAL_MS : warnAt(entry, idleMinutes) ?? needed);
    }
    return Math.max(known.listedAt + LIST_INTERVAL_MS, needed, retryAt);
  }

  private observeCluster(ref: ClusterPlaceRef, cluster: IdleListing, listedAt: number): void {
    const key = clusterKey(ref);
    const before = this.clusters.get(key);
    const running = cluster.runningJobCount;
    const pending = cluster.pendingJobCount;
    const watched = clusterState(cluster) === 'active' && cluster.paidType === 'PayForUsed' && running !== undefined && pending !== undefined;
    if (!watched) {
      // Stopped, reserved, on its way, or its jobs not told: no clock.
      this.clusters.delete(key);
      return;
    }
    if (before && isLate(listedAt, before.seenAt)) {
      return; // a job seen after this list was taken says more
    }
    const finished = cluster.finishedJobCount;
    const ranBetween = before?.finished !== undefined && finished !== undefined && finished !== before.finished;
    const base = { ...ref, name: cluster.name || cluster.clusterId, seenAt: listedAt, ...(finished !== undefined ? { finished } : {}) };
    if (running > 0 || pending > 0) {
      this.clusters.set(key, base);
    } else if (before?.idleSince !== undefined && !ranBetween && before.idleSince <= listedAt) {
      this.clusters.set(key, { ...before, ...base });
    } else {
      this.clusters.set(key, { ...base, idleSince: listedAt });
    }
  }

  /** Keeps within the bounds, the entries added first going first. */
  private trim(): void {
    for (const [map, max] of [[this.clusters, MAX_CLUSTERS], [this.places, MAX_PLACES], [this.tried, MAX_PLACES]] as const) {
      while (map.size > max) {
        map.delete(map.keys().next().value!);
      }
    }
  }
}

/**
 * Whether what was seen at `at` is older than what was seen at `than`: an answer that came
 * late. Older by more than a list interval is no late answer: the system clock went back.
 */
function isLate(at: number, than: number): boolean {
  return at < than && than - at < LIST_INTERVAL_MS;
}

/** Whether `at` lies more than a list interval ahead of `now`: not a time this clock gave. */
function isAhead(at: number, now: number): boolean {
  return at - now > LIST_INTERVAL_MS;
}

/** A job runs or waits: the idle stretch ends, and with it any snooze or warning. */
function busy(entry: ClusterEntry): ClusterEntry {
  const { idleSince: _idle, snoozedUntil: _snooze, warnedAt: _warned, ...rest } = entry;
  return rest;
}

/** When the cluster is due a warning: idle for idleMinutes, and past any snooze; none once warned. */
function warnAt(entry: ClusterEntry, idleMinutes: number): number | undefined {
  if (entry.idleSince === undefined || entry.warnedAt !== undefined) {
    return undefined;
  }
  return Math.max(entry.idleSince + idleMinutes * 60_000, entry.snoozedUntil ?? -Infinity);
}

function withoutUnset(entry: ClusterEntry): ClusterEntry {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as unknown as ClusterEntry;
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isOptionalTime = (value: unknown) => value === undefined || isTime(value);

function isRef(value: unknown): value is ClusterPlaceRef {
  const ref = value as Partial<ClusterPlaceRef> | null;
  return typeof ref === 'object' && ref !== null && isText(ref.account) && isText(ref.zone) && isText(ref.clusterId);
}

/** Reads back what toJSON wrote, entry by entry: what does not read is left out, never thrown. */
function readState(saved: unknown): IdleClockState {
  const state = saved as Partial<Record<keyof IdleClockState, unknown>> | null | undefined;
  if (typeof state !== 'object' || state === null || state.version !== 1) {
    return { version: 1, places: [], clusters: [], never: [] };
  }
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  const places = list(state.places).filter((item): item is PlaceEntry => {
    const place = item as Partial<PlaceEntry> | null;
    return typeof place === 'object' && place !== null && isText(place.account) && isText(place.zone) && isTime(place.listedAt);
  }).map(({ account, zone, listedAt }) => ({ account, zone, listedAt }));
  const clusters = list(state.clusters).filter((item): item is ClusterEntry => {
    const entry = item as Partial<ClusterEntry>;
    return isRef(item) && isText(entry.name) && isTime(entry.seenAt)
      && [entry.idleSince, entry.finished, entry.snoozedUntil, entry.warnedAt].every(isOptionalTime);
  }).map((entry) => withoutUnset({
    account: entry.account, zone: entry.zone, clusterId: entry.clusterId, name: entry.name, seenAt: entry.seenAt,
    idleSince: entry.idleSince, finished: entry.finished, snoozedUntil: entry.snoozedUntil, warnedAt: entry.warnedAt,
  }));
  const never = list(state.never).filter(isRef).map(({ account, zone, clusterId }) => ({ account, zone, clusterId }));
  const tried = list(state.tried).filter((item): item is TryEntry => {
    const entry = item as Partial<TryEntry> | null;
    return typeof entry === 'object' && entry !== null && isText(entry.account) && isText(entry.zone) && isTime(entry.at);
  }).map(({ account, zone, at }) => ({ account, zone, at }));
  return { version: 1, places, clusters, never, ...(tried.length > 0 ? { tried } : {}) };
}
