// What Cancel and Delete do to jobs, with their words: the tree, the palette and the chat tools run them.
import * as vscode from 'vscode';
import { isCancelled, isDeleted } from '../ehpc/batch';
import { JobAction } from './runner';

/**
 * "Cancel Jobs" (the API's stopJobs): for pending and running jobs; they stay listed. The stop
 * is asynchronous: the batch waits a few seconds for it ("Cancelling..."), then hands the jobs
 * still stopping to the watch, which says when they have stopped or why they could not.
 */
export const cancelAction: JobAction = {
  name: 'cancel',
  busy: 'cancelling',
  eligible: (job) => job.status === 'pending' || job.status === 'running',
  send: (client, zone, clusterId, ids) => client.stopJobs(zone, clusterId, ids),
  // A quick stop is reported at once; a slow one is not worth holding the progress for.
  asynchronous: { waitMs: 3000 },
  isDone: isCancelled,
  phrases: {
    questionOne: (job, cluster) => vscode.l10n.t('Cancel job "{0}" in cluster {1}?', job, cluster),
    questionOneCluster: (count, cluster) => vscode.l10n.t('Cancel {0} jobs in cluster {1}?', count, cluster),
    questionManyClusters: (count, clusters) => vscode.l10n.t('Cancel {0} jobs in {1} clusters?', count, clusters),
    consequence: vscode.l10n.t('Their running processes are stopped; the jobs stay listed as cancelled.'),
    // A verb that says what happens, unlike the dialog's own "Cancel" (which keeps them running).
    button: (count) => (count === 1 ? vscode.l10n.t('Stop Job') : vscode.l10n.t('Stop {0} Jobs', count)),
    progress: (count) => (count === 1 ? vscode.l10n.t('Cancelling 1 job...') : vscode.l10n.t('Cancelling {0} jobs...', count)),
    allDone: (count) => (count === 1 ? vscode.l10n.t('Cancelled 1 job.') : vscode.l10n.t('Cancelled {0} jobs.', count)),
    someDone: (done, requested) => (requested === 1 && done === 0 ? vscode.l10n.t('Cancelled 0 of 1 job;') : vscode.l10n.t('Cancelled {0} of {1} jobs;', done, requested)),
    confirmedDone: (done, requested) => vscode.l10n.t('Confirmed cancelled: {0} of {1} jobs;', done, requested),
    inProgress: (count, cluster) => vscode.l10n.t('{0} still stopping in cluster {1} (the server accepted the request; refresh later)', count, cluster),
    watching: (count) => (count === 1 ? vscode.l10n.t('Cancel requested for 1 job; watching until it stops.') : vscode.l10n.t('Cancel requested for {0} jobs; watching until they stop.', count)),
    remaining: (count, cluster) => vscode.l10n.t('{0} still pending or running in cluster {1}', count, cluster),
    skipped: (count) =>
      count === 1
        ? vscode.l10n.t('1 job is neither pending nor running, so it was left alone.')
        : vscode.l10n.t('{0} jobs are neither pending nor running, so they were left alone.', count),
    selectSome: vscode.l10n.t('Select one or more pending or running jobs to cancel.'),
    pickTitle: vscode.l10n.t('Cancel Jobs'),
  },
};

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
    live: (running, pending, total) => {
      if (running + pending === 0) {
        return undefined;
      }
      if (total === 1) {
        return running ? vscode.l10n.t('It is running: it is stopped first.') : vscode.l10n.t('It is pending: it is stopped first.');
      }
      return running && pending
        ? vscode.l10n.t('{0} of them running and {1} pending: they are stopped first.', running, pending)
        : running
          ? vscode.l10n.t('{0} of them running: they are stopped first.', running)
          : vscode.l10n.t('{0} of them pending: they are stopped first.', pending);
    },
    button: () => vscode.l10n.t('Delete'),
    progress: (count) => (count === 1 ? vscode.l10n.t('Deleting 1 job...') : vscode.l10n.t('Deleting {0} jobs...', count)),
    allDone: (count) => (count === 1 ? vscode.l10n.t('Deleted 1 job.') : vscode.l10n.t('Deleted {0} jobs.', count)),
    someDone: (done, requested) => (requested === 1 && done === 0 ? vscode.l10n.t('Deleted 0 of 1 job;') : vscode.l10n.t('Deleted {0} of {1} jobs;', done, requested)),
    confirmedDone: (done, requested) => vscode.l10n.t('Confirmed deleted: {0} of {1} jobs;', done, requested),
    remaining: (count, cluster) => vscode.l10n.t('{0} still listed in cluster {1}', count, cluster),
    selectSome: vscode.l10n.t('Select one or more jobs to delete.'),
    pickTitle: vscode.l10n.t('Delete Jobs'),
  },
};
