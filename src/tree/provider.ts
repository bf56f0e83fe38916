// Turns model entries into TreeItems. Failures become rows that say what went wrong,
// never a silently empty tree.
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { Job, JobStatus } from '../ehpc/types';
import { Connection } from '../connection';
import { ClusterModel } from './model';
import { ClusterNode, MessageNode, TreeNode, ZoneNode } from './nodes';
import { jobStatusLabel } from './labels';

const STATUS_ICONS: Record<JobStatus, [icon: string, color?: string]> = {
  pending: ['clock', 'charts.yellow'],
  running: ['play-circle', 'charts.blue'],
  finished: ['pass', 'charts.green'],
  exited: ['error', 'charts.red'],
  cancelled: ['circle-slash', 'disabledForeground'],
  stopped: ['debug-stop', 'charts.orange'],
  unknown: ['question'],
};

export class ClusterTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  readonly onDidChangeTreeData: vscode.Event<TreeNode | undefined>;

  constructor(
    private readonly model: ClusterModel,
    private readonly connection: Connection,
  ) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      // Signed out: no rows, so the view shows its welcome content with the Sign In button.
      if (!(await this.connection.isSignedIn())) {
        return [];
      }
      return this.model.showsZones ? this.model.zones.map((zone) => this.model.zoneNode(zone)) : this.clustersOf(this.model.zones[0]);
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
      case 'cluster': {
        const { cluster } = node;
        const item = new vscode.TreeItem(cluster.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `cluster:${clusterKey(cluster.zone, cluster.clusterId)}`;
        item.description = `${cluster.clusterId} · ${cluster.status}`;
        item.iconPath = new vscode.ThemeIcon('server-environment');
        item.contextValue = 'cluster';
        item.tooltip = new vscode.MarkdownString(
          `**${escapeMarkdown(cluster.name)}**\n\n` +
            `${vscode.l10n.t('Cluster')}: \`${cluster.clusterId}\`  \n` +
            `${vscode.l10n.t('Zone')}: ${cluster.zone}  \n` +
            `${vscode.l10n.t('Status')}: ${cluster.status}`,
        );
        return item;
      }
      case 'job':
        return jobItem(node.job);
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info', node.error ? new vscode.ThemeColor('errorForeground') : undefined);
        item.contextValue = node.error ? 'error' : 'message';
        item.tooltip = node.text;
        return item;
      }
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
      const jobs = await this.model.jobs(cluster);
      return jobs.length > 0 ? jobs : [message(`empty:${key}`, vscode.l10n.t('No jobs.'), cluster)];
    } catch (error) {
      return [errorRow(`error:${key}`, vscode.l10n.t('Could not list the jobs'), error, cluster)];
    }
  }
}

function jobItem(job: Job): vscode.TreeItem {
  const item = new vscode.TreeItem(job.name, vscode.TreeItemCollapsibleState.None);
  item.id = `job:${clusterKey(job.zone, job.clusterId)}/${job.hpcjobUuid}`;
  item.description = `${job.hpcjobUuid} · ${jobStatusLabel(job.status)}`;
  const [icon, color] = STATUS_ICONS[job.status];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = `job.${job.status}`;
  const lines = [
    `**${escapeMarkdown(job.name)}**`,
    '',
    `\`${job.hpcjobUuid}\`${job.jobId !== undefined ? ` · ${vscode.l10n.t('scheduler id')} ${job.jobId}` : ''}  `,
    `${vscode.l10n.t('Status')}: ${jobStatusLabel(job.status)}  `,
  ];
  if (job.queueName) {
    lines.push(`${vscode.l10n.t('Queue')}: ${escapeMarkdown(job.queueName)}  `);
  }
  if (job.submittedTime) {
    lines.push(`${vscode.l10n.t('Submitted')}: ${job.submittedTime}  `);
  }
  item.tooltip = new vscode.MarkdownString(lines.join('\n'));
  return item;
}

function message(id: string, text: string, parent: ZoneNode | ClusterNode | undefined): MessageNode {
  return { kind: 'message', id, text, parent };
}

function errorRow(id: string, what: string, error: unknown, parent: ZoneNode | ClusterNode | undefined): MessageNode {
  const reason = error instanceof Error ? error.message : String(error);
  return { kind: 'message', id, text: `${what}: ${reason}`, parent, error: error instanceof EhpcError ? error : new EhpcError('server', reason) };
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
