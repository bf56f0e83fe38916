// A cluster's queues and users, as the Submit form offers them: asked once per cluster while
// the window is open (they change rarely; a new key forgets them). A failed look-up is not
// kept, so the next form asks again.
import { clusterKey } from '../ehpc/batch';
import { EhpcClient } from '../ehpc/client';
import { ClusterUser, Queue } from '../ehpc/types';

type InfoClient = Pick<EhpcClient, 'listQueues' | 'listUsers'>;

export class ClusterInfoCache {
  private readonly queueLists = new Map<string, Promise<Queue[]>>();
  private readonly userLists = new Map<string, Promise<ClusterUser[]>>();

  constructor(private readonly client: () => Promise<InfoClient>) {}

  queues(zone: string, clusterId: string): Promise<Queue[]> {
    return this.cached(this.queueLists, zone, clusterId, (client) => client.listQueues(zone, clusterId));
  }

  users(zone: string, clusterId: string): Promise<ClusterUser[]> {
    return this.cached(this.userLists, zone, clusterId, (client) => client.listUsers(zone, clusterId));
  }

  clear(): void {
    this.queueLists.clear();
    this.userLists.clear();
  }

  private cached<T>(lists: Map<string, Promise<T>>, zone: string, clusterId: string, load: (client: InfoClient) => Promise<T>): Promise<T> {
    const key = clusterKey(zone, clusterId);
    let list = lists.get(key);
    if (!list) {
      const loading = this.client().then(load);
      list = loading;
      lists.set(key, list);
      loading.catch(() => lists.get(key) === loading && lists.delete(key));
    }
    return list;
  }
}
