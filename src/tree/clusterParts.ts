// What a cluster is made of, under its row: its queues (with their load) and its nodes. Each
// is listed only when its row is expanded, then cached until refreshed (an auto-refresh keeps
// it: the rows cost a request per queue). A load that started before a sign-out shows nothing.
import { EhpcClient } from '../ehpc/client';
import { askInTurn, QUEUE_LOADS } from '../ehpc/queueLoads';
import { ClusterMachine, Queue, QueueLoad } from '../ehpc/types';
import { userMessage } from '../text/messages';
import { ClusterNode, MachinesNode, QueuesNode } from './nodes';
import { Loads } from './loads';
import { dropUnder, keyOf } from './treeKeys';

export type PartsClient = Pick<EhpcClient, 'listQueues' | 'describeQueue' | 'listNodes'>;

/** Where the rows get an account's client (tests pass a stand-in). */
export interface PartsSource {
  client(account: string): Promise<PartsClient>;
}

/** A queue, and its load, or why describeQueue gave none, or that it was not asked (past QUEUE_LOADS). */
export interface QueueRow {
  readonly queue: Queue;
  readonly load?: QueueLoad;
  readonly loadError?: string;
  readonly loadSkipped?: boolean;
}

export class ClusterParts {
  /** Per cluster key, its queues with their load: loading, loaded or failed. */
  private readonly queueLists = new Map<string, Promise<QueueRow[]>>();
  private readonly machineLists = new Map<string, Promise<ClusterMachine[]>>();
  /** One pair of rows per cluster node, so that VS Code keeps their expansion and getParent works. */
  private readonly folders = new WeakMap<ClusterNode, readonly [QueuesNode, MachinesNode]>();

  constructor(
    private readonly loads: Loads,
    private readonly source: PartsSource,
  ) {}

  /** The Queues and Nodes rows of the cluster. */
  foldersOf(cluster: ClusterNode): readonly [QueuesNode, MachinesNode] {
    let folders = this.folders.get(cluster);
    if (!folders) {
      folders = [{ kind: 'queues', parent: cluster }, { kind: 'machines', parent: cluster }];
      this.folders.set(cluster, folders);
    }
    return folders;
  }

  /** The cluster's queues, then describeQueue for the first QUEUE_LOADS of them, a few at a time; fetched once until dropped. */
  queues(folder: QueuesNode): Promise<QueueRow[]> {
    return this.cached(this.queueLists, folder.parent, async (client, { zone, clusterId }) => {
      const queues = await client.listQueues(zone, clusterId);
      const loaded = await Promise.all(askInTurn(queues, (queue) =>
        client.describeQueue(zone, clusterId, queue.queueId).then(
          (load): QueueRow => ({ queue, load }),
          // The queue still shows; only its load is missing.
          (error: unknown): QueueRow => ({ queue, loadError: userMessage(error) }),
        ),
      ));
      return [...loaded, ...queues.slice(QUEUE_LOADS).map((queue): QueueRow => ({ queue, loadSkipped: true }))];
    });
  }

  /** The cluster's nodes; fetched once until dropped. */
  machines(folder: MachinesNode): Promise<ClusterMachine[]> {
    return this.cached(this.machineLists, folder.parent, (client, { zone, clusterId }) => client.listNodes(zone, clusterId));
  }

  /** Drops what was listed under `prefix` (everything when undefined): expanding lists it again. */
  drop(prefix?: string): void {
    dropUnder(this.queueLists, prefix);
    dropUnder(this.machineLists, prefix);
  }

  /** Drops one of the cluster's lists (a Retry on its error row), or both. */
  dropCluster(cluster: ClusterNode, only?: 'queues' | 'machines'): void {
    if (only !== 'machines') {
      this.queueLists.delete(keyOf(cluster));
    }
    if (only !== 'queues') {
      this.machineLists.delete(keyOf(cluster));
    }
  }

  clear(): void {
    this.drop();
  }

  private cached<T>(map: Map<string, Promise<T[]>>, cluster: ClusterNode, fetch: (client: PartsClient, place: { zone: string; clusterId: string }) => Promise<T[]>): Promise<T[]> {
    const key = keyOf(cluster);
    let list = map.get(key);
    if (!list) {
      const { account, zone, clusterId } = cluster.cluster;
      const seq = this.loads.start();
      list = this.loads.track(this.source.client(account).then((client) => fetch(client, { zone, clusterId }))).then((items) => (this.loads.forgotten(account, seq) ? [] : items));
      map.set(key, list);
    }
    return list;
  }
}
