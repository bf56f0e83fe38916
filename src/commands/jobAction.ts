// The machinery Delete Jobs and Cancel Jobs share: which jobs, one confirmation, one
// request per cluster sent concurrently under a progress notification, "Deleting..." on
// the rows meanwhile, then the touched clusters listed again and a summary of what is left.
// runJobAction asks (tree, palette); runConfirmedBatch runs what was confirmed, also for the
// chat tools, whose confirmation VS Code shows.
import * as vscode from 'vscode';
import { BatchOutcome, ClusterBatch, ClusterLister, groupByCluster, runBatch } from '../ehpc/batch';
import { EhpcClient } from '../ehpc/client';
import { EhpcError } from '../ehpc/errors';
import { Cluster, Job } from '../ehpc/types';
import { Services } from '../services';
import { BusyKind } from '../tree/busyMarks';
import { BatchPhrases, confirmationText, showSummary, summarize } from '../ui/batchSummary';
import { jobsFromTree } from '../tree/nodes';

export interface JobAction {
  readonly name: 'delete' | 'cancel';
  readonly busy: BusyKind;
  /** Whether the action applies to a job in this state (Cancel: pending or running only). */
  eligible(job: Job): boolean;
  send(client: EhpcClient, zone: string, clusterId: string, hpcjobUuids: string[]): Promise<void>;
  isDone(listed: Pick<Job, 'status'> | undefined): boolean;
  readonly phrases: BatchPhrases;
}

let batchCount = 0;

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

export type BatchResult = BatchOutcome & { summary: string };

/** How a confirmed batch runs; the tree and palette use the defaults. */
export interface BatchRun {
  /** Who asked, for the log: "tree", "palette", "tool ehpc_deleteJobs". */
  readonly origin: string;
  /**
   * True: a progress notification and the summary as a message. False (chat tools): progress
   * in the status bar only, since the chat shows its own progress and the result.
   */
  readonly notify: boolean;
  /** Lists a cluster afterwards, the truth the outcome is read from. Default: the tree's reloadJobs. */
  readonly relist?: ClusterLister;
  /** Default: the name the tree knows, else the id. */
  readonly clusterName?: (zone: string, clusterId: string) => string;
}

/**
 * Runs a batch the user has already confirmed: marks the jobs busy ("Deleting..." in the
 * tree), sends one request per cluster under a progress indicator, lists the touched clusters
 * again, summarizes, and clears the marks. Jobs another batch already works on are left out
 * (only marked jobs may be sent); undefined when none remain.
 */
export async function runConfirmedBatch(
  services: Services,
  action: JobAction,
  confirmed: readonly Job[],
  run: BatchRun,
): Promise<BatchResult | undefined> {
  // Another batch may have taken some of these while the question was open.
  const jobs = services.busy.mark(confirmed, action.busy);
  if (jobs.length === 0) {
    return undefined;
  }
  try {
    const client = await services.connection.client();
    const batches = groupByCluster(jobs);
    const batchId = ++batchCount;
    const clusterName = run.clusterName ?? treeClusterName(services);
    const relist = run.relist ?? ((zone, clusterId) => services.model.reloadJobs(zone, clusterId));
    services.log.info(`Batch #${batchId} (${run.origin}): ${action.name} ${jobs.length} job(s) in ${batches.length} cluster(s).`);
    const outcome = await vscode.window.withProgress(
      { location: run.notify ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window, title: action.phrases.progress(jobs.length) },
      () =>
        runBatch(batches, {
          act: (zone, clusterId, ids) => action.send(client, zone, clusterId, ids),
          relist,
          lookup: (zone, clusterId, hpcjobUuid) => client.findJob(zone, clusterId, hpcjobUuid),
          isDone: (listed) => action.isDone(listed),
        }),
    );
    const summary = summarize(outcome, batchId, action.phrases, clusterName, services.log);
    if (run.notify) {
      showSummary(summary, services.log);
    }
    return { ...outcome, summary: summary.message };
  } finally {
    services.busy.clear(jobs);
  }
}

function treeClusterName(services: Services): (zone: string, clusterId: string) => string {
  return (zone, clusterId) => services.model.findCluster(zone, clusterId)?.cluster.name ?? clusterId;
}

/** A modal question; from `ehpc.typedConfirmationThreshold` jobs on, the count must be typed. */
function confirm(
  services: Services,
  phrases: BatchPhrases,
  batches: ClusterBatch[],
  clusterName: (zone: string, clusterId: string) => string,
): Thenable<boolean> {
  const { message, detail, count } = confirmationText(batches, phrases, (batch) => clusterName(batch.zone, batch.clusterId));
  const threshold = vscode.workspace.getConfiguration('ehpc').get<number>('typedConfirmationThreshold', 20);
  return threshold > 0 && count >= threshold
    ? services.prompts.confirmTyped(message, detail, String(count))
    : services.prompts.confirm(message, detail, phrases.button);
}

async function pickJobs(services: Services, action: JobAction): Promise<Job[] | undefined> {
  if (!(await services.connection.isSignedIn())) {
    // Let the command wrapper offer "Sign In" rather than a picker that cannot load.
    await services.connection.client();
  }
  const cluster = await services.prompts.pickCluster(allClusters(services), action.phrases.pickTitle);
  if (!cluster) {
    return undefined;
  }
  // Listed afresh: a picker that offers jobs already gone would mislead.
  const jobs = services.model.allJobs(cluster.zone, cluster.clusterId).then((list) => list.filter((job) => action.eligible(job)));
  return services.prompts.pickJobs(cluster, jobs, action.phrases.pickTitle);
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
