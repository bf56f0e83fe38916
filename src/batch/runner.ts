// Runs a batch the user has confirmed, for every path that acts on jobs: the tree, the
// command palette and the chat tools. One request per cluster (chunked past the API's limit),
// clusters concurrently, under a progress indicator; "Deleting..." on the rows meanwhile;
// then exactly the jobs sent are looked up again, unfiltered, and that is what the user is
// told. The tree lists the touched clusters again alongside, for the view only.
import * as vscode from 'vscode';
import { BatchOutcome, groupByCluster, runBatch } from '../ehpc/batch';
import { EhpcClient } from '../ehpc/client';
import { lookupJobs } from '../ehpc/lookup';
import { waitForOperations } from '../ehpc/operations';
import { Job } from '../ehpc/types';
import { Services } from '../services';
import { BusyKind } from '../tree/busyMarks';
import { BatchPhrases, showSummary, summarize } from '../ui/batchSummary';

export interface JobAction {
  readonly name: 'delete' | 'cancel';
  readonly busy: BusyKind;
  /** Whether the action applies to a job in this state (Cancel: pending or running only). */
  eligible(job: Job): boolean;
  /** One request; resolves the id of the asynchronous operation it started, if any. */
  send(client: EhpcClient, zone: string, clusterId: string, hpcjobUuids: string[]): Promise<string | undefined | void>;
  /**
   * Whether the server works on the request after answering it (stopJobs): the batch waits
   * this long for it, then hands the jobs still under way to the watch.
   */
  readonly asynchronous?: { readonly waitMs: number };
  isDone(job: Pick<Job, 'status'> | undefined): boolean;
  readonly phrases: BatchPhrases;
}

export type BatchResult = BatchOutcome & { summary: string };

/** How a confirmed batch runs. */
export interface BatchRun {
  /** Who asked, for the log: "tree", "palette", "tool ehpc_deleteJobs". */
  readonly origin: string;
  /**
   * True: a progress notification and the summary as a message. False (chat tools): progress
   * in the status bar only, since the chat shows its own progress and the result.
   */
  readonly notify: boolean;
  /** Default: the name the tree knows, else the id. */
  readonly clusterName?: (zone: string, clusterId: string) => string;
}

let batchCount = 0;

/**
 * Marks the jobs busy, sends, checks, summarizes, and clears the marks. Jobs another batch
 * already works on are left out (only marked jobs may be sent); undefined when none remain.
 * A sign-out (or a sign-in with another key) stops the batch before its next request.
 */
export async function runConfirmedBatch(services: Services, action: JobAction, confirmed: readonly Job[], run: BatchRun): Promise<BatchResult | undefined> {
  // Another batch may have taken some of these while the question was open.
  const jobs = services.busy.mark(confirmed, action.busy);
  if (jobs.length === 0) {
    return undefined;
  }
  try {
    const { client, isCurrent } = await services.connection.session();
    const batches = groupByCluster(jobs);
    const batchId = ++batchCount;
    const clusterName = run.clusterName ?? treeClusterName(services);
    services.log.info(`Batch #${batchId} (${run.origin}): ${action.name} ${jobs.length} job(s) in ${batches.length} cluster(s).`);
    const outcome = await vscode.window.withProgress(
      { location: run.notify ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window, title: action.phrases.progress(jobs.length) },
      () =>
        runBatch(batches, {
          act: (zone, clusterId, ids) => action.send(client, zone, clusterId, ids),
          mayContinue: isCurrent,
          settle: action.asynchronous ? (zone, _clusterId, operations) => waitForOperations(client, zone, operations, { mayContinue: isCurrent, timeoutMs: action.asynchronous?.waitMs }) : undefined,
          lookup: async (zone, clusterId, ids) => {
            const [found] = await Promise.all([lookupJobs(client, zone, clusterId, ids), reloadTree(services, zone, clusterId)]);
            return found;
          },
          isDone: (job) => action.isDone(job),
        }),
    );
    if (!isCurrent()) {
      services.log.warn(`Batch #${batchId}: the key changed during the batch; it sent nothing after that.`);
    } else {
      watchUnderWay(services, outcome, jobs);
    }
    const summary = summarize(outcome, batchId, action.phrases, clusterName, services.log);
    if (run.notify) {
      showSummary(summary, services.log);
    }
    return { ...outcome, summary: summary.message };
  } finally {
    services.busy.clear(jobs);
  }
}

/** Jobs still stopping are followed by the watch ("Cancelling..." until they end). */
function watchUnderWay(services: Services, outcome: BatchOutcome, jobs: readonly Job[]): void {
  const byId = new Map(jobs.map((job) => [job.hpcjobUuid, job]));
  for (const cluster of outcome.clusters) {
    const underWay = cluster.inProgress.flatMap((ref) => byId.get(ref.hpcjobUuid) ?? []);
    if (underWay.length > 0) {
      services.watch.watch(underWay, { operationIds: cluster.operations, cancelRequested: true });
    }
  }
}

/** Lists the cluster again for the view; its failure shows in the tree, not in the outcome. */
async function reloadTree(services: Services, zone: string, clusterId: string): Promise<void> {
  try {
    await services.model.reloadJobs(zone, clusterId);
  } catch (error) {
    services.log.warn(`Listing ${clusterId} again for the view failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function treeClusterName(services: Services): (zone: string, clusterId: string) => string {
  return (zone, clusterId) => services.model.findCluster(zone, clusterId)?.cluster.name ?? clusterId;
}
