// The words around a batch: the confirmation before it and the summary after it.
import * as vscode from 'vscode';
import { BatchOutcome, ClusterBatch } from '../ehpc/batch';

const NAMES_SHOWN = 5;

export function confirmationText(
  batches: readonly ClusterBatch[],
  clusterName: (batch: ClusterBatch) => string,
): { message: string; detail: string } {
  const jobs = batches.flatMap((batch) => batch.jobs);
  let message: string;
  if (jobs.length === 1) {
    message = vscode.l10n.t('Delete job "{0}" in cluster {1}?', jobs[0].name, clusterName(batches[0]));
  } else if (batches.length === 1) {
    message = vscode.l10n.t('Delete {0} jobs in cluster {1}?', jobs.length, clusterName(batches[0]));
  } else {
    message = vscode.l10n.t('Delete {0} jobs in {1} clusters?', jobs.length, batches.length);
  }
  const lines = jobs.slice(0, NAMES_SHOWN).map((job) => `• ${job.name} (${job.hpcjobUuid})`);
  if (jobs.length > NAMES_SHOWN) {
    lines.push(vscode.l10n.t('…and {0} more', jobs.length - NAMES_SHOWN));
  }
  if (batches.length > 1) {
    lines.push('', vscode.l10n.t('Clusters: {0}', batches.map(clusterName).join(', ')));
  }
  lines.push('', vscode.l10n.t('Deleted jobs cannot be restored.'));
  return { message, detail: lines.join('\n') };
}

/** Tells the user what the server lists after the batch, and logs it per cluster. */
export function reportOutcome(
  outcome: BatchOutcome,
  clusterName: (zone: string, clusterId: string) => string,
  log: vscode.LogOutputChannel,
): void {
  const problems: string[] = [];
  for (const cluster of outcome.clusters) {
    const name = clusterName(cluster.zone, cluster.clusterId);
    log.info(
      `deleteJobs ${cluster.zone}/${cluster.clusterId}: ${cluster.gone.length} gone, ${cluster.stillListed.length} still listed` +
        (cluster.unknown.length ? `, ${cluster.unknown.length} unknown` : '') +
        (cluster.actionError ? `; request failed: ${cluster.actionError.message}` : '') +
        (cluster.listError ? `; listing again failed: ${cluster.listError.message}` : ''),
    );
    if (cluster.stillListed.length > 0) {
      log.warn(`Still listed in ${cluster.clusterId}: ${cluster.stillListed.map((job) => job.hpcjobUuid).join(', ')}`);
      const reason = cluster.actionError?.message ?? vscode.l10n.t('the server kept them');
      problems.push(vscode.l10n.t('{0}: {1} still listed ({2})', name, cluster.stillListed.length, reason));
    }
    if (cluster.unknown.length > 0) {
      problems.push(vscode.l10n.t('{0}: could not check {1} jobs ({2})', name, cluster.unknown.length, cluster.listError?.message ?? ''));
    }
  }
  if (problems.length === 0) {
    void vscode.window.showInformationMessage(
      outcome.gone === 1 ? vscode.l10n.t('Deleted 1 job.') : vscode.l10n.t('Deleted {0} jobs.', outcome.gone),
    );
    return;
  }
  const showLog = vscode.l10n.t('Show Log');
  const summary = vscode.l10n.t('Deleted {0} of {1} jobs.', outcome.gone, outcome.requested);
  void vscode.window.showWarningMessage(`${summary} ${problems.join('; ')}`, showLog).then((choice) => {
    if (choice === showLog) {
      log.show();
    }
  });
}
