// The words around a batch: the confirmation before it and the summary after it. Each
// action brings its own phrases (localized where they are written, as literals).
import * as vscode from 'vscode';
import { BatchOutcome, ClusterBatch, ClusterPlace, JobRef, sessionEndedError } from '../ehpc/batch';
import { Job } from '../ehpc/types';
import { userMessage } from '../text/messages';
import { clauses, listOf, sentences, withAside } from '../text/punctuation';

export interface BatchPhrases {
  /** e.g. Delete job "{name}" in cluster {cluster}? */
  questionOne(jobName: string, cluster: string): string;
  questionOneCluster(count: number, cluster: string): string;
  questionManyClusters(count: number, clusters: number): string;
  /** The last line of the confirmation, e.g. "Deleted jobs cannot be restored." */
  consequence: string;
  /**
   * A line before the consequence about the jobs still pending or running, e.g. "2 of them are
   * running: they are stopped first." Undefined when nothing needs saying.
   */
  live?(running: number, pending: number, total: number): string | undefined;
  /** The confirming button: a verb, never one VS Code's own "Cancel" could be mistaken for. */
  button(count: number): string;
  progress(count: number): string;
  allDone(count: number): string;
  someDone(done: number, requested: number): string;
  /** The headline when some outcomes are not known yet: never "deleted 0" for jobs that were sent. */
  confirmedDone(done: number, requested: number): string;
  /** e.g. "{count} still listed in cluster {cluster}" */
  remaining(count: number, cluster: string): string;
  /** An asynchronous action still under way when the batch stopped waiting (Cancel). */
  inProgress?(count: number, cluster: string): string;
  /** The whole sentence when the only jobs not done yet are under way and watched from now on. */
  watching?(count: number): string;
  /** Shown when some picked jobs are not in a state the action applies to. */
  skipped?(count: number): string;
  selectSome: string;
  pickTitle: string;
}

const NAMES_SHOWN = 5;

export function confirmationText(
  batches: readonly ClusterBatch[],
  phrases: BatchPhrases,
  clusterName: (batch: ClusterBatch) => string,
): { message: string; detail: string; count: number } {
  const jobs = batches.flatMap((batch) => batch.jobs);
  const message =
    jobs.length === 1
      ? phrases.questionOne(jobs[0].name, clusterName(batches[0]))
      : batches.length === 1
        ? phrases.questionOneCluster(jobs.length, clusterName(batches[0]))
        : phrases.questionManyClusters(jobs.length, batches.length);
  const lines = jobs.slice(0, NAMES_SHOWN).map((job) => `• ${withAside(job.name, job.hpcjobUuid)}`);
  if (jobs.length > NAMES_SHOWN) {
    lines.push(vscode.l10n.t('…and {0} more', jobs.length - NAMES_SHOWN));
  }
  if (batches.length > 1) {
    lines.push('', vscode.l10n.t('Clusters: {0}', listOf(batches.map(clusterName))));
  }
  // The jobs come from the tree or a picker, with their status; a bare reference has none.
  const count = (status: string) => jobs.filter((job) => (job as Partial<Job>).status === status).length;
  const live = phrases.live?.(count('running'), count('pending'), jobs.length);
  lines.push('', ...(live ? [live] : []), phrases.consequence);
  return { message, detail: lines.join('\n'), count: jobs.length };
}

/**
 * A confirmation's detail on one line, as an input box shows its prompt: the bulleted job
 * lines become one list ending in a full stop, and every other line a sentence of its own.
 */
export function detailSentences(detail: string): string {
  const parts = detail.split(/\n\s*\n/).flatMap((paragraph) => {
    const lines = paragraph.split('\n').map((line) => line.trim()).filter(Boolean);
    if (lines[0]?.startsWith('• ')) {
      return [fullStop(listOf(lines.map((line) => line.replace(/^• /, ''))))];
    }
    return lines.map(fullStop);
  });
  return parts.length === 0 ? '' : parts.reduce(sentences);
}

function fullStop(text: string): string {
  return /[.。!！?？:：]$/u.test(text) ? text : vscode.l10n.t('{0}.', text);
}

/**
 * What the user is told after a batch, from what the server lists now: "Deleted 5 jobs.",
 * or "Deleted 48 of 50 jobs; 2 still listed in cluster X (reason)." Logs it per cluster.
 */
export function summarize(
  outcome: BatchOutcome,
  batchId: number,
  phrases: BatchPhrases,
  clusterName: (place: ClusterPlace) => string,
  log: vscode.LogOutputChannel,
): { message: string; complete: boolean } {
  const problems: string[] = [];
  for (const cluster of outcome.clusters) {
    const name = clusterName(cluster);
    log.info(
      `Batch #${batchId} ${cluster.account ? `${JSON.stringify(cluster.account)} ` : ''}${cluster.zone}/${cluster.clusterId}: ${cluster.done.length} done, ${cluster.remaining.length} not done` +
        (cluster.inProgress.length ? `, ${cluster.inProgress.length} still under way` : '') +
        (cluster.unknown.length ? `, ${cluster.unknown.length} unknown` : '') +
        (cluster.notSent.length ? `, ${cluster.notSent.length} not sent` : '') +
        (cluster.operationFailed ? '; the operation failed' : '') +
        (cluster.actionError ? `; request failed: ${cluster.actionError.message}` : '') +
        (cluster.listError ? `; listing again failed: ${cluster.listError.message}` : ''),
    );
    const ids = (jobs: readonly JobRef[]) => jobs.map((job) => job.hpcjobUuid).join(', ');
    if (cluster.remaining.length > 0) {
      log.warn(`Batch #${batchId} not done in ${cluster.clusterId}: ${ids(cluster.remaining)}`);
      const phrase = phrases.remaining(cluster.remaining.length, name);
      const why = cluster.actionError ? userMessage(cluster.actionError) : cluster.operationFailed ? vscode.l10n.t('the server reported that the operation failed') : undefined;
      problems.push(why ? withAside(phrase, why) : phrase);
    }
    if (cluster.inProgress.length > 0) {
      log.warn(`Batch #${batchId} still under way in ${cluster.clusterId}: ${ids(cluster.inProgress)}`);
      problems.push((phrases.inProgress ?? phrases.remaining)(cluster.inProgress.length, name));
    }
    if (cluster.unknown.length > 0) {
      log.warn(`Batch #${batchId} unknown in ${cluster.clusterId}: ${ids(cluster.unknown)}`);
      const phrase = vscode.l10n.t('{0} sent to cluster {1}, but not checked afterwards', cluster.unknown.length, name);
      problems.push(cluster.listError ? withAside(phrase, userMessage(cluster.listError)) : phrase);
    }
    if (cluster.notSent.length > 0) {
      log.warn(`Batch #${batchId} not sent in ${cluster.clusterId}: ${ids(cluster.notSent)}`);
      const why = cluster.actionError ? vscode.l10n.t('an earlier request failed') : userMessage(sessionEndedError());
      problems.push(withAside(vscode.l10n.t('{0} not sent to cluster {1}', cluster.notSent.length, name), why));
    }
  }
  const underWay = outcome.clusters.reduce((sum, cluster) => sum + cluster.inProgress.length, 0);
  const onlyUnderWay = outcome.clusters.every((c) => c.remaining.length + c.unknown.length + c.notSent.length === 0);
  if (phrases.watching && underWay > 0 && onlyUnderWay) {
    // Not a problem: the watch follows them and says when they have stopped.
    const message = outcome.done > 0 ? sentences(phrases.allDone(outcome.done), phrases.watching(underWay)) : phrases.watching(underWay);
    log.info(`Batch #${batchId}: ${message}`);
    return { message, complete: true };
  }
  // Never "deleted 0" for jobs that were sent but not checked, or are still stopping.
  const uncertain = outcome.clusters.some((cluster) => cluster.unknown.length > 0 || cluster.inProgress.length > 0);
  const headline = uncertain ? phrases.confirmedDone(outcome.done, outcome.requested) : phrases.someDone(outcome.done, outcome.requested);
  // "{headline} {problems}" is one sentence: Chinese ends it with 。, English as before.
  const message = problems.length === 0 ? phrases.allDone(outcome.done) : vscode.l10n.t('{0} {1}', headline, clauses(problems));
  log.info(`Batch #${batchId}: ${message}`);
  return { message, complete: problems.length === 0 };
}

/** Shows the summary; one that reports a problem offers the log. */
export function showSummary({ message, complete }: { message: string; complete: boolean }, log: vscode.LogOutputChannel): void {
  if (complete) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window.showWarningMessage(message, showLog).then((choice) => {
    if (choice === showLog) {
      log.show(true);
    }
  });
}
