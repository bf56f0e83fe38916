// How a cluster and a job look in the tree: label, description, icon, tooltip, context value.
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { clusterState } from '../clusters/state';
import { Cluster, Job, JobStatus, PaidType } from '../ehpc/types';
import { labelled } from '../text/punctuation';
import { BusyKind } from './busyMarks';
import { clusterStatusLabel, jobStatusLabel } from '../text/statusLabels';
import { JobList } from './jobLists';

const STATUS_ICONS: Record<JobStatus, [icon: string, color?: string]> = {
  pending: ['clock', 'charts.yellow'],
  running: ['play-circle', 'charts.blue'],
  finished: ['pass', 'charts.green'],
  exited: ['error', 'charts.red'],
  cancelled: ['circle-slash', 'disabledForeground'],
  stopped: ['debug-stop', 'charts.orange'],
  unknown: ['question', 'disabledForeground'],
};

export function clusterItem(cluster: Cluster, jobs: JobList | undefined, filtered = false): vscode.TreeItem {
  const item = new vscode.TreeItem(cluster.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `cluster:${clusterKey(cluster)}`;
  const state = clusterState(cluster);
  // A start or stop under way, from the moment it is accepted until a list shows it ended.
  const transition = state === 'starting' ? vscode.l10n.t('Starting...') : state === 'stopping' ? vscode.l10n.t('Stopping...') : undefined;
  // The state first and the id last: a narrow sidebar cuts the end off.
  const parts = [transition ?? clusterStatusLabel(cluster.status)];
  // The cluster list's counts, expanded or not: what runs now means the same before and after.
  if (cluster.runningJobCount || cluster.pendingJobCount) {
    parts.push(vscode.l10n.t('{0} running, {1} pending', cluster.runningJobCount ?? 0, cluster.pendingJobCount ?? 0));
  }
  if (jobs && filtered) {
    parts.push(jobs.totalCount === 1 ? vscode.l10n.t('1 matches filter') : vscode.l10n.t('{0} match filter', jobs.totalCount));
  }
  parts.push(cluster.clusterId);
  item.description = parts.join(' · ');
  item.iconPath = transition ? new vscode.ThemeIcon('loading~spin') : clusterIcon(state);
  // "cluster.stopped" offers Start Cluster, "cluster.active" Stop Cluster (the menus' `when`).
  item.contextValue = `cluster.${state}`;
  item.tooltip = clusterTooltip(cluster, jobs && !filtered ? jobs.totalCount : undefined);
  return item;
}

/** A suspended cluster pauses, a shut-down one is dimmed: neither looks like one at work. */
function clusterIcon(state: string): vscode.ThemeIcon {
  if (state === 'suspended') {
    return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('disabledForeground'));
  }
  return state === 'stopped' ? new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('disabledForeground')) : new vscode.ThemeIcon('server-environment');
}

/** The cluster's tooltip: where it is, its state, its jobs, how it is paid and, where listed, what it has used. */
export function clusterTooltip(cluster: Cluster, jobCount?: number): vscode.MarkdownString {
  const hours = (value: number) => Number(value.toFixed(2)).toLocaleString('en-US');
  const fields: [string, string | undefined][] = [
    [vscode.l10n.t('Jobs'), jobCount === undefined ? undefined : String(jobCount)],
    [vscode.l10n.t('Billing'), cluster.paidType && paidTypeLabel(cluster.paidType)],
    [vscode.l10n.t('CPU hours'), cluster.cpuHours === undefined ? undefined : hours(cluster.cpuHours)],
    [vscode.l10n.t('Memory hours'), cluster.memHours === undefined ? undefined : hours(cluster.memHours)],
  ];
  return markdown([
    `**${escape(cluster.name)}**`,
    '',
    labelled(vscode.l10n.t('Cluster'), code(cluster.clusterId)),
    labelled(vscode.l10n.t('Zone'), escape(cluster.zone)),
    labelled(vscode.l10n.t('Status'), escape(clusterStatusLabel(cluster.status))),
    ...fields.flatMap(([name, value]) => (value === undefined ? [] : [labelled(name, escape(value))])),
  ]);
}

/** PayForUsed is billed while it runs, not while stopped; Reserved is paid ahead. */
export function paidTypeLabel(paidType: PaidType): string {
  switch (paidType) {
    case 'PayForUsed':
      return vscode.l10n.t('pay-as-you-go (not billed while stopped)');
    case 'Reserved':
      return vscode.l10n.t('reserved (paid ahead)');
    default:
      return vscode.l10n.t('unknown');
  }
}

/** How the watch sees a job: followed, and whether a cancel sent for it is still under way. */
export interface WatchMark {
  watched: boolean;
  cancelling: boolean;
}

export function jobItem(job: Job, busy: BusyKind | undefined, watch: WatchMark = { watched: false, cancelling: false }): vscode.TreeItem {
  const item = new vscode.TreeItem(job.name, vscode.TreeItemCollapsibleState.None);
  item.id = `job:${clusterKey(job)}/${job.hpcjobUuid}`;
  // Watched rows end in ".watched" (Stop Watching); the menus' `when` clauses allow for it.
  const watched = watch.watched ? '.watched' : '';
  // The state, then "watching", then the id: a narrow sidebar cuts the id, not the state.
  const description = (state: string) => [state, ...(watch.watched ? [vscode.l10n.t('watching')] : []), job.hpcjobUuid].join(' · ');
  if (busy) {
    item.description = [busy === 'deleting' ? vscode.l10n.t('Deleting...') : vscode.l10n.t('Cancelling...'), job.hpcjobUuid].join(' · ');
    item.iconPath = new vscode.ThemeIcon('loading~spin');
    // No actions on a job a batch is working on.
    item.contextValue = 'job.busy';
  } else if (watch.cancelling && (job.status === 'pending' || job.status === 'running')) {
    // The stop was sent and the scheduler has not stopped the job yet.
    item.description = description(vscode.l10n.t('Cancelling...'));
    item.iconPath = new vscode.ThemeIcon('loading~spin');
    item.contextValue = `job.cancelling${watched}`;
  } else {
    item.description = description(jobStatusLabel(job.status));
    const [icon, color] = STATUS_ICONS[job.status];
    // A watched job shows an eye in its state's colour.
    item.iconPath = new vscode.ThemeIcon(watch.watched ? 'eye' : icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `job.${job.status}${watched}`;
  }
  // The tooltip is drawn on hover (ClusterTreeProvider.resolveTreeItem, jobTooltip.ts).
  return item;
}

export function markdown(lines: string[]): vscode.MarkdownString {
  // Two trailing spaces: a line break inside a Markdown paragraph.
  return new vscode.MarkdownString(lines.map((line) => (line && !line.startsWith('```') ? `${line}  ` : line)).join('\n'));
}

/** Server text shown as itself: no markup, and no link (":" and "." escaped, so no bare address becomes one). */
export function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|:~=]/g, '\\$&');
}

/** Server text as code, `like this`; escaped text instead when a backquote or line break would end the code early. */
export function code(text: string): string {
  return /[`\r\n]/.test(text) ? escape(text) : `\`${text}\``;
}
