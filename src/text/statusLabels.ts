// The words for a job's and a cluster's state, for the tree, the watch, the commands and the forms.
import * as vscode from 'vscode';
import { JobStatus } from '../ehpc/types';

export function jobStatusLabel(status: JobStatus): string {
  switch (status) {
    case 'pending':
      return vscode.l10n.t('pending');
    case 'running':
      return vscode.l10n.t('running');
    case 'finished':
      return vscode.l10n.t('finished');
    case 'exited':
      return vscode.l10n.t('exited');
    case 'cancelled':
      return vscode.l10n.t('cancelled');
    case 'stopped':
      return vscode.l10n.t('stopped');
    default:
      return vscode.l10n.t('unknown');
  }
}

/**
 * A cluster's state (cluster_status), in the words of QingCloud's cluster list (活跃, 创建中,
 * 关机, 暂停). A cluster's pending and stopped are not a job's, so they have their own words.
 * A state this version does not know is shown as the server sent it.
 */
export function clusterStatusLabel(status: string): string {
  switch (status) {
    case 'active':
      return vscode.l10n.t('active');
    case 'pending':
      return vscode.l10n.t('creating');
    case 'stopped':
      return vscode.l10n.t('shut down');
    case 'suspended':
      return vscode.l10n.t('suspended');
    case 'unknown':
    case '':
      return vscode.l10n.t('unknown');
    default:
      return status;
  }
}
