// Turns model entries into TreeItems. Failures become rows that say what went wrong and
// offer the way out (Retry, Sign In Again), never a silently empty tree.
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { Connection } from '../connection';
import { BusyMarks } from './busyMarks';
import { ClusterModel } from './model';
import { ClusterNode, MessageNode, TreeNode, ZoneNode } from './nodes';
import { clusterItem, jobItem } from './items';
import type { JobWatchApi } from '../watch/jobWatch';
import { userMessage } from '../ui/messages';
import { labelled } from '../ui/punctuation';

export class ClusterTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  readonly onDidChangeTreeData: vscode.Event<TreeNode | undefined>;

  constructor(
    private readonly model: ClusterModel,
    private readonly connection: Connection,
    private readonly busy: BusyMarks,
    private readonly watch?: Pick<JobWatchApi, 'isWatched' | 'isCancelling' | 'onDidChange'>,
  ) {
    // A busy or watch mark changes rows of any cluster: it redraws the whole tree, as the model does.
    this.onDidChangeTreeData = (listener, thisArgs?: unknown, disposables?: vscode.Disposable[]) => {
      const subscription = vscode.Disposable.from(
        model.onDidChange(listener, thisArgs),
        busy.onDidChange(() => void listener.call(thisArgs, undefined)),
        ...(watch ? [watch.onDidChange(() => void listener.call(thisArgs, undefined))] : []),
      );
      disposables?.push(subscription);
      return subscription;
    };
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      // Signed out: no rows, so the view shows its welcome content with the Sign In button.
      try {
        if (!(await this.connection.isSignedIn())) {
          return [];
        }
      } catch (error) {
        return [errorRow('error:keyring', vscode.l10n.t('Could not read your key'), error, undefined)];
      }
      if (!this.model.showsZones) {
        return this.clustersOf(this.model.zones[0]);
      }
      // Zone rows start expanded, and VS Code asks for their children one zone after the
      // other: ask the server for every zone now, so the clusters show after one round trip.
      for (const zone of this.model.zones) {
        this.model.clusters(zone).catch(() => undefined); // a failure shows on the zone's row
      }
      return this.model.zones.map((zone) => this.model.zoneNode(zone));
    }
    switch (node.kind) {
      case 'zone':
        return this.clustersOf(node.zone, node);
      case 'cluster':
        return this.jobsOf(node);
      default:
        return [];
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'zone' ? undefined : node.parent;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'zone': {
        const item = new vscode.TreeItem(node.zone, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `zone:${node.zone}`;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.contextValue = 'zone';
        return item;
      }
      case 'cluster':
        return clusterItem(node.cluster, this.model.currentJobList(node));
      case 'job':
        return jobItem(node.job, this.busy.kind(node.job), {
          watched: this.watch?.isWatched(node.job.hpcjobUuid) ?? false,
          cancelling: this.watch?.isCancelling(node.job.hpcjobUuid) ?? false,
        });
      case 'loadMore': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load More...'), vscode.TreeItemCollapsibleState.None);
        const { zone, clusterId } = node.parent.cluster;
        item.id = `more:${clusterKey(zone, clusterId)}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = 'loadMore';
        item.command = { command: 'ehpc.loadMore', title: vscode.l10n.t('Load More...'), arguments: [node.parent] };
        return item;
      }
      case 'message':
        return messageItem(node);
    }
  }

  private async clustersOf(zone: string, parent?: ZoneNode): Promise<TreeNode[]> {
    try {
      const clusters = await this.model.clusters(zone);
      return clusters.length > 0
        ? clusters
        : [message(`empty:${zone}`, vscode.l10n.t('No clusters in zone {0}.', zone), parent)];
    } catch (error) {
      return [errorRow(`error:${zone}`, vscode.l10n.t('Could not list the clusters of zone {0}', zone), error, parent)];
    }
  }

  private async jobsOf(cluster: ClusterNode): Promise<TreeNode[]> {
    const key = clusterKey(cluster.cluster.zone, cluster.cluster.clusterId);
    try {
      const { nodes, totalCount } = await this.model.jobs(cluster);
      if (nodes.length === 0) {
        const filtered = this.model.filter.status || this.model.filter.searchWord;
        return [message(`empty:${key}`, filtered ? vscode.l10n.t('No jobs match the filter.') : vscode.l10n.t('No jobs.'), cluster)];
      }
      return nodes.length < totalCount ? [...nodes, { kind: 'loadMore', parent: cluster }] : [...nodes];
    } catch (error) {
      return [errorRow(`error:${key}`, vscode.l10n.t('Could not list the jobs'), error, cluster)];
    }
  }
}

function message(id: string, text: string, parent: ZoneNode | ClusterNode | undefined): MessageNode {
  return { kind: 'message', id, text, parent };
}

function errorRow(id: string, what: string, error: unknown, parent: ZoneNode | ClusterNode | undefined): MessageNode {
  const reason = userMessage(error);
  return { kind: 'message', id, text: labelled(what, reason), parent, error: error instanceof EhpcError ? error : new EhpcError('server', '{0}', [reason]) };
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
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  const signIn = node.error.kind === 'auth' || node.error.kind === 'signedOut';
  item.contextValue = signIn ? 'error.auth' : 'error';
  item.command = signIn
    ? { command: 'ehpc.signIn', title: vscode.l10n.t('Sign In Again') }
    : { command: 'ehpc.retry', title: vscode.l10n.t('Retry'), arguments: [node] };
  return item;
}
