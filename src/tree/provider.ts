// Turns model entries into TreeItems. Failures become rows that say what went wrong and
// offer the way out (Retry, Sign In Again), never a silently empty tree.
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { endpointHost, parseEndpoint } from '../ehpc/endpoint';
import { EhpcError } from '../ehpc/errors';
import type { Accounts } from '../accounts/registry';
import { BusyMarks } from './busyMarks';
import { ClusterModel } from './model';
import { AccountNode, ClusterNode, JobNode, MachinesNode, MessageNode, QueuesNode, TreeNode, ZoneNode } from './nodes';
import { clusterItem, jobItem } from './items';
import { folderItem } from './folderItems';
import { loadMoreItem } from './loadMoreItem';
import type * as PartItems from './partItems';
import type * as JobTooltip from './jobTooltip';
import { clusterState } from '../clusters/state';
import { userMessage } from '../text/messages';
import { labelled } from '../text/punctuation';

/** What draws the rows under Queues and Nodes and the jobs' tooltips: code loaded on first use, handed in by activation. */
export type PartRows = Pick<typeof PartItems, 'queueItem' | 'machineItem' | 'jobsByMachine'> & Pick<typeof JobTooltip, 'jobTooltip'>;

/** What the tree shows of the watch; declared here so that the tree and the watch stand side by side. */
export interface WatchMarks {
  isWatched(hpcjobUuid: string): boolean;
  /** A cancel was sent and the job still runs. */
  isCancelling(hpcjobUuid: string): boolean;
  readonly onDidChange: vscode.Event<void>;
}

export class ClusterTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode[] | undefined>();
  /** The tree's changes, from the model's, the busy marks' and the watch's once VS Code listens. */
  readonly onDidChangeTreeData: vscode.Event<TreeNode[] | undefined> = (listener, thisArgs, disposables) => {
    this.subscriptions ??= [
      this.model.onDidChange((node) => this.redraw(node)),
      // A busy or watch mark redraws only the rows whose marks changed.
      this.busy.onDidChange(() => this.redrawMarks()),
      ...(this.watch ? [this.watch.onDidChange(() => this.redrawMarks())] : []),
    ];
    return this.changed.event(listener, thisArgs, disposables);
  };
  private subscriptions: vscode.Disposable[] | undefined;
  /** Clusters whose first page VS Code is loading now (see redraw). */
  private readonly firstLoads = new Set<ClusterNode>();
  /** Whether each account had a key when the top rows were last listed: its row's menu follows it. */
  private accountStates = new Map<string, boolean>();
  /** What each job row showed of its busy and watch marks when last drawn. */
  private readonly drawnMarks = new WeakMap<JobNode, string>();

  constructor(
    private readonly model: ClusterModel,
    private readonly accounts: Pick<Accounts, 'find' | 'connection'>,
    private readonly busy: BusyMarks,
    private readonly watch?: WatchMarks,
    private readonly partRows: () => PartRows = () => {
      throw new Error('The rows loaded on first use were not handed to the tree.');
    },
  ) {}

  /**
   * Redraws what the model changed. A job's row alone (it has no rows under it). A cluster: the
   * whole tree, except the cluster's first page, which VS Code itself asked for (it gives the
   * job count): that cluster alone, as the load answers. Redrawing one cluster while VS Code
   * loads its rows registers them twice ("Element with id ... is already registered"), and
   * redrawing it after VS Code's load had answered made its extension host forget the rows the
   * workbench kept showing (commands on them got nothing); a whole-tree redraw cancels the
   * loads under way, and its rows come from the model's cache.
   */
  private redraw(node: ClusterNode | JobNode | undefined): void {
    const alone = node?.kind === 'job' || (node?.kind === 'cluster' && this.firstLoads.has(node));
    this.changed.fire(alone ? [node] : undefined);
  }

  private redrawMarks(): void {
    const changed = [...this.model.loadedJobNodes()].filter((node) => this.drawnMarks.has(node) && this.drawnMarks.get(node) !== this.marksOf(node));
    if (changed.length > 0) {
      this.changed.fire(changed);
    }
  }

  private marksOf(node: JobNode): string {
    return `${this.busy.kind(node.job) ?? ''}/${this.watch?.isWatched(node.job.hpcjobUuid) ?? false}/${this.watch?.isCancelling(node.job.hpcjobUuid) ?? false}`;
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return this.children(node);
  }

  dispose(): void {
    vscode.Disposable.from(...(this.subscriptions ?? [])).dispose();
    this.changed.dispose();
  }

  private async children(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const accounts = this.model.accounts;
      const signedIn = await Promise.all(accounts.map((account) => this.signedIn(account.name)));
      this.accountStates = new Map(accounts.map((account, i) => [account.name, signedIn[i] === true]));
      // Signed out of every account: no rows, so the view shows its welcome content with the Sign In button.
      if (signedIn.every((state) => state === false)) {
        return [];
      }
      // Account and zone rows start expanded, and VS Code asks for their children one after
      // the other: ask every account's server for every zone now, so that the clusters show
      // after one round trip, and one slow account holds up no other.
      accounts.forEach((account, i) => signedIn[i] === true && this.prefetch(account.name));
      if (!this.model.showsAccounts) {
        return this.accountChildren(accounts[0].name, undefined, signedIn[0]);
      }
      return accounts.map((account) => this.model.accountNode(account.name));
    }
    switch (node.kind) {
      case 'account':
        return this.accountChildren(node.account, node, await this.signedIn(node.account));
      case 'zone':
        return this.clustersOf(node.account, node.zone, node);
      case 'cluster':
        // Queues and Nodes first: they stay put while jobs come and go below them.
        return [...this.model.partsOf(node), ...(await this.jobsOfCluster(node))];
      case 'queues':
        return this.queuesOf(node);
      case 'machines':
        return this.machinesOf(node);
      default:
        return [];
    }
  }

  /** A job's tooltip, when the pointer rests on its row. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.kind === 'job') {
      item.tooltip = this.partRows().jobTooltip(node.job, this.watch?.isWatched(node.job.hpcjobUuid) ?? false);
    }
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'account' ? undefined : node.parent;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'account':
        return accountItem(node.account, this.accounts.find(node.account)?.endpoint ?? '', this.accountStates.get(node.account) ?? false);
      case 'zone': {
        const item = new vscode.TreeItem(node.zone, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `zone:${encodeURIComponent(node.account)}/${node.zone}`;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.contextValue = 'zone';
        return item;
      }
      case 'cluster':
        return clusterItem(node.cluster, this.model.currentJobList(node), Boolean(this.model.filter.status || this.model.filter.searchWord));
      case 'queues':
      case 'machines':
        return folderItem(node);
      case 'queue':
        return this.partRows().queueItem(node);
      case 'machine':
        return this.partRows().machineItem(node);
      case 'job':
        this.drawnMarks.set(node, this.marksOf(node));
      {
        const item = jobItem(node.job, this.busy.kind(node.job), {
          watched: this.watch?.isWatched(node.job.hpcjobUuid) ?? false,
          cancelling: this.watch?.isCancelling(node.job.hpcjobUuid) ?? false,
        });
        // Enter or a click shows the job's details in the preview tab, the tree keeping the focus.
        item.command = { command: 'ehpc.showJobDetails', title: vscode.l10n.t('Show Job Details'), arguments: [node, { preview: true, preserveFocus: true }] };
        return item;
      }
      case 'loadMore':
        return loadMoreItem(node, this.model.currentJobList(node.parent));
      case 'message':
        return messageItem(node);
    }
  }

  /** Whether the account has a key: true, false, or why that could not be read (the keyring). */
  private async signedIn(account: string): Promise<SignedIn> {
    try {
      return await this.accounts.connection(account).isSignedIn();
    } catch (error) {
      return { error };
    }
  }

  /** Not signed in, or its key entered for another endpoint than the one the settings give now. */
  private async signInRows(id: string, account: string, parent: AccountNode | undefined): Promise<TreeNode[]> {
    const connection = this.accounts.connection(account);
    if (await connection.keyElsewhere()) {
      const text = vscode.l10n.t('Its key was entered for another endpoint. Click to sign in at {0}.', endpointHost(connection.account.endpoint));
      return [signInRow(`signedOut:${id}`, account, parent, text)];
    }
    return [signInRow(`signedOut:${id}`, account, parent)];
  }

  private prefetch(account: string): void {
    for (const zone of this.model.zonesOf(account)) {
      this.model.clusters(account, zone).catch(() => undefined); // a failure shows on its row
    }
  }

  /** What is under an account: its zones, or its one zone's clusters; or why nothing is. */
  private accountChildren(account: string, parent: AccountNode | undefined, signedIn: SignedIn): Promise<TreeNode[]> | TreeNode[] {
    const id = encodeURIComponent(account);
    if (signedIn === false) {
      return this.signInRows(id, account, parent);
    }
    if (signedIn !== true) {
      return [errorRow(`error:keyring:${id}`, vscode.l10n.t('Could not read your key'), signedIn.error, parent, account)];
    }
    const zones = this.model.zonesOf(account);
    if (this.model.showsZones(account)) {
      return zones.map((zone) => this.model.zoneNode(account, zone));
    }
    return this.clustersOf(account, zones[0], parent);
  }

  private async clustersOf(account: string, zone: string, parent: ZoneNode | AccountNode | undefined): Promise<TreeNode[]> {
    const id = `${encodeURIComponent(account)}/${zone}`;
    try {
      const clusters = await this.model.clusters(account, zone);
      return clusters.length > 0
        ? clusters
        : [message(`empty:${id}`, vscode.l10n.t('No clusters in zone {0}.', zone), parent)];
    } catch (error) {
      // A cluster list answers "not found" only for its zone: retrying cannot help, editing the zones can.
      if (error instanceof EhpcError && error.kind === 'notFound') {
        const text = vscode.l10n.t('Zone {0} does not exist on this endpoint.', zone);
        return [{ kind: 'message', id: `error:${id}`, text, parent, account, zone, error }];
      }
      return [errorRow(`error:${id}`, vscode.l10n.t('Could not list the clusters of zone {0}', zone), error, parent, account)];
    }
  }

  /** The cluster's rows; marks the load of its first page (see redraw). */
  private async jobsOfCluster(cluster: ClusterNode): Promise<TreeNode[]> {
    const first = this.model.loadedJobList(cluster) === undefined;
    if (first) {
      this.firstLoads.add(cluster);
    }
    try {
      return await this.jobsOf(cluster);
    } finally {
      if (first) {
        this.firstLoads.delete(cluster);
      }
    }
  }

  private async queuesOf(folder: QueuesNode): Promise<TreeNode[]> {
    const key = clusterKey(folder.parent.cluster);
    try {
      const rows = await this.model.queues(folder);
      return rows.length > 0
        ? rows.map((row): TreeNode => ({ kind: 'queue', ...row, parent: folder }))
        : [message(`empty:queues:${key}`, vscode.l10n.t('No queues.'), folder)];
    } catch (error) {
      return [errorRow(`error:queues:${key}`, vscode.l10n.t('Could not list the queues'), error, folder, folder.parent.cluster.account)];
    }
  }

  /** The cluster's nodes, each with the loaded jobs that run on it; a stopped cluster says so first. */
  private async machinesOf(folder: MachinesNode): Promise<TreeNode[]> {
    const { cluster } = folder.parent;
    const key = clusterKey(cluster);
    const stopped = clusterState(cluster) === 'stopped' ? [message(`stopped:${key}`, vscode.l10n.t('The cluster is shut down, and so are its nodes.'), folder)] : [];
    try {
      const machines = await this.model.machines(folder);
      const jobs = this.model.loadedJobList(folder.parent)?.nodes.map((node) => node.job) ?? [];
      const onMachine = this.partRows().jobsByMachine(jobs, machines.length);
      const rows = machines.map((machine): TreeNode => ({ kind: 'machine', machine, jobs: onMachine.get(machine.name) ?? [], parent: folder }));
      return rows.length > 0 || stopped.length > 0 ? [...stopped, ...rows] : [message(`empty:nodes:${key}`, vscode.l10n.t('No nodes.'), folder)];
    } catch (error) {
      return [...stopped, errorRow(`error:nodes:${key}`, vscode.l10n.t('Could not list the nodes'), error, folder, cluster.account)];
    }
  }

  private async jobsOf(cluster: ClusterNode): Promise<TreeNode[]> {
    const key = clusterKey(cluster.cluster);
    try {
      const { nodes, totalCount } = await this.model.jobs(cluster);
      if (nodes.length === 0) {
        const filtered = this.model.filter.status || this.model.filter.searchWord;
        return [message(`empty:${key}`, filtered ? vscode.l10n.t('No jobs match the filter.') : vscode.l10n.t('No jobs.'), cluster)];
      }
      return nodes.length < totalCount ? [...nodes, { kind: 'loadMore', parent: cluster }] : [...nodes];
    } catch (error) {
      return [errorRow(`error:${key}`, vscode.l10n.t('Could not list the jobs'), error, cluster, cluster.cluster.account)];
    }
  }
}

type Parent = MessageNode['parent'];
type SignedIn = boolean | { error: unknown };

function message(id: string, text: string, parent: Parent): MessageNode {
  return { kind: 'message', id, text, parent };
}

function errorRow(id: string, what: string, error: unknown, parent: Parent, account?: string): MessageNode {
  const reason = userMessage(error);
  return { kind: 'message', id, text: labelled(what, reason), parent, account, error: error instanceof EhpcError ? error : new EhpcError('server', '{0}', [reason]) };
}

/** Under an account without a key (with several accounts): the way to sign in to it. */
function signInRow(id: string, account: string, parent: Parent, text = vscode.l10n.t('Not signed in. Click to sign in.')): MessageNode {
  const error = new EhpcError('signedOut', 'Not signed in.');
  return { kind: 'message', id, text, parent, account, error };
}

function accountItem(account: string, endpoint: string, signedIn: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(account, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `account:${encodeURIComponent(account)}`;
  // The endpoint, unless the name says it already (an account named after its host).
  const where = endpointLabel(endpoint);
  item.description = where === account ? undefined : where;
  item.tooltip = labelled(account, endpoint);
  item.iconPath = new vscode.ThemeIcon('account');
  // Its menu offers Sign Out and Change Key... with a key, Sign In without.
  item.contextValue = signedIn ? 'account.signedIn' : 'account.signedOut';
  return item;
}

/** The endpoint as the account's row shows it: the host, with the path of a private deployment. */
function endpointLabel(endpoint: string): string {
  try {
    const { host, basePath } = parseEndpoint(endpoint);
    return `${host}${basePath}`;
  } catch {
    return endpoint; // the account's rows say what is wrong with it
  }
}

/** An error row's click and inline action: sign in again for a key problem, else retry. */
function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.tooltip = node.text;
  if (!node.error) {
    item.iconPath = new vscode.ThemeIcon('info');
    item.contextValue = 'message';
    return item;
  }
  // Signed out is a state, not a failure: no red.
  const signedOut = node.error.kind === 'signedOut';
  item.iconPath = signedOut ? new vscode.ThemeIcon('sign-in') : new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  const signIn = node.error.kind === 'auth' || signedOut;
  item.contextValue = signIn ? 'error.auth' : node.zone !== undefined ? 'error.zone' : 'error';
  item.command = signIn
    ? { command: 'ehpc.signIn', title: vscode.l10n.t('Sign In Again'), arguments: [node] }
    : node.zone !== undefined
      ? { command: 'ehpc.editZones', title: vscode.l10n.t('Edit Zones...'), arguments: [node] }
      : { command: 'ehpc.retry', title: vscode.l10n.t('Retry'), arguments: [node] };
  return item;
}
