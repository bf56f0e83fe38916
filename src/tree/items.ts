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

export function clusterItem(cluster: Cluster, jobs: JobList | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(cluster.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `cluster:${clusterKey(cluster)}`;
  const state = clusterState(cluster);
  // A start or stop under way, from the moment it is accepted until a list shows it ended.
  const transition = state === 'starting' ? vscode.l10n.t('Starting...') : state === 'stopping' ? vscode.l10n.t('Stopping...') : undefined;
  const parts = [cluster.clusterId, transition ?? clusterStatusLabel(cluster.status)];
  if (jobs) {
    parts.push(jobs.totalCount === 1 ? vscode.l10n.t('1 job') : vscode.l10n.t('{0} jobs', jobs.totalCount));
  } else if (cluster.runningJobCount || cluster.pendingJobCount) {
    parts.push(vscode.l10n.t('{0} running, {1} pending', cluster.runningJobCount ?? 0, cluster.pendingJobCount ?? 0));
  }
  item.description = parts.join(' · ');
  item.iconPath = new vscode.ThemeIcon(transition ? 'loading~spin' : 'server-environment');
  // "cluster.stopped" offers Start Cluster, "cluster.active" Stop Cluster (the menus' `when`).
  item.contextValue = `cluster.${state}`;
  item.tooltip = clusterTooltip(cluster);
  return item;
}

/** The cluster's tooltip: where it is, its state, how it is paid and, where listed, what it has used. */
export function clusterTooltip(cluster: Cluster): vscode.MarkdownString {
  const hours = (value: number) => Number(value.toFixed(2)).toLocaleString('en-US');
  const fields: [string, string | undefined][] = [
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
  const watching = watch.watched ? ` · ${vscode.l10n.t('watching')}` : '';
  if (busy) {
    item.description = `${job.hpcjobUuid} · ${busy === 'deleting' ? vscode.l10n.t('Deleting...') : vscode.l10n.t('Cancelling...')}`;
    item.iconPath = new vscode.ThemeIcon('loading~spin');
    // No actions on a job a batch is working on.
    item.contextValue = 'job.busy';
  } else if (watch.cancelling && (job.status === 'pending' || job.status === 'running')) {
    // The stop was sent and the scheduler has not stopped the job yet.
    item.description = `${job.hpcjobUuid} · ${vscode.l10n.t('Cancelling...')}${watching}`;
    item.iconPath = new vscode.ThemeIcon('loading~spin');
    item.contextValue = `job.cancelling${watched}`;
  } else {
    item.description = `${job.hpcjobUuid} · ${jobStatusLabel(job.status)}${watching}`;
    const [icon, color] = STATUS_ICONS[job.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `job.${job.status}${watched}`;
  }
  const fields: [string, string | number | undefined][] = [
    ['hpcjob_uuid', code(job.hpcjobUuid)],
    [vscode.l10n.t('Scheduler job ID'), job.jobId],
    [vscode.l10n.t('Status'), jobStatusLabel(job.status)],
    [vscode.l10n.t('Queue'), job.queueName && escape(job.queueName)],
    [vscode.l10n.t('Run user'), job.runUser && escape(job.runUser)],
    [vscode.l10n.t('Submitted'), job.submittedTime && escape(job.submittedTime)],
    [vscode.l10n.t('Started'), job.startedTime && escape(job.startedTime)],
  ];
  const lines = [`**${escape(job.name)}**`, ''];
  for (const [name, value] of fields) {
    if (value !== undefined && value !== '') {
      lines.push(labelled(name, value));
    }
  }
  if (job.cmdLine) {
    lines.push('', '```sh', job.cmdLine.replace(/```/g, '`\u200b``'), '```');
  }
  item.tooltip = markdown(lines);
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
