// Delete Jobs and Cancel Jobs from the tree and the command palette: which jobs, and one
// confirmation; the batch itself runs in src/batch/runner.ts, shared with the chat tools.
import * as vscode from 'vscode';
import { BatchResult, JobAction, runConfirmedBatch, treeClusterName } from '../batch/runner';
import { ClusterBatch, ClusterPlace, groupByCluster } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { Cluster, Job } from '../ehpc/types';
import { Services } from '../services';
import { readNumber } from '../settings';
import { BatchPhrases, confirmationText } from '../ui/batchSummary';
import { jobsFromTree } from '../tree/nodes';

/**
 * Runs `action` on the jobs of a tree invocation (clicked row + selection) or, from the
 * command palette (no arguments), on jobs the user picks. Resolves the outcome with the
 * summary the user was shown, or undefined when nothing was sent.
 */
export async function runJobAction(
  services: Services,
  action: JobAction,
  clicked?: unknown,
  selection?: unknown,
): Promise<BatchResult | undefined> {
  const picked = clicked === undefined ? await pickJobs(services, action) : jobsFromTree(clicked, selection);
  if (!picked) {
    return undefined;
  }
  const eligible = picked.filter((job) => action.eligible(job));
  if (eligible.length < picked.length && action.phrases.skipped) {
    void vscode.window.showWarningMessage(action.phrases.skipped(picked.length - eligible.length));
  }
  const idle = eligible.filter((job) => !services.busy.kind(job));
  if (idle.length === 0) {
    if (eligible.length > 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Those jobs are already being worked on.'));
    } else if (picked.length === 0) {
      void vscode.window.showInformationMessage(action.phrases.selectSome);
    }
    return undefined;
  }

  const clusterName = treeClusterName(services);
  if (!(await confirm(services, action.phrases, groupByCluster(idle), clusterName))) {
    return undefined;
  }
  return runConfirmedBatch(services, action, idle, { origin: clicked === undefined ? 'palette' : 'tree', notify: true });
}

/** A modal question; from `ehpc.typedConfirmationThreshold` jobs on, the count must be typed. */
function confirm(
  services: Services,
  phrases: BatchPhrases,
  batches: ClusterBatch[],
  clusterName: (place: ClusterPlace) => string,
): Thenable<boolean> {
  const { message, detail, count } = confirmationText(batches, phrases, clusterName);
  const threshold = readNumber('typedConfirmationThreshold');
  return threshold > 0 && count >= threshold
    ? services.prompts.confirmTyped(message, detail, String(count))
    : services.prompts.confirm(message, detail, phrases.button(count));
}

async function pickJobs(services: Services, action: JobAction): Promise<Job[] | undefined> {
  // Let the command wrapper offer "Sign In" rather than a picker that cannot load.
  await services.accounts.requireSignedIn();
  const cluster = await services.prompts.pickCluster(allClusters(services), action.phrases.pickTitle);
  if (!cluster) {
    return undefined;
  }
  // Listed afresh: a picker that offers jobs already gone would mislead.
  const jobs = services.model.allJobs(cluster).then((list) => list.filter((job) => action.eligible(job)));
  return services.prompts.pickJobs(cluster, jobs, action.phrases.pickTitle);
}

/**
 * Every account's clusters, in every zone it lists; a failing zone or account is logged and
 * left out unless all fail.
 */
export async function allClusters(services: Services): Promise<Cluster[]> {
  const results = await Promise.allSettled(services.model.accounts.flatMap(({ name, zones }) => zones.map((zone) => services.model.clusters(name, zone))));
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
