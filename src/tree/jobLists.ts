// A cluster's jobs as the tree shows them: the first page when it is expanded, Load More's
// further pages (loaded again by a refresh), and job rows that keep their identity.
import { JobFilter, PAGE_SIZE } from '../ehpc/client';
import { ClusterPlace, clusterKey } from '../ehpc/batch';
import { Job } from '../ehpc/types';
import { ClusterNode, JobNode } from './nodes';
import { Loads, Reload, reloadEntries } from './loads';
import { StableNodes } from './stableNodes';
import { dropUnder, keyOf } from './treeKeys';

/** The jobs of one cluster loaded so far, and how many the server has (under the filter). */
export interface JobList {
  readonly nodes: readonly JobNode[];
  readonly totalCount: number;
}

export class JobLists {
  /** Per cluster key, its list: loading, loaded or failed. */
  private readonly lists = new Map<string, Promise<JobList>>();
  /** What the last finished load of each cluster found, for descriptions and Load More. */
  private readonly loadedLists = new Map<string, JobList>();
  /** Per cluster key, its job nodes by hpcjob_uuid. */
  private readonly jobNodes = new Map<string, Map<string, JobNode>>();
  /** Per cluster key, the number of the job load shown. */
  private readonly shownLoad = new Map<string, number>();
  /** Per cluster key, how many pages a Load More under way will show: a refresh meanwhile loads them too. */
  private readonly pagesWanted = new Map<string, number>();
  private readonly expanded = new Set<string>();

  constructor(
    private readonly loads: Loads,
    private readonly nodes: StableNodes,
    /** The number of the load whose list shows the cluster's row. */
    private readonly clusterSeq: (cluster: ClusterNode) => number,
    private readonly changed: (node: ClusterNode | JobNode) => void,
    private jobFilter: JobFilter,
  ) {}

  get filter(): JobFilter {
    return this.jobFilter;
  }

  /** A new filter applies to every cluster's jobs: all job lists are loaded again. */
  setFilter(filter: JobFilter): void {
    this.jobFilter = filter;
    this.lists.clear();
    this.loadedLists.clear();
    this.pagesWanted.clear();
  }

  /**
   * The cluster's jobs, fetched when first asked for (when it is expanded): the first page,
   * or after a refresh as many pages as were shown, so that Load More's pages stay.
   */
  get(cluster: ClusterNode): Promise<JobList> {
    const key = keyOf(cluster);
    let list = this.lists.get(key);
    if (!list) {
      list = this.fetch(cluster, this.loadedPages(key), true);
      this.lists.set(key, list);
    }
    return list;
  }

  /** What is known of the cluster's jobs without fetching: undefined before its first load. */
  loaded(cluster: ClusterNode): JobList | undefined {
    return this.loadedLists.get(keyOf(cluster));
  }

  /** Every job row loaded, of every cluster. */
  *loadedNodes(): Iterable<JobNode> {
    for (const list of this.loadedLists.values()) {
      yield* list.nodes;
    }
  }

  /**
   * The loaded jobs if they are as new as the cluster's row, for its job count: once the
   * cluster list is loaded again, a collapsed cluster's old count would contradict it.
   */
  current(cluster: ClusterNode): JobList | undefined {
    const key = keyOf(cluster);
    // An expanded cluster's jobs are loaded again along with the list: keep its count meanwhile.
    return this.expanded.has(key) || (this.shownLoad.get(key) ?? 0) > this.clusterSeq(cluster) ? this.loadedLists.get(key) : undefined;
  }

  /** Appends the next page to the cluster's jobs. On failure the loaded jobs stay, and it throws. */
  async loadMore(cluster: ClusterNode): Promise<void> {
    const key = keyOf(cluster);
    // Asked for now: a refresh that starts while this page loads loads it too.
    const target = this.loadedPages(key) + 1;
    this.pagesWanted.set(key, target);
    try {
      for (;;) {
        const loading = this.get(cluster);
        const current = await loading;
        if (this.lists.get(key) !== loading) {
          continue; // loaded again meanwhile (a refresh): go on from that list
        }
        if (current.nodes.length >= current.totalCount || pagesOf(current.nodes.length) >= target) {
          return; // everything is loaded, or that refresh loaded the page asked for
        }
        const next = this.withNextPage(cluster, current);
        this.lists.set(key, next);
        try {
          await next;
          return;
        } catch (error) {
          if (this.lists.get(key) === next) {
            this.lists.set(key, loading);
          }
          throw error;
        }
      }
    } finally {
      if (this.pagesWanted.get(key) === target) {
        this.pagesWanted.delete(key);
      }
    }
  }

  /** Every job of the cluster under the filter, all pages; the tree's rows stay as they are. */
  async all(place: ClusterPlace): Promise<Job[]> {
    const client = await this.loads.client(place.account);
    return this.loads.track(client.listAllJobs(place.zone, place.clusterId, this.jobFilter));
  }

  /** Lists the cluster again, as far as it was loaded (at least one page), and shows it. */
  async reloadCluster(place: ClusterPlace): Promise<Job[]> {
    const cluster = this.nodes.clusterNode(place);
    const list = this.fetch(cluster, this.loadedPages(keyOf(cluster)));
    this.lists.set(keyOf(cluster), list);
    return (await list).nodes.map((node) => node.job);
  }

  /** Lists expanded clusters again, as many pages as were loaded; collapsed ones forget their jobs. */
  reload(): Reload {
    return reloadEntries(
      this.lists,
      (key) => this.expanded.has(key),
      (key) => this.fetch(this.nodes.findByKey(key)!, this.loadedPages(key)),
    );
  }

  /** A job seen in a new state elsewhere: its row shows it. Returns whether a loaded row changed. */
  patch(job: Job): boolean {
    const node = this.jobNodes.get(clusterKey(job))?.get(job.hpcjobUuid);
    if (!node || JSON.stringify(node.job) === JSON.stringify(job)) {
      return false;
    }
    node.job = job;
    this.changed(node);
    return true;
  }

  /**
   * Jobs just submitted, at the top of their cluster's loaded rows (newest first, as the
   * server lists them). Not when the cluster's jobs are not loaded or the filter would hide
   * them. Returns whether they show.
   */
  showNew(place: ClusterPlace, jobs: readonly Job[]): boolean {
    const cluster = this.nodes.findCluster(place);
    const loaded = cluster && this.loadedLists.get(keyOf(cluster));
    const nodes = cluster && this.jobNodes.get(keyOf(cluster));
    if (!cluster || !loaded || !nodes || !jobs.every((job) => passes(job, this.jobFilter))) {
      return false;
    }
    const fresh = jobs.filter((job) => !nodes.has(job.hpcjobUuid)).map((job): JobNode => ({ kind: 'job', job, parent: cluster }));
    fresh.forEach((node) => nodes.set(node.job.hpcjobUuid, node));
    const list: JobList = { nodes: [...fresh, ...loaded.nodes], totalCount: loaded.totalCount + fresh.length };
    this.loadedLists.set(keyOf(cluster), list);
    this.lists.set(keyOf(cluster), Promise.resolve(list));
    this.changed(cluster);
    return true;
  }

  setExpanded(cluster: ClusterNode, expanded: boolean): void {
    if (expanded) {
      this.expanded.add(keyOf(cluster));
    } else {
      this.expanded.delete(keyOf(cluster));
    }
  }

  /** Drops the cached lists under `prefix` (all when undefined): they are fetched again. */
  drop(prefix?: string): void {
    dropUnder(this.lists, prefix);
  }

  dropCluster(cluster: ClusterNode): void {
    this.lists.delete(keyOf(cluster));
  }

  /** Forgets everything loaded under `prefix`, and what was expanded there. */
  forget(prefix: string): void {
    for (const map of [this.lists, this.loadedLists, this.jobNodes, this.shownLoad, this.pagesWanted, this.expanded]) {
      dropUnder(map, prefix);
    }
  }

  /** Forgets everything loaded (what is expanded stays). */
  clear(): void {
    this.lists.clear();
    this.loadedLists.clear();
    this.jobNodes.clear();
    this.shownLoad.clear();
    this.pagesWanted.clear();
  }

  /** How many pages of the cluster's jobs are shown or asked for (at least one): a reload covers them all. */
  private loadedPages(key: string): number {
    return Math.max(1, pagesOf(this.loadedLists.get(key)?.nodes.length ?? 0), this.pagesWanted.get(key) ?? 0);
  }

  /** Fetches the first `pages` pages of the cluster's jobs under the current filter. */
  private async fetch(cluster: ClusterNode, pages: number, first = false): Promise<JobList> {
    const { account, zone, clusterId } = cluster.cluster;
    const filter = this.jobFilter;
    const seq = this.loads.start();
    const client = await this.loads.client(account);
    const jobs: Job[] = [];
    let totalCount = 0;
    for (let page = 0; page < pages; page++) {
      const result = await this.loads.track(client.listJobs(zone, clusterId, jobs.length, filter));
      jobs.push(...result.items);
      totalCount = result.totalCount;
      if (result.items.length === 0 || jobs.length >= totalCount) {
        break;
      }
    }
    return this.adopt(cluster, { filter, seq, first }, jobs, totalCount, new Map());
  }

  private async withNextPage(cluster: ClusterNode, current: JobList): Promise<JobList> {
    const { account, zone, clusterId } = cluster.cluster;
    const filter = this.jobFilter;
    const seq = this.loads.start();
    const client = await this.loads.client(account);
    const page = await this.loads.track(client.listJobs(zone, clusterId, current.nodes.length, filter));
    const kept = new Map(current.nodes.map((node) => [node.job.hpcjobUuid, node]));
    return this.adopt(cluster, { filter, seq, first: false }, [...current.nodes.map((node) => node.job), ...page.items], page.totalCount, kept);
  }

  /**
   * Turns fetched jobs into nodes (reusing existing ones), records the list, redraws. A load
   * under a filter since replaced, older than the one shown, or started before the model
   * forgot everything, only returns its list: a refresh that started before a batch must not
   * bring back the jobs the batch deleted.
   */
  private adopt(cluster: ClusterNode, load: { filter: JobFilter; seq: number; first: boolean }, jobs: readonly Job[], totalCount: number, kept: Map<string, JobNode>): JobList {
    const key = keyOf(cluster);
    const stale = this.loads.forgotten(cluster.cluster.account, load.seq) || load.filter !== this.jobFilter || load.seq < (this.shownLoad.get(key) ?? 0);
    const previous = this.jobNodes.get(key);
    const nodes = new Map<string, JobNode>();
    const changedRows: JobNode[] = [];
    for (const job of jobs) {
      // Offsets shift when jobs vanish between pages: the same job may come twice.
      if (nodes.has(job.hpcjobUuid)) {
        continue;
      }
      const node = kept.get(job.hpcjobUuid) ?? previous?.get(job.hpcjobUuid);
      if (node && !stale) {
        if (JSON.stringify(node.job) !== JSON.stringify(job)) {
          changedRows.push(node);
        }
        node.job = job;
      }
      nodes.set(job.hpcjobUuid, node ?? { kind: 'job', job, parent: cluster });
    }
    const list: JobList = { nodes: [...nodes.values()], totalCount };
    if (stale) {
      return list;
    }
    const shownBefore = this.current(cluster);
    this.jobNodes.set(key, nodes);
    this.shownLoad.set(key, load.seq);
    this.loadedLists.set(key, list);
    // Other rows, or another count: the cluster. The same rows: those that changed. A first
    // page, which VS Code itself asked for, redraws the cluster for its job count.
    if (load.first || !sameRows(shownBefore, list)) {
      this.changed(cluster);
    } else {
      changedRows.forEach((node) => this.changed(node));
    }
    return list;
  }
}

/** Whether `after` lists the same job nodes, in the same order, out of the same total. */
function sameRows(before: JobList | undefined, after: JobList): boolean {
  return before !== undefined && before.totalCount === after.totalCount && before.nodes.length === after.nodes.length && before.nodes.every((node, i) => node === after.nodes[i]);
}

/** Whether the filter lets the job show (the server's search word: a part of the name, any case). */
function passes(job: Job, filter: JobFilter): boolean {
  return (!filter.status || job.status === filter.status) && (!filter.searchWord || job.name.toLowerCase().includes(filter.searchWord.toLowerCase()));
}

function pagesOf(jobCount: number): number {
  return Math.ceil(jobCount / PAGE_SIZE);
}
