// Where the tree's lists come from, and in what order: each load is numbered, so that an
// answer older than the one shown, or than a sign-out, never overwrites the rows.
import { EhpcClient } from '../ehpc/client';

/** Where the model gets an account's client: its Connection (tests pass a stand-in). */
export interface ClientSource {
  client(account: string): Promise<Pick<EhpcClient, 'listAllClusters' | 'listJobs' | 'listAllJobs'>>;
}

/** A reload of cached lists under way: what to wait for, then how to swap its answers in. */
export interface Reload {
  readonly pending: readonly Promise<unknown>[];
  commit(): void;
}

export class Loads {
  private underWay = 0;
  /** Numbers loads in the order they start; a load older than the one shown is dropped. */
  private last = 0;
  /** Loads numbered up to this one started before the model forgot everything: never shown. */
  private forgottenUpTo = 0;
  /** The same, per account: loads started before the account was signed out of or into. */
  private readonly forgottenOfAccount = new Map<string, number>();

  constructor(private readonly connection: ClientSource) {}

  /** Whether any list request is under way (auto-refresh waits for it). */
  get loading(): boolean {
    return this.underWay > 0;
  }

  /** The number of a load that starts now. */
  start(): number {
    return ++this.last;
  }

  client(account: string): ReturnType<ClientSource['client']> {
    return this.connection.client(account);
  }

  forgetAll(): void {
    this.forgottenUpTo = this.last;
  }

  forgetAccount(account: string): void {
    this.forgottenOfAccount.set(account, this.last);
  }

  /** Whether the load numbered `seq` started before everything, or the account, was forgotten. */
  forgotten(account: string, seq: number): boolean {
    return seq <= this.forgottenUpTo || seq <= (this.forgottenOfAccount.get(account) ?? 0);
  }

  async track<T>(request: Promise<T>): Promise<T> {
    this.underWay++;
    try {
      return await request;
    } finally {
      this.underWay--;
    }
  }
}

/**
 * Reloads the entries of `map` with `load`, those `reload` keeps (the others are dropped
 * when it commits). What was loaded again meanwhile (a batch's re-list, a manual refresh) is
 * newer: it stays.
 */
export function reloadEntries<T>(map: Map<string, Promise<T>>, keep: (key: string) => boolean, load: (key: string) => Promise<T>): Reload {
  const before = new Map(map);
  const fresh = new Map([...before.keys()].filter(keep).map((key) => [key, load(key)] as const));
  return {
    pending: [...before.values(), ...fresh.values()],
    commit: () => {
      for (const [key, entry] of before) {
        if (map.get(key) !== entry) {
          continue;
        }
        const replacement = fresh.get(key);
        if (replacement) {
          map.set(key, replacement);
        } else {
          map.delete(key);
        }
      }
    },
  };
}
