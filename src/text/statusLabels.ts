// The words for a job's, a cluster's and a node's state, for the tree, the watch, the commands
// and the forms: one table per kind. Each word is looked up when shown, so it is in the
// language of the moment.
import * as vscode from 'vscode';
import { JobStatus } from '../ehpc/types';

type Labels = Readonly<Record<string, () => string>>;

/** The word for `key`, or `otherwise` when the table has none (a name such as "constructor" included). */
function labelOf(labels: Labels, key: string, otherwise: () => string): string {
  return Object.hasOwn(labels, key) ? labels[key]() : otherwise();
}

const JOB_STATUS: Readonly<Record<JobStatus, () => string>> = {
  pending: () => vscode.l10n.t('pending'),
  running: () => vscode.l10n.t('running'),
  finished: () => vscode.l10n.t('finished'),
  exited: () => vscode.l10n.t('exited'),
  cancelled: () => vscode.l10n.t('cancelled'),
  stopped: () => vscode.l10n.t('stopped'),
  unknown: () => vscode.l10n.t('unknown'),
};

export function jobStatusLabel(status: JobStatus): string {
  return labelOf(JOB_STATUS, status, () => vscode.l10n.t('unknown'));
}

/**
 * A cluster's state (cluster_status), in the words of QingCloud's cluster list (活跃, 创建中,
 * 关机, 暂停); a node's state too. A cluster's pending and stopped are not a job's, so they
 * have their own words.
 */
const CLUSTER_STATUS: Labels = {
  active: () => vscode.l10n.t('active'),
  pending: () => vscode.l10n.t('creating'),
  stopped: () => vscode.l10n.t('shut down'),
  suspended: () => vscode.l10n.t('suspended'),
  unknown: () => vscode.l10n.t('unknown'),
  '': () => vscode.l10n.t('unknown'),
};

/** A state this version does not know is shown as the server sent it. */
export function clusterStatusLabel(status: string): string {
  return labelOf(CLUSTER_STATUS, status, () => status);
}

const NODE_ROLE: Labels = {
  login: () => vscode.l10n.t('login'),
  compute: () => vscode.l10n.t('compute'),
  controller: () => vscode.l10n.t('controller'),
  '': () => vscode.l10n.t('unknown'),
};

/** A node's role; one this version does not know as the server sent it. */
export function nodeRoleLabel(role: string): string {
  return labelOf(NODE_ROLE, role, () => role);
}

const NODE_HEALTH: Labels = {
  healthy: () => vscode.l10n.t('healthy'),
  unhealthy: () => vscode.l10n.t('unhealthy'),
};

/** A node's health_status; one this version does not know as the server sent it. */
export function nodeHealthLabel(health: string): string {
  return labelOf(NODE_HEALTH, health, () => health);
}
