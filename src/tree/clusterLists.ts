// The clusters of each account's zones: listed on first use, cached until refreshed, and
// never replaced by an answer older than the one shown.
import { Cluster } from '../ehpc/types';
import { ClusterNode } from './nodes';
import { Loads, Reload, reloadEntries } from './loads';
import { StableNodes } from './stableNodes';
import { dropUnder, zoneKey } from './treeKeys';

/** One zone's clusters as a list answered them. */
export interface ListedClusters {
  account: string;
  zone: string;
  clusters: readonly Cluster[];
  listedAt: number;
}

export class ClusterLists {
  /** Per zone key, its list: loading, loaded or failed. */
  private readonly lists = new Map<string, Promise<ClusterNode[]>>();
  /** Which account and zone each zone key stands for (a reload lists them again). */
  private readonly places = new Map<string, { account: string; zone: string }>();
  /** Per zone key, the cluster list shown: the newest load that answered, and its number. */
  private readonly shown = new Map<string, { seq: number; nodes: ClusterNode[] }>();

  constructor(
    private readonly loads: Loads,
    private readonly nodes: StableNodes,
    /** Every complete list of a zone as it is shown, with when its request went out (the idle guard reads them). */
    private readonly onListed?: (list: ListedClusters) => void,
  ) {}

  /** The zone's clusters, fetched on first use; a failure stays cached until refresh. */
  get(account: string, zone: string): Promise<ClusterNode[]> {
    const key = zoneKey(account, zone);
    let list = this.lists.get(key);
    if (!list) {
      this.places.set(key, { account, zone });
      list = this.fetch(account, zone);
      this.lists.set(key, list);
    }
    return list;
  }

  /** The number of the load whose list of the zone is shown (0 before any). */
  shownSeq(account: string, zone: string): number {
    return this.shown.get(zoneKey(account, zone))?.seq ?? 0;
  }

  /** Every cluster shown, with its zone key, in order. */
  *shownClusters(): Iterable<[string, ClusterNode]> {
    for (const [key, shown] of this.shown) {
      for (const node of shown.nodes) {
        yield [key, node];
      }
    }
  }

  /** Lists every cached zone again; the rows stay until the reload commits. */
  reload(): Reload {
    return reloadEntries(
      this.lists,
      () => true,
      (key) => {
        const { account, zone } = this.places.get(key)!;
        return this.fetch(account, zone);
      },
    );
  }

  /** Drops the cached lists under `prefix` (all when undefined): they are fetched again. */
  drop(prefix?: string): void {
    dropUnder(this.lists, prefix);
  }

  /** Forgets what was loaded under `prefix`, shown lists too. */
  forget(prefix: string): void {
    dropUnder(this.lists, prefix);
    dropUnder(this.shown, prefix);
  }

  clear(): void {
    this.lists.clear();
    this.shown.clear();
  }

  private async fetch(account: string, zone: string): Promise<ClusterNode[]> {
    const seq = this.loads.start();
    const listedAt = Date.now();
    const client = await this.loads.client(account);
    const clusters = await this.loads.track(client.listAllClusters(zone));
    const key = zoneKey(account, zone);
    const shown = this.shown.get(key);
    if (this.loads.forgotten(account, seq) || (shown && seq < shown.seq)) {
      // Older than the list shown (or than a sign-out): its data must not overwrite the rows.
      return shown?.nodes ?? [];
    }
    const nodes = clusters.map((cluster) => this.nodes.adoptCluster({ ...cluster, account }));
    this.shown.set(key, { seq, nodes });
    this.onListed?.({ account, zone, clusters, listedAt });
    return nodes;
  }
}
