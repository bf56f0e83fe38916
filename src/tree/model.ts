// What the tree knows: for each account, the clusters of each zone (clusterLists.ts) and the
// jobs of each cluster (jobLists.ts), loaded on demand and cached until refreshed; the job
// filter. Nodes keep their identity across reloads (stableNodes.ts), so VS Code keeps
// selection and expansion, and getParent works. (Which jobs a batch works on: busyMarks.ts.)
import * as vscode from 'vscode';
import { JobFilter } from '../ehpc/client';
import { Cluster, Job } from '../ehpc/types';
import { ClusterPlace } from '../ehpc/batch';
import { AccountNode, ClusterNode, JobNode, MachinesNode, QueuesNode, ZoneNode } from './nodes';
import { ClusterParts, PartsSource, QueueRow } from './clusterParts';
import { ClusterMachine } from '../ehpc/types';
import { ClusterLists, ListedClusters } from './clusterLists';
import { JobList, JobLists } from './jobLists';
import { ClientSource, Loads } from './loads';
import { StableNodes } from './stableNodes';
import { accountPrefix, zonePrefix } from './treeKeys';

export type { ClientSource } from './loads';
export type { JobList } from './jobLists';
export type { PartsSource, QueueRow } from './clusterParts';

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

  private readonly listed = new vscode.EventEmitter<ListedClusters>();
  /** A zone's clusters were listed and are shown. */
  readonly onDidListClusters = this.listed.event;

  private readonly loads: Loads;
  private readonly nodes = new StableNodes(this);
  private readonly clusterLists: ClusterLists;
  private readonly jobLists: JobLists;
  private readonly parts: ClusterParts | undefined;

  /** `parts`: where the Queues and Nodes rows are listed from; without it a cluster shows its jobs only. */
  constructor(
    connection: ClientSource,
    private accountList: readonly ModelAccount[],
    jobFilter: JobFilter = {},
    parts?: PartsSource,
  ) {
    this.loads = new Loads(connection);
    this.parts = parts && new ClusterParts(this.loads, parts);
    this.clusterLists = new ClusterLists(this.loads, this.nodes, (list) => this.listed.fire(list));
    const clusterSeq = (cluster: ClusterNode) => this.clusterLists.shownSeq(cluster.cluster.account, cluster.cluster.zone);
    this.jobLists = new JobLists(this.loads, this.nodes, clusterSeq, (node) => this.changed.fire(node), jobFilter);
  }

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

  /**
   * With one zone an account's clusters are its top level; with several, the zones are. Side
   * by side, every account shows its zones once one has several: all accounts at one depth.
   */
  showsZones(account: string): boolean {
    return this.zonesOf(account).length > 1 || (this.showsAccounts && this.accountList.some((entry) => entry.zones.length > 1));
  }

  /** Whether any list request is under way (auto-refresh waits for it). */
  get loading(): boolean {
    return this.loads.loading;
  }

  get filter(): JobFilter {
    return this.jobLists.filter;
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
    this.loads.forgetAccount(account);
    const prefix = accountPrefix(account);
    this.nodes.forget(prefix);
    this.clusterLists.forget(prefix);
    this.jobLists.forget(prefix);
    this.parts?.drop(prefix);
    this.changed.fire(undefined);
  }

  /** A new filter applies to every cluster's jobs: all job lists are loaded again. */
  setFilter(filter: JobFilter): void {
    this.jobLists.setFilter(filter);
    this.changed.fire(undefined);
  }

  accountNode(account: string): AccountNode {
    return this.nodes.accountNode(account);
  }

  zoneNode(account: string, zone: string): ZoneNode {
    return this.nodes.zoneNode(account, zone);
  }

  findCluster(place: ClusterPlace): ClusterNode | undefined {
    return this.nodes.findCluster(place);
  }

  /** The zone's clusters, fetched on first use; a failure stays cached until refresh. */
  clusters(account: string, zone: string): Promise<ClusterNode[]> {
    return this.clusterLists.get(account, zone);
  }

  /** The cluster's Queues and Nodes rows, shown before its jobs; none when the model has no source for them. */
  partsOf(cluster: ClusterNode): readonly (QueuesNode | MachinesNode)[] {
    return this.parts?.foldersOf(cluster) ?? [];
  }

  /** The cluster's queues with their load, listed when its Queues row is first expanded. */
  queues(folder: QueuesNode): Promise<QueueRow[]> {
    return this.parts ? this.parts.queues(folder) : Promise.resolve([]);
  }

  /** The cluster's nodes, listed when its Nodes row is first expanded. */
  machines(folder: MachinesNode): Promise<ClusterMachine[]> {
    return this.parts ? this.parts.machines(folder) : Promise.resolve([]);
  }

  /** Lists a cluster's queues or nodes again (Retry on their error row) and redraws. */
  refreshPart(folder: QueuesNode | MachinesNode): void {
    this.parts?.dropCluster(folder.parent, folder.kind);
    this.changed.fire(undefined);
  }

  /**
   * The cluster's jobs, fetched when first asked for (when it is expanded): the first page,
   * or after a refresh as many pages as were shown, so that Load More's pages stay.
   */
  jobs(cluster: ClusterNode): Promise<JobList> {
    return this.jobLists.get(cluster);
  }

  /** What is known of the cluster's jobs without fetching: undefined before its first load. */
  loadedJobList(cluster: ClusterNode): JobList | undefined {
    return this.jobLists.loaded(cluster);
  }

  /** Every job row loaded, of every cluster (the provider redraws those whose marks changed). */
  loadedJobNodes(): Iterable<JobNode> {
    return this.jobLists.loadedNodes();
  }

  /**
   * The loaded jobs if they are as new as the cluster's row, for its job count: once the
   * cluster list is loaded again, a collapsed cluster's old count would contradict it.
   */
  currentJobList(cluster: ClusterNode): JobList | undefined {
    return this.jobLists.current(cluster);
  }

  /** Appends the next page to the cluster's jobs. On failure the loaded jobs stay, and it throws. */
  loadMore(cluster: ClusterNode): Promise<void> {
    return this.jobLists.loadMore(cluster);
  }

  /**
   * Every job of the cluster under the filter, all pages, for the command palette's picker.
   * Not the tree's: the rows, and how many pages later refreshes load, stay as they are.
   */
  allJobs(place: ClusterPlace): Promise<Job[]> {
    return this.jobLists.all(place);
  }

  /**
   * Lists a cluster again, as far as it was loaded (at least one page), updates the tree,
   * and returns what the server lists now. Jobs are listed newest first, so a job a batch
   * left behind is still within the pages it was selected from.
   */
  reloadJobs(place: ClusterPlace): Promise<Job[]> {
    return this.jobLists.reloadCluster(place);
  }

  /**
   * A job seen in a new state elsewhere (the watch): its row shows it without a request.
   * Returns whether a loaded row changed.
   */
  patchJob(job: Job): boolean {
    return this.jobLists.patch(job);
  }

  /**
   * Clusters seen in a new state elsewhere (a start or stop accepted, or its look-up
   * afterwards): their rows show it without a request (one redraw). Only clusters the tree
   * has rows for; returns whether it has any.
   */
  patchClusters(clusters: readonly Cluster[]): boolean {
    const nodes = clusters.flatMap((cluster) => {
      const node = this.nodes.findCluster(cluster);
      return node ? [Object.assign(node, { cluster })] : [];
    });
    if (nodes.length > 0) {
      this.changed.fire(nodes.length === 1 ? nodes[0] : undefined);
    }
    return nodes.length > 0;
  }

  /**
   * Jobs just submitted, shown at once at the top of their cluster's loaded rows (newest
   * first, as the server lists them), before the list that confirms them answers. Not when the
   * cluster's jobs are not loaded (expanding it lists them) or the filter would hide them.
   * Returns whether they show.
   */
  showNew(place: ClusterPlace, jobs: readonly Job[]): boolean {
    return this.jobLists.showNew(place, jobs);
  }

  /** Drops cached data below `node` (everything when undefined) and redraws it. */
  refresh(node?: AccountNode | ZoneNode | ClusterNode): void {
    if (node?.kind === 'cluster') {
      this.jobLists.dropCluster(node);
      this.parts?.dropCluster(node);
      this.changed.fire(node); // its rows only: VS Code asks for them again
      return;
    }
    // Zone and cluster keys begin with the account's, then the zone's.
    const prefix = !node ? undefined : node.kind === 'account' ? accountPrefix(node.account) : zonePrefix(node.account, node.zone);
    this.clusterLists.drop(prefix);
    this.jobLists.drop(prefix);
    this.parts?.drop(prefix);
    this.changed.fire(undefined);
  }

  /**
   * Loads again, in the background, what the tree shows: the zones' clusters and the jobs of
   * expanded clusters (as many pages as were loaded), then redraws once. The rows stay in
   * place meanwhile. Collapsed clusters just forget their jobs.
   */
  async reloadShown(): Promise<void> {
    const shownBefore = this.shownSignature();
    const reloads = [this.clusterLists.reload(), this.jobLists.reload()];
    const outcomes = await Promise.allSettled(reloads.flatMap((reload) => reload.pending));
    reloads.forEach((reload) => reload.commit());
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
    for (const [key, node] of this.clusterLists.shownClusters()) {
      const jobs = this.currentJobList(node);
      rows.push(key, node.cluster, jobs?.totalCount, jobs?.nodes.map((job) => job.job));
    }
    return JSON.stringify(rows);
  }

  setExpanded(cluster: ClusterNode, expanded: boolean): void {
    this.jobLists.setExpanded(cluster, expanded);
  }

  /** Drops everything loaded; loads under way will not be shown. Redraws. */
  private reset(): void {
    this.loads.forgetAll();
    this.nodes.clear();
    this.clusterLists.clear();
    this.jobLists.clear();
    this.parts?.clear();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
    this.listed.dispose();
  }
}
