// What the tree knows: the clusters of each zone and the jobs of each cluster, loaded on
// demand and cached until refreshed. Nodes keep their identity across reloads, so VS Code
// keeps selection and expansion, and getParent works.
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { Cluster, Job } from '../ehpc/types';
import { Connection } from '../connection';
import { ClusterNode, JobNode, TreeNode, ZoneNode } from './nodes';

export class ClusterModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  /** `undefined` means "everything". */
  readonly onDidChange = this.changed.event;

  private readonly zoneNodes = new Map<string, ZoneNode>();
  private readonly clusterNodes = new Map<string, ClusterNode>();
  /** Per cluster key, its job nodes by hpcjob_uuid. */
  private readonly jobNodes = new Map<string, Map<string, JobNode>>();
  private readonly clusterLists = new Map<string, Promise<ClusterNode[]>>();
  private readonly jobLists = new Map<string, Promise<JobNode[]>>();

  constructor(
    private readonly connection: Connection,
    private zoneIds: readonly string[],
  ) {}

  get zones(): readonly string[] {
    return this.zoneIds;
  }

  /** With one zone the clusters are the top level; with several, the zones are. */
  get showsZones(): boolean {
    return this.zoneIds.length > 1;
  }

  setZones(zones: readonly string[]): void {
    this.zoneIds = zones;
    // Parent links depend on whether zones are shown: start afresh.
    this.clusterNodes.clear();
    this.jobNodes.clear();
    this.refresh();
  }

  zoneNode(zone: string): ZoneNode {
    let node = this.zoneNodes.get(zone);
    if (!node) {
      node = { kind: 'zone', zone };
      this.zoneNodes.set(zone, node);
    }
    return node;
  }

  findCluster(zone: string, clusterId: string): ClusterNode | undefined {
    return this.clusterNodes.get(clusterKey(zone, clusterId));
  }

  /** The zone's clusters, fetched on first use; a failure stays cached until refresh. */
  clusters(zone: string): Promise<ClusterNode[]> {
    let list = this.clusterLists.get(zone);
    if (!list) {
      list = this.fetchClusters(zone);
      this.clusterLists.set(zone, list);
    }
    return list;
  }

  /** The cluster's jobs, fetched when first asked for (that is, when the cluster is expanded). */
  jobs(cluster: ClusterNode): Promise<JobNode[]> {
    const key = clusterKey(cluster.cluster.zone, cluster.cluster.clusterId);
    let list = this.jobLists.get(key);
    if (!list) {
      list = this.fetchJobs(cluster);
      this.jobLists.set(key, list);
    }
    return list;
  }

  /** Lists one cluster again, updates the tree, and returns what the server lists now. */
  async reloadJobs(zone: string, clusterId: string): Promise<Job[]> {
    const cluster = this.findCluster(zone, clusterId) ?? this.adoptCluster({ zone, clusterId, name: clusterId, status: 'unknown' });
    const key = clusterKey(zone, clusterId);
    const list = this.fetchJobs(cluster);
    this.jobLists.set(key, list);
    try {
      return (await list).map((node) => node.job);
    } finally {
      this.changed.fire(cluster);
    }
  }

  /** Drops cached data below `node` (everything when undefined) and redraws it. */
  refresh(node?: ZoneNode | ClusterNode): void {
    if (!node) {
      this.clusterLists.clear();
      this.jobLists.clear();
    } else if (node.kind === 'zone') {
      this.clusterLists.delete(node.zone);
      for (const key of [...this.jobLists.keys()].filter((key) => key.startsWith(`${node.zone}/`))) {
        this.jobLists.delete(key);
      }
    } else {
      this.jobLists.delete(clusterKey(node.cluster.zone, node.cluster.clusterId));
    }
    this.changed.fire(node && (node.kind === 'cluster' || this.showsZones) ? node : undefined);
  }

  private async fetchClusters(zone: string): Promise<ClusterNode[]> {
    const client = await this.connection.client();
    const clusters = await client.listAllClusters(zone);
    return clusters.map((cluster) => this.adoptCluster(cluster));
  }

  private async fetchJobs(cluster: ClusterNode): Promise<JobNode[]> {
    const { zone, clusterId } = cluster.cluster;
    const client = await this.connection.client();
    const jobs = await client.listAllJobs(zone, clusterId);
    const previous = this.jobNodes.get(clusterKey(zone, clusterId));
    const nodes = new Map<string, JobNode>();
    for (const job of jobs) {
      const node = previous?.get(job.hpcjobUuid);
      if (node) {
        node.job = job;
      }
      nodes.set(job.hpcjobUuid, node ?? { kind: 'job', job, parent: cluster });
    }
    this.jobNodes.set(clusterKey(zone, clusterId), nodes);
    return [...nodes.values()];
  }

  private adoptCluster(cluster: Cluster): ClusterNode {
    const key = clusterKey(cluster.zone, cluster.clusterId);
    const node = this.clusterNodes.get(key);
    if (node) {
      node.cluster = cluster;
      return node;
    }
    const created: ClusterNode = {
      kind: 'cluster',
      cluster,
      parent: this.showsZones ? this.zoneNode(cluster.zone) : undefined,
    };
    this.clusterNodes.set(key, created);
    return created;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
