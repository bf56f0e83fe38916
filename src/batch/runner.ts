// Runs a batch the user has confirmed, for every path that acts on jobs: the tree, the
// command palette and the chat tools. One request per cluster (chunked past the API's limit),
// clusters concurrently, under a progress indicator; "Deleting..." on the rows meanwhile;
// then exactly the jobs sent are looked up again, unfiltered, and that is what the user is
// told. The tree lists the touched clusters again alongside, for the view only.
import * as vscode from 'vscode';
import { BatchOutcome, ClusterPlace, clusterKey, groupByCluster, runBatch } from '../ehpc/batch';
import { EhpcClient } from '../ehpc/client';
import { lookupJobs } from '../ehpc/lookup';
import { waitForOperations } from '../ehpc/operations';
import { Job } from '../ehpc/types';
import { Services } from '../services';
import { BusyKind } from '../tree/busyMarks';
import { BatchPhrases, showSummary, summarize } from '../ui/batchSummary';
import { withAside } from '../text/punctuation';
import { Session } from '../accounts/connection';
import { tellInStatusBar } from '../watch/notifications';

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
  /** Default: the name the tree knows, else the id (and the account's, when there are several). */
  readonly clusterName?: (place: ClusterPlace) => string;
}

let batchCount = 0;

/**
 * Marks the jobs busy, sends, checks, summarizes, and clears the marks. Jobs another batch
 * already works on are left out (only marked jobs may be sent); undefined when none remain.
 * Each account's clusters go with that account's key. A sign-out of an account (or a
 * sign-in with another key, or its removal) stops its part before its next request.
 */
export async function runConfirmedBatch(services: Services, action: JobAction, confirmed: readonly Job[], run: BatchRun): Promise<BatchResult | undefined> {
  // Another batch may have taken some of these while the question was open.
  const jobs = services.busy.mark(confirmed, action.busy);
  if (jobs.length === 0) {
    return undefined;
  }
  try {
    const sessions = await sessionsFor(services, jobs);
    const session = (place: ClusterPlace) => sessions.get(place.account)!;
    const mayContinue = (account: string) => sessions.get(account)?.isCurrent() ?? false;
    const batches = groupByCluster(jobs);
    const batchId = ++batchCount;
    // Named now: an account removed during the batch leaves the tree (and its names) before the summary.
    const namer = run.clusterName ?? treeClusterName(services);
    const names = new Map(batches.map((batch) => [clusterKey(batch), namer(batch)]));
    const clusterName = (place: ClusterPlace) => names.get(clusterKey(place)) ?? namer(place);
    services.log.info(`Batch #${batchId} (${run.origin}): ${action.name} ${jobs.length} job(s) in ${batches.length} cluster(s).`);
    const outcome = await vscode.window.withProgress(
      { location: run.notify ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window, title: action.phrases.progress(jobs.length) },
      () =>
        runBatch(batches, {
          act: (place, ids) => action.send(session(place).client, place.zone, place.clusterId, ids),
          mayContinue,
          settle: action.asynchronous
            ? (place, operations) => waitForOperations(session(place).client, place.zone, operations, { mayContinue: () => mayContinue(place.account), timeoutMs: action.asynchronous?.waitMs })
            : undefined,
          lookup: async (place, ids) => {
            const [found] = await Promise.all([lookupJobs(session(place).client, place.zone, place.clusterId, ids), reloadTree(services, place)]);
            return found;
          },
          isDone: (job) => action.isDone(job),
        }),
    );
    const ended = [...sessions.keys()].filter((account) => !mayContinue(account));
    if (ended.length > 0) {
      services.log.warn(`Batch #${batchId}: the key of ${ended.map((name) => JSON.stringify(name)).join(', ')} changed (or was removed) during the batch; it sent nothing more with it.`);
    }
    // Jobs the batch is done with (deleted, or stopped) are told by its summary: not again by the watch.
    services.watch.unwatch(outcome.clusters.flatMap((cluster) => cluster.done.map((ref) => ref.hpcjobUuid)));
    // Jobs of an account signed out of are no longer followed either.
    watchUnderWay(services, { ...outcome, clusters: outcome.clusters.filter((cluster) => mayContinue(cluster.account)) }, jobs);
    const summary = summarize(outcome, batchId, action.phrases, clusterName, services.log);
    if (run.notify && summary.complete) {
      // All done as asked: the tree shows it already, so a word in the status bar is enough.
      tellInStatusBar(services.notifier, summary.message);
    } else if (run.notify) {
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

/**
 * A session per account the jobs belong to, taken before anything is sent. An account that
 * cannot give one (signed out, removed) has none: its jobs are not sent, and the summary
 * says so. When no account can, the first reason is the command's error (it offers Sign In).
 */
async function sessionsFor(services: Services, jobs: readonly Job[]): Promise<Map<string, Session>> {
  const names = [...new Set(jobs.map((job) => job.account))];
  const results = await Promise.allSettled(names.map((name) => Promise.resolve().then(() => services.accounts.connection(name).session())));
  const sessions = new Map<string, Session>();
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') {
      sessions.set(names[i], result.value);
    } else {
      services.log.warn(`No session for the account ${JSON.stringify(names[i])}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
    }
  });
  const failed = results.find((result) => result.status === 'rejected');
  if (sessions.size === 0 && failed) {
    throw failed.reason;
  }
  return sessions;
}

/** Lists the cluster again for the view; its failure shows in the tree, not in the outcome. */
async function reloadTree(services: Services, place: ClusterPlace): Promise<void> {
  try {
    await services.model.reloadJobs(place);
  } catch (error) {
    services.log.warn(`Listing ${place.clusterId} again for the view failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The cluster's name as the tree knows it, else its id; with several accounts, the account's too. */
export function treeClusterName(services: Services): (place: ClusterPlace) => string {
  return (place) => {
    const name = services.model.findCluster(place)?.cluster.name ?? place.clusterId;
    return services.accounts.several ? withAside(name, place.account) : name;
  };
}
