// A cluster's queues and users, as the Submit form offers them: asked once per cluster while
// the window is open (they change rarely; a new key forgets them). A failed look-up is not
// kept, so the next form asks again.
import { ClusterPlace, clusterKey } from '../ehpc/batch';
import { EhpcClient } from '../ehpc/client';
import { Cluster, ClusterUser, Queue } from '../ehpc/types';

type InfoClient = Pick<EhpcClient, 'listQueues' | 'listUsers'>;

export class ClusterInfoCache {
  private readonly queueLists = new Map<string, Promise<Queue[]>>();
  private readonly userLists = new Map<string, Promise<ClusterUser[]>>();

  /** `client`: the account's client. */
  constructor(private readonly client: (account: string) => Promise<InfoClient>) {}

  queues(place: ClusterPlace): Promise<Queue[]> {
    return this.cached(this.queueLists, place, (client) => client.listQueues(place.zone, place.clusterId));
  }

  users(place: ClusterPlace): Promise<ClusterUser[]> {
    return this.cached(this.userLists, place, (client) => client.listUsers(place.zone, place.clusterId));
  }

  clear(): void {
    this.queueLists.clear();
    this.userLists.clear();
  }

  private cached<T>(lists: Map<string, Promise<T>>, place: ClusterPlace, load: (client: InfoClient) => Promise<T>): Promise<T> {
    const key = clusterKey(place);
    let list = lists.get(key);
    if (!list) {
      const loading = this.client(place.account).then(load);
      list = loading;
      lists.set(key, list);
      loading.catch(() => lists.get(key) === loading && lists.delete(key));
    }
    return list;
  }
}

/** Only an active cluster takes jobs: the API refuses a suspended, shut-down or new one. */
export function acceptsJobs(cluster: Pick<Cluster, 'status'>): boolean {
  return cluster.status === 'active';
}
