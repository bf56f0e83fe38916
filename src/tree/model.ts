// What the tree knows: for each account, the clusters of each zone and the jobs of each
// cluster, loaded on
// demand (a cluster's jobs when it is expanded, a page at a time) and cached until
// refreshed; the job filter. Nodes keep their identity across reloads, so VS Code keeps
// selection and expansion, and getParent works. (Which jobs a batch works on: busyMarks.ts.)
import * as vscode from 'vscode';
import { EhpcClient, JobFilter, PAGE_SIZE } from '../ehpc/client';
import { Cluster, Job } from '../ehpc/types';
import { ClusterPlace, clusterKey } from '../ehpc/batch';
import { AccountNode, ClusterNode, JobNode, ZoneNode } from './nodes';

/** The jobs of one cluster loaded so far, and how many the server has (under the filter). */
export interface JobList {
  readonly nodes: readonly JobNode[];
  readonly totalCount: number;
}

/** Where the model gets an account's client: its Connection (tests pass a stand-in). */
export interface ClientSource {
  client(account: string): Promise<Pick<EhpcClient, 'listAllClusters' | 'listJobs' | 'listAllJobs'>>;
}

/** An account as the tree shows it: its name, and the zones whose clusters it lists. */
export interface ModelAccount {
  readonly name: string;
  readonly zones: readonly string[];
}

export class ClusterModel implements vscode.Disposable {
  // A change names what to redraw: a cluster (its row and its jobs), a job's row, or
  // undefined for the whole tree (a filter, a sign-out, the accounts, reloadShown). Redrawing
  // the whole tree makes VS Code ask again for every expanded cluster's rows; redrawing one
  // cluster while VS Code loads its rows registers them twice ("Element with id ... is
  // already registered"): the provider holds such a change back until that load is done.
  private readonly changed = new vscode.EventEmitter<ClusterNode | JobNode | undefined>();
  readonly onDidChange = this.changed.event;

  private readonly accountNodes = new Map<string, AccountNode>();
  /** Per zone key (account and zone), its node. */
  private readonly zoneNodes = new Map<string, ZoneNode>();
  private readonly clusterNodes = new Map<string, ClusterNode>();
  /** Per cluster key, its job nodes by hpcjob_uuid. */
  private readonly jobNodes = new Map<string, Map<string, JobNode>>();
  private readonly clusterLists = new Map<string, Promise<ClusterNode[]>>();
  private readonly jobLists = new Map<string, Promise<JobList>>();
  /** Which account and zone each zone key stands for (reloadShown lists them again). */
  private readonly zonePlaces = new Map<string, { account: string; zone: string }>();
  /** Per zone key, the cluster list shown: the newest load that answered, and its number. */
  private readonly shownClusters = new Map<string, { seq: number; nodes: ClusterNode[] }>();
  /** What the last finished load of each cluster found, for descriptions and Load More. */
  private readonly loadedJobs = new Map<string, JobList>();
  /** Per cluster key, the number of the job load shown. */
  private readonly shownLoad = new Map<string, number>();
  /** Per cluster key, how many pages a Load More under way will show: a refresh meanwhile loads them too. */
  private readonly pagesWanted = new Map<string, number>();
  private readonly expanded = new Set<string>();
  private inFlight = 0;
  /** Numbers loads in the order they start; a load older than the one shown is dropped. */
  private loadSeq = 0;
  /** Loads numbered up to this one started before the model forgot everything: never shown. */
  private forgottenSeq = 0;
  /** The same, per account: loads started before the account was signed out of or into. */
  private readonly forgottenAccountSeq = new Map<string, number>();

  constructor(
    private readonly connection: ClientSource,
    private accountList: readonly ModelAccount[],
    private jobFilter: JobFilter = {},
  ) {}

  get accounts(): readonly ModelAccount[] {
    return this.accountList;
  }

  /** With one account it is not shown: the tree looks as it did before accounts. */
  get showsAccounts(): boolean {
    return this.accountList.length > 1;
  }

  zonesOf(account: string): readonly string[] {
    return this.accountList.find((entry) => entry.name === account)?.zones ?? [];
  }

  /** With one zone an account's clusters are its top level; with several, the zones are. */
  showsZones(account: string): boolean {
    return this.zonesOf(account).length > 1;
  }

  /** Whether any list request is under way (auto-refresh waits for it). */
  get loading(): boolean {
    return this.inFlight > 0;
  }

  get filter(): JobFilter {
    return this.jobFilter;
  }

  setAccounts(accounts: readonly ModelAccount[]): void {
    this.accountList = accounts;
    // Parent links depend on whether accounts and zones are shown: start afresh (what is
    // expanded stays).
    this.reset();
  }

  /**
   * Forgets everything loaded of the account, and what was expanded, then redraws: after a
   * sign-in or sign-out, nothing of the previous key may stay, nor come back from a load
   * under way. The other accounts' rows stay as they are.
   */
  forget(account: string): void {
    this.forgottenAccountSeq.set(account, this.loadSeq);
    const prefix = `${encodeURIComponent(account)}/`;
    for (const map of [this.clusterNodes, this.jobNodes, this.clusterLists, this.jobLists, this.shownClusters, this.loadedJobs, this.shownLoad, this.pagesWanted, this.zoneNodes]) {
      for (const key of [...map.keys()].filter((key) => key.startsWith(prefix))) {
        map.delete(key);
      }
    }
    for (const key of [...this.expanded].filter((key) => key.startsWith(prefix))) {
      this.expanded.delete(key);
    }
    this.changed.fire(undefined);
  }

  /** A new filter applies to every cluster's jobs: all job lists are loaded again. */
  setFilter(filter: JobFilter): void {
    this.jobFilter = filter;
    this.jobLists.clear();
    this.loadedJobs.clear();
    this.pagesWanted.clear();
    this.changed.fire(undefined);
  }

  accountNode(account: string): AccountNode {
    let node = this.accountNodes.get(account);
    if (!node) {
      node = { kind: 'account', account };
      this.accountNodes.set(account, node);
    }
    return node;
  }

  zoneNode(account: string, zone: string): ZoneNode {
    const key = zoneKey(account, zone);
    let node = this.zoneNodes.get(key);
    if (!node) {
      node = { kind: 'zone', account, zone, parent: this.showsAccounts ? this.accountNode(account) : undefined };
      this.zoneNodes.set(key, node);
    }
    return node;
  }

  findCluster(place: ClusterPlace): ClusterNode | undefined {
    return this.clusterNodes.get(clusterKey(place));
  }

  /** The zone's clusters, fetched on first use; a failure stays cached until refresh. */
  clusters(account: string, zone: string): Promise<ClusterNode[]> {
    const key = zoneKey(account, zone);
    let list = this.clusterLists.get(key);
    if (!list) {
      this.zonePlaces.set(key, { account, zone });
      list = this.fetchClusters(account, zone);
      this.clusterLists.set(key, list);
    }
    return list;
  }

  /**
   * The cluster's jobs, fetched when first asked for (when it is expanded): the first page,
   * or after a refresh as many pages as were shown, so that Load More's pages stay.
   */
  jobs(cluster: ClusterNode): Promise<JobList> {
    const key = keyOf(cluster);
    let list = this.jobLists.get(key);
    if (!list) {
      list = this.fetchJobs(cluster, this.loadedPages(key), true);
      this.jobLists.set(key, list);
    }
    return list;
  }

  /** What is known of the cluster's jobs without fetching: undefined before its first load. */
  loadedJobList(cluster: ClusterNode): JobList | undefined {
    return this.loadedJobs.get(keyOf(cluster));
  }

  /** Every job row loaded, of every cluster (the provider redraws those whose marks changed). */
  *loadedJobNodes(): Iterable<JobNode> {
    for (const list of this.loadedJobs.values()) {
      yield* list.nodes;
    }
  }

  /**
   * The loaded jobs if they are as new as the cluster's row, for its job count: once the
   * cluster list is loaded again, a collapsed cluster's old count would contradict it.
   */
  currentJobList(cluster: ClusterNode): JobList | undefined {
    const key = keyOf(cluster);
    const clusterSeq = this.shownClusters.get(zoneKey(cluster.cluster.account, cluster.cluster.zone))?.seq ?? 0;
    // An expanded cluster's jobs are loaded again along with the list: keep its count meanwhile.
    return this.expanded.has(key) || (this.shownLoad.get(key) ?? 0) > clusterSeq ? this.loadedJobs.get(key) : undefined;
  }

  /** Appends the next page to the cluster's jobs. On failure the loaded jobs stay, and it throws. */
  async loadMore(cluster: ClusterNode): Promise<void> {
    const key = keyOf(cluster);
    // Asked for now: a refresh that starts while this page loads loads it too.
    const target = this.loadedPages(key) + 1;
    this.pagesWanted.set(key, target);
    try {
      for (;;) {
        const loading = this.jobs(cluster);
        const current = await loading;
        if (this.jobLists.get(key) !== loading) {
          continue; // loaded again meanwhile (a refresh): go on from that list
        }
        if (current.nodes.length >= current.totalCount || pagesOf(current.nodes.length) >= target) {
          return; // everything is loaded, or that refresh loaded the page asked for
        }
        const next = this.withNextPage(cluster, current);
        this.jobLists.set(key, next);
        try {
          await next;
          return;
        } catch (error) {
          if (this.jobLists.get(key) === next) {
            this.jobLists.set(key, loading);
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

  /**
   * Every job of the cluster under the filter, all pages, for the command palette's picker.
   * Not the tree's: the rows, and how many pages later refreshes load, stay as they are.
   */
  async allJobs(place: ClusterPlace): Promise<Job[]> {
    const client = await this.connection.client(place.account);
    return this.track(client.listAllJobs(place.zone, place.clusterId, this.jobFilter));
  }

  /**
   * Lists a cluster again, as far as it was loaded (at least one page), updates the tree,
   * and returns what the server lists now. Jobs are listed newest first, so a job a batch
   * left behind is still within the pages it was selected from.
   */
  async reloadJobs(place: ClusterPlace): Promise<Job[]> {
    const cluster = this.clusterNode(place);
    const list = this.fetchJobs(cluster, this.loadedPages(keyOf(cluster)));
    this.jobLists.set(keyOf(cluster), list);
    return (await list).nodes.map((node) => node.job);
  }

  /**
   * A job seen in a new state elsewhere (the watch): its row shows it without a request.
   * Returns whether a loaded row changed.
   */
  patchJob(job: Job): boolean {
    const node = this.jobNodes.get(clusterKey(job))?.get(job.hpcjobUuid);
    if (!node || JSON.stringify(node.job) === JSON.stringify(job)) {
      return false;
    }
    node.job = job;
    this.changed.fire(node);
    return true;
  }

  /**
   * Jobs just submitted, shown at once at the top of their cluster's loaded rows (newest
   * first, as the server lists them), before the list that confirms them answers. Not when the
   * cluster's jobs are not loaded (expanding it lists them) or the filter would hide them.
   * Returns whether they show.
   */
  showNew(place: ClusterPlace, jobs: readonly Job[]): boolean {
    const cluster = this.findCluster(place);
    const loaded = cluster && this.loadedJobs.get(keyOf(cluster));
    const nodes = cluster && this.jobNodes.get(keyOf(cluster));
    if (!cluster || !loaded || !nodes || !jobs.every((job) => passes(job, this.jobFilter))) {
      return false;
    }
    const fresh = jobs.filter((job) => !nodes.has(job.hpcjobUuid)).map((job): JobNode => ({ kind: 'job', job, parent: cluster }));
    fresh.forEach((node) => nodes.set(node.job.hpcjobUuid, node));
    const list: JobList = { nodes: [...fresh, ...loaded.nodes], totalCount: loaded.totalCount + fresh.length };
    this.loadedJobs.set(keyOf(cluster), list);
    this.jobLists.set(keyOf(cluster), Promise.resolve(list));
    this.changed.fire(cluster);
    return true;
  }

  /** Drops cached data below `node` (everything when undefined) and redraws it. */
  refresh(node?: AccountNode | ZoneNode | ClusterNode): void {
    if (!node) {
      this.clusterLists.clear();
      this.jobLists.clear();
    } else if (node.kind === 'account' || node.kind === 'zone') {
      // Zone and cluster keys begin with the account's, then the zone's.
      const prefix = node.kind === 'account' ? `${encodeURIComponent(node.account)}/` : `${zoneKey(node.account, node.zone)}/`;
      for (const map of [this.clusterLists, this.jobLists]) {
        for (const key of [...map.keys()].filter((key) => `${key}/`.startsWith(prefix))) {
          map.delete(key);
        }
      }
    } else {
      this.jobLists.delete(keyOf(node));
      this.changed.fire(node); // its rows only: VS Code asks for them again
      return;
    }
    this.changed.fire(undefined);
  }

  /**
   * Loads again, in the background, what the tree shows: the zones' clusters and the jobs of
   * expanded clusters (as many pages as were loaded), then redraws once. The rows stay in
   * place meanwhile. Collapsed clusters just forget their jobs.
   */
  async reloadShown(): Promise<void> {
    const clustersBefore = new Map(this.clusterLists);
    const jobsBefore = new Map(this.jobLists);
    const shownBefore = this.shownSignature();
    const clusterLoads = [...clustersBefore.keys()].map((key) => {
      const { account, zone } = this.zonePlaces.get(key)!;
      return [key, this.fetchClusters(account, zone)] as const;
    });
    const jobLoads = [...jobsBefore.keys()]
      .filter((key) => this.expanded.has(key))
      .map((key) => [key, this.fetchJobs(this.clusterNodes.get(key)!, this.loadedPages(key))] as const);
    const loads = [...clusterLoads, ...jobLoads].map(([, load]) => load);
    const outcomes = await Promise.allSettled([...clustersBefore.values(), ...jobsBefore.values(), ...loads]);
    // What was loaded again meanwhile (a batch's re-list, a manual refresh) is newer: keep it.
    replaceUnchanged(this.clusterLists, clustersBefore, new Map(clusterLoads));
    replaceUnchanged(this.jobLists, jobsBefore, new Map(jobLoads));
    // Redraw only when a row changes: VS Code's extension host keeps a little for every row
    // it ever drew (one DisposableStore per tree node), so redrawing unchanged rows on every
    // auto-refresh grows its heap without end. An error row, then or now, always redraws.
    if (outcomes.some((outcome) => outcome.status === 'rejected') || this.shownSignature() !== shownBefore) {
      this.changed.fire(undefined);
    }
  }

  /** Everything the cluster and job rows show, in order: equal signatures draw equal rows. */
  private shownSignature(): string {
    const rows: unknown[] = [];
    for (const [key, shown] of this.shownClusters) {
      for (const node of shown.nodes) {
        const jobs = this.currentJobList(node);
        rows.push(key, node.cluster, jobs?.totalCount, jobs?.nodes.map((job) => job.job));
      }
    }
    return JSON.stringify(rows);
  }

  setExpanded(cluster: ClusterNode, expanded: boolean): void {
    if (expanded) {
      this.expanded.add(keyOf(cluster));
    } else {
      this.expanded.delete(keyOf(cluster));
    }
  }

  /** Drops everything loaded; loads under way will not be shown. Redraws. */
  private reset(): void {
    this.forgottenSeq = this.loadSeq;
    this.accountNodes.clear();
    this.zoneNodes.clear();
    this.clusterNodes.clear();
    this.jobNodes.clear();
    this.clusterLists.clear();
    this.jobLists.clear();
    this.shownClusters.clear();
    this.loadedJobs.clear();
    this.shownLoad.clear();
    this.pagesWanted.clear();
    this.changed.fire(undefined);
  }

  /** How many pages of the cluster's jobs are shown or asked for (at least one): a reload covers them all. */
  private loadedPages(key: string): number {
    return Math.max(1, pagesOf(this.loadedJobs.get(key)?.nodes.length ?? 0), this.pagesWanted.get(key) ?? 0);
  }

  private async fetchClusters(account: string, zone: string): Promise<ClusterNode[]> {
    const seq = ++this.loadSeq;
    const client = await this.connection.client(account);
    const clusters = await this.track(client.listAllClusters(zone));
    const key = zoneKey(account, zone);
    const shown = this.shownClusters.get(key);
    if (this.forgotten(account, seq) || (shown && seq < shown.seq)) {
      // Older than the list shown (or than a sign-out): its data must not overwrite the rows.
      return shown?.nodes ?? [];
    }
    const nodes = clusters.map((cluster) => this.adoptCluster({ ...cluster, account }));
    this.shownClusters.set(key, { seq, nodes });
    return nodes;
  }

  /** Whether the load numbered `seq` started before everything, or the account, was forgotten. */
  private forgotten(account: string, seq: number): boolean {
    return seq <= this.forgottenSeq || seq <= (this.forgottenAccountSeq.get(account) ?? 0);
  }

  private async track<T>(request: Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await request;
    } finally {
      this.inFlight--;
    }
  }

  /** Fetches the first `pages` pages of the cluster's jobs under the current filter. */
  private async fetchJobs(cluster: ClusterNode, pages: number, first = false): Promise<JobList> {
    const { account, zone, clusterId } = cluster.cluster;
    const filter = this.jobFilter;
    const seq = ++this.loadSeq;
    const client = await this.connection.client(account);
    const jobs: Job[] = [];
    let totalCount = 0;
    for (let page = 0; page < pages; page++) {
      const result = await this.track(client.listJobs(zone, clusterId, jobs.length, filter));
      jobs.push(...result.items);
      totalCount = result.totalCount;
      if (result.items.length === 0 || jobs.length >= totalCount) {
        break;
      }
    }
    return this.adoptJobs(cluster, { filter, seq, first }, jobs, totalCount, new Map());
  }

  private async withNextPage(cluster: ClusterNode, current: JobList): Promise<JobList> {
    const { account, zone, clusterId } = cluster.cluster;
    const filter = this.jobFilter;
    const seq = ++this.loadSeq;
    const client = await this.connection.client(account);
    const page = await this.track(client.listJobs(zone, clusterId, current.nodes.length, filter));
    const kept = new Map(current.nodes.map((node) => [node.job.hpcjobUuid, node]));
    return this.adoptJobs(cluster, { filter, seq, first: false }, [...current.nodes.map((node) => node.job), ...page.items], page.totalCount, kept);
  }

  /**
   * Turns fetched jobs into nodes (reusing existing ones), records the list, redraws. A load
   * under a filter since replaced, older than the one shown, or started before the model
   * forgot everything, only returns its list: a refresh that started before a batch must not
   * bring back the jobs the batch deleted.
   */
  private adoptJobs(
    cluster: ClusterNode,
    load: { filter: JobFilter; seq: number; first: boolean },
    jobs: readonly Job[],
    totalCount: number,
    kept: Map<string, JobNode>,
  ): JobList {
    const key = keyOf(cluster);
    const stale = this.forgotten(cluster.cluster.account, load.seq) || load.filter !== this.jobFilter || load.seq < (this.shownLoad.get(key) ?? 0);
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
    const shownBefore = this.currentJobList(cluster);
    this.jobNodes.set(key, nodes);
    this.shownLoad.set(key, load.seq);
    this.loadedJobs.set(key, list);
    // Other rows, or another count: the cluster. The same rows: those that changed. A first
    // page, which VS Code itself asked for, redraws the cluster for its job count.
    if (load.first || !sameRows(shownBefore, list)) {
      this.changed.fire(cluster);
    } else {
      changedRows.forEach((node) => this.changed.fire(node));
    }
    return list;
  }

  private clusterNode(place: ClusterPlace): ClusterNode {
    const { account, zone, clusterId } = place;
    return this.findCluster(place) ?? this.adoptCluster({ account, zone, clusterId, name: clusterId, status: 'unknown' });
  }

  private adoptCluster(cluster: Cluster): ClusterNode {
    const key = clusterKey(cluster);
    const node = this.clusterNodes.get(key);
    if (node) {
      node.cluster = cluster;
      return node;
    }
    const created: ClusterNode = {
      kind: 'cluster',
      cluster,
      parent: this.showsZones(cluster.account) ? this.zoneNode(cluster.account, cluster.zone) : this.showsAccounts ? this.accountNode(cluster.account) : undefined,
    };
    this.clusterNodes.set(key, created);
    return created;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Swaps in `fresh` for the entries of `map` still as they were `before`; drops the rest of those. */
function replaceUnchanged<T>(map: Map<string, T>, before: Map<string, T>, fresh: Map<string, T>): void {
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

function keyOf(cluster: ClusterNode): string {
  return clusterKey(cluster.cluster);
}

/** An account's zone, as the start of its clusters' keys (see clusterKey). */
function zoneKey(account: string, zone: string): string {
  return `${encodeURIComponent(account)}/${zone}`;
}
