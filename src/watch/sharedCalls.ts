// The watch's calls of the last hour, per account, shared by every window of this machine:
// the hourly budget is the account's, and each window watches on its own. Kept in the global
// state (which VS Code shares between windows and passes each window the others' changes):
// each window writes only a key of its own per account, `ehpc.watchCalls/<account>/<window>`,
// holding counts per minute; readers sum the other windows' keys. A window that died leaves
// at most an hour of counts that still weigh, which only slows the others down; a key whose
// counts have all left the hour is removed by the window that reads it (it holds nothing).
//
// VS Code writes an extension's global state as one object: a window writing at the very
// moment another does may undo the other's last write until that one writes again (its next
// call). The count may then fall short by a few calls for a moment; the margin between the
// watch's budget and the account's quota covers that.
import { HOUR_MS } from './budget';

export const WATCH_CALLS_PREFIX = 'ehpc.watchCalls/';
const MINUTE_MS = 60_000;

/** Minute (ms since the epoch, floored) → calls sent in it. */
type Buckets = Record<string, number>;

/** The part of vscode.Memento used: get, update and keys. */
export interface SharedState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
  keys(): readonly string[];
}

export class SharedCallCount {
  /** Per account id, this window's counts. */
  private readonly mine = new Map<string, Buckets>();

  constructor(
    private readonly state: SharedState,
    private readonly windowId: string,
    private readonly now: () => number,
  ) {}

  /** One request of the account (an id that is no secret: see JobWatch's key hash) went out now. */
  record(accountId: string): void {
    const minute = String(Math.floor(this.now() / MINUTE_MS) * MINUTE_MS);
    const buckets = this.recent(this.mine.get(accountId) ?? {});
    buckets[minute] = (buckets[minute] ?? 0) + 1;
    this.mine.set(accountId, buckets);
    void this.state.update(this.key(accountId, this.windowId), buckets);
  }

  /**
   * When the other windows' requests of the last hour went out (each taken at the end of its
   * minute, so that it leaves the hour no earlier than it did), for whichever of `accountIds`
   * they spent most on.
   */
  others(accountIds: Iterable<string>): number[] {
    let most: number[] = [];
    for (const accountId of new Set(accountIds)) {
      const prefix = this.key(accountId, '');
      const times: number[] = [];
      for (const key of this.state.keys()) {
        if (!key.startsWith(prefix) || key === this.key(accountId, this.windowId)) {
          continue;
        }
        const recent = Object.entries(this.recent(this.state.get<Buckets>(key)));
        if (recent.length === 0) {
          void this.state.update(key, undefined);
        }
        for (const [minute, count] of recent) {
          const at = Math.min(Number(minute) + MINUTE_MS - 1, this.now());
          for (let i = 0; i < count; i++) {
            times.push(at);
          }
        }
      }
      if (times.length > most.length) {
        most = times;
      }
    }
    return most.sort((a, b) => a - b);
  }

  private key(accountId: string, windowId: string): string {
    return `${WATCH_CALLS_PREFIX}${accountId}/${windowId}`;
  }

  /** The buckets that still fall in the last hour; anything malformed is left out. */
  private recent(buckets: unknown): Buckets {
    const since = this.now() - HOUR_MS;
    const kept: Buckets = {};
    if (typeof buckets !== 'object' || buckets === null) {
      return kept;
    }
    for (const [minute, count] of Object.entries(buckets)) {
      const start = Number(minute);
      if (Number.isFinite(start) && start + MINUTE_MS > since && Number.isInteger(count) && count > 0 && count <= 100_000) {
        kept[minute] = count as number;
      }
    }
    return kept;
  }
}
