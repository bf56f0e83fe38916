import * as vscode from 'vscode';
import { isDeleted } from '../ehpc/batch';
import { Services } from '../services';
import { BatchResult, JobAction } from '../batch/runner';
import { runJobAction } from './jobAction';

/** "Delete Jobs": any job may be deleted; done once the cluster no longer lists it. */
export const deleteAction: JobAction = {
  name: 'delete',
  busy: 'deleting',
  eligible: () => true,
  send: (client, zone, clusterId, ids) => client.deleteJobs(zone, clusterId, ids),
  isDone: isDeleted,
  phrases: {
    questionOne: (job, cluster) => vscode.l10n.t('Delete job "{0}" in cluster {1}?', job, cluster),
    questionOneCluster: (count, cluster) => vscode.l10n.t('Delete {0} jobs in cluster {1}?', count, cluster),
    questionManyClusters: (count, clusters) => vscode.l10n.t('Delete {0} jobs in {1} clusters?', count, clusters),
    consequence: vscode.l10n.t('Deleted jobs cannot be restored.'),
    button: vscode.l10n.t('Delete'),
    progress: (count) => (count === 1 ? vscode.l10n.t('Deleting 1 job...') : vscode.l10n.t('Deleting {0} jobs...', count)),
    allDone: (count) => (count === 1 ? vscode.l10n.t('Deleted 1 job.') : vscode.l10n.t('Deleted {0} jobs.', count)),
    someDone: (done, requested) => (requested === 1 && done === 0 ? vscode.l10n.t('Deleted 0 of 1 job;') : vscode.l10n.t('Deleted {0} of {1} jobs;', done, requested)),
    confirmedDone: (done, requested) => vscode.l10n.t('Confirmed deleted: {0} of {1} jobs;', done, requested),
    remaining: (count, cluster) => vscode.l10n.t('{0} still listed in cluster {1}', count, cluster),
    selectSome: vscode.l10n.t('Select one or more jobs to delete.'),
    pickTitle: vscode.l10n.t('Delete Jobs'),
  },
};

/**
 * The Delete key in the tree, as the Explorer's: the row the keyboard outline is on (`focused`,
 * which the keybinding asks VS Code for) with the rest of the selection when it is part of it,
 * else that row alone; the selection when no row has the outline. Never the palette's pickers.
 */
export function deleteSelection(services: Services, focused?: unknown): Promise<BatchResult | undefined> {
  const selection = services.treeView.selection;
  const target = focused ?? selection[0];
  if (target === undefined) {
    void vscode.window.showInformationMessage(deleteAction.phrases.selectSome);
    return Promise.resolve(undefined);
  }
  return runJobAction(services, deleteAction, target, selection);
}
