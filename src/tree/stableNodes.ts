// One node object per account, zone and cluster, kept across reloads: VS Code keys a row's
// selection and expansion on it, and getParent follows its parent links.
import { ClusterPlace, clusterKey } from '../ehpc/batch';
import { Cluster } from '../ehpc/types';
import { AccountNode, ClusterNode, ZoneNode } from './nodes';
import { dropUnder, zoneKey } from './treeKeys';

/** Which levels the tree shows, on which the parent links depend. */
export interface TreeLayout {
  readonly showsAccounts: boolean;
  showsZones(account: string): boolean;
}

export class StableNodes {
  private readonly accounts = new Map<string, AccountNode>();
  /** Per zone key (account and zone), its node. */
  private readonly zones = new Map<string, ZoneNode>();
  private readonly clusters = new Map<string, ClusterNode>();

  constructor(private readonly layout: TreeLayout) {}

  accountNode(account: string): AccountNode {
    let node = this.accounts.get(account);
    if (!node) {
      node = { kind: 'account', account };
      this.accounts.set(account, node);
    }
    return node;
  }

  zoneNode(account: string, zone: string): ZoneNode {
    const key = zoneKey(account, zone);
    let node = this.zones.get(key);
    if (!node) {
      node = { kind: 'zone', account, zone, parent: this.layout.showsAccounts ? this.accountNode(account) : undefined };
      this.zones.set(key, node);
    }
    return node;
  }

  findCluster(place: ClusterPlace): ClusterNode | undefined {
    return this.findByKey(clusterKey(place));
  }

  /** The cluster's node by its key (see clusterKey). */
  findByKey(key: string): ClusterNode | undefined {
    return this.clusters.get(key);
  }

  /** The cluster's node; one that shows no list yet (a batch's re-list) gets a node named by its id. */
  clusterNode(place: ClusterPlace): ClusterNode {
    const { account, zone, clusterId } = place;
    return this.findCluster(place) ?? this.adoptCluster({ account, zone, clusterId, name: clusterId, status: 'unknown' });
  }

  /** The cluster's node, now showing `cluster`. */
  adoptCluster(cluster: Cluster): ClusterNode {
    const key = clusterKey(cluster);
    const node = this.clusters.get(key);
    if (node) {
      node.cluster = cluster;
      return node;
    }
    const { layout } = this;
    const created: ClusterNode = {
      kind: 'cluster',
      cluster,
      parent: layout.showsZones(cluster.account) ? this.zoneNode(cluster.account, cluster.zone) : layout.showsAccounts ? this.accountNode(cluster.account) : undefined,
    };
    this.clusters.set(key, created);
    return created;
  }

  /** Forgets the zones and clusters under `prefix` (their next load makes new nodes). */
  forget(prefix: string): void {
    dropUnder(this.clusters, prefix);
    dropUnder(this.zones, prefix);
  }

  clear(): void {
    this.accounts.clear();
    this.zones.clear();
    this.clusters.clear();
  }
}
