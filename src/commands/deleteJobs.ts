import * as vscode from 'vscode';
import { BatchOutcome, ClusterBatch, groupByCluster, JobRef, runBatch } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { Cluster } from '../ehpc/types';
import { Services } from '../services';
import { isJobNode } from '../tree/nodes';
import { confirmationText, reportOutcome } from '../ui/batchSummary';

/**
 * "Delete Jobs". From the tree VS Code passes the clicked row and the selection; from the
 * command palette nothing, and the user picks a cluster and its jobs.
 * Resolves the outcome (undefined when nothing was sent), for tests.
 */
export async function deleteJobs(services: Services, clicked?: unknown, selection?: unknown): Promise<BatchOutcome | undefined> {
  const jobs = clicked === undefined ? await pickJobs(services) : jobsFromTree(clicked, selection);
  if (!jobs) {
    return undefined;
  }
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select one or more jobs to delete.'));
    return undefined;
  }
  const batches = groupByCluster(jobs);
  const clusterName = (batch: ClusterBatch) => services.model.findCluster(batch.zone, batch.clusterId)?.cluster.name ?? batch.clusterId;
  const { message, detail } = confirmationText(batches, clusterName);
  if (!(await services.prompts.confirm(message, detail, vscode.l10n.t('Delete')))) {
    return undefined;
  }

  const client = await services.connection.client();
  const count = batches.reduce((sum, batch) => sum + batch.jobs.length, 0);
  services.log.info(`Deleting ${count} job(s) in ${batches.length} cluster(s).`);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deleting {0} jobs…', count) },
    () =>
      runBatch(
        batches,
        (zone, clusterId, ids) => client.deleteJobs(zone, clusterId, ids),
        (zone, clusterId) => services.model.reloadJobs(zone, clusterId),
      ),
  );
  reportOutcome(outcome, (zone, clusterId) => clusterName({ zone, clusterId, jobs: [] }), services.log);
  return outcome;
}

/** The selection if the clicked row is part of it, else the clicked row alone; jobs only. */
function jobsFromTree(clicked: unknown, selection: unknown): JobRef[] {
  const rows = Array.isArray(selection) && selection.includes(clicked) ? selection : [clicked];
  return rows.filter(isJobNode).map((node) => node.job);
}

async function pickJobs(services: Services): Promise<JobRef[] | undefined> {
  if (!(await services.connection.isSignedIn())) {
    // Let the wrapper offer "Sign In" rather than a picker that cannot load.
    await services.connection.client();
  }
  const cluster = await services.prompts.pickCluster(allClusters(services));
  if (!cluster) {
    return undefined;
  }
  // Listed afresh: a picker that offers jobs already gone would mislead.
  return services.prompts.pickJobs(cluster, services.model.reloadJobs(cluster.zone, cluster.clusterId));
}

/** Every configured zone's clusters; a failing zone is logged and left out unless all fail. */
async function allClusters(services: Services): Promise<Cluster[]> {
  const results = await Promise.allSettled(services.model.zones.map((zone) => services.model.clusters(zone)));
  const clusters = results.flatMap((result) => (result.status === 'fulfilled' ? result.value.map((node) => node.cluster) : []));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  for (const failure of failures) {
    services.log.warn(`Could not list clusters: ${failure instanceof Error ? failure.message : String(failure)}`);
  }
  if (clusters.length === 0 && failures.length > 0) {
    throw failures[0] instanceof EhpcError ? failures[0] : new Error(String(failures[0]));
  }
  return clusters;
}
