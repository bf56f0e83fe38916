// The words around Start Cluster and Stop Cluster: the confirmation before the requests and
// the summary after the look-up. Each action has its own sentences (Chinese words them apart).
import * as vscode from 'vscode';
import { ClusterPowerResult, PowerAction, PowerCluster, PowerPlan, SkipReason } from '../clusters/power';
import { ClusterState } from '../clusters/state';
import { Cluster } from '../ehpc/types';
import { userMessage } from '../text/messages';
import { clusterStatusLabel } from '../text/statusLabels';
import { listOf, withAside } from '../text/punctuation';

/** A cluster as the confirmation names it: with its jobs as the list gave them. */
export type PowerTarget = PowerCluster & Partial<Pick<Cluster, 'runningJobCount' | 'pendingJobCount'>>;

export interface PowerQuestion {
  message: string;
  detail: string;
  button: string;
  /** Running and pending jobs that a stop ends: more than none needs their number typed. */
  jobs: number;
}

const NAMES_SHOWN = 10;

/** The question asked before anything is sent; `name` names a cluster (with its account when there are several). */
export function powerQuestion(plan: PowerPlan, name: (cluster: PowerCluster) => string): PowerQuestion {
  const sent = plan.groups.flatMap((group) => group.requests.flatMap((request) => request.clusters)) as PowerTarget[];
  const stop = plan.action === 'stop';
  const message =
    sent.length === 1
      ? stop ? vscode.l10n.t('Stop cluster "{0}"?', name(sent[0])) : vscode.l10n.t('Start cluster "{0}"?', name(sent[0]))
      : stop ? vscode.l10n.t('Stop {0} clusters?', sent.length) : vscode.l10n.t('Start {0} clusters?', sent.length);
  const jobs = sent.reduce((sum, cluster) => sum + jobCount(cluster), 0);
  // Two clusters may share a name: each line says which one, by id and zone.
  const lines = sent.slice(0, NAMES_SHOWN).map((cluster) => `• ${vscode.l10n.t('{0} ({1} in zone {2}): {3}', name(cluster), cluster.clusterId, cluster.zone, jobsText(cluster))}`);
  if (sent.length > NAMES_SHOWN) {
    lines.push(vscode.l10n.t('…and {0} more clusters', sent.length - NAMES_SHOWN));
  }
  if (plan.skipped.length > 0) {
    const left = plan.skipped.map(({ cluster, state, reason }) => withAside(name(cluster), skipText(reason, state)));
    lines.push('', vscode.l10n.t('Left out: {0}', listOf(left)));
  }
  lines.push(
    '',
    !stop
      ? vscode.l10n.t('A started cluster is billed while it runs. Starting takes a few minutes.')
      : jobs > 0
        ? vscode.l10n.t('Their {0} running and pending jobs are stopped with them and do not resume when the cluster starts again. A stopped cluster takes no jobs and no logins until it is started.', jobs)
        : vscode.l10n.t('A stopped cluster takes no jobs and no logins until it is started. Stopping takes a few minutes.'),
  );
  return { message, detail: lines.join('\n'), button: stop ? vscode.l10n.t('Stop Cluster') : vscode.l10n.t('Start Cluster'), jobs: stop ? jobs : 0 };
}

/** Why no picked cluster is sent, when none is. */
export function nothingToSend(plan: PowerPlan, name: (cluster: PowerCluster) => string): string {
  const left = plan.skipped.map(({ cluster, state, reason }) => withAside(name(cluster), skipText(reason, state)));
  return plan.action === 'stop'
    ? vscode.l10n.t('Nothing to stop: {0}.', listOf(left))
    : vscode.l10n.t('Nothing to start: {0}.', listOf(left));
}

/** One sentence per outcome, from what the look-up afterwards says; `complete` when every cluster got there. */
export function powerSummary(action: PowerAction, results: readonly ClusterPowerResult[], name: (cluster: PowerCluster) => string): { message: string; complete: boolean } {
  const stop = action === 'stop';
  const names = (outcome: ClusterPowerResult['outcome']) => results.filter((result) => result.outcome === outcome).map((result) => name(result.cluster));
  const withWhy = (outcome: ClusterPowerResult['outcome']) =>
    results.filter((result) => result.outcome === outcome).map((result) => withAside(name(result.cluster), reasonText(result)));
  const parts: string[] = [];
  const add = (items: string[], phrase: (list: string) => string) => items.length > 0 && parts.push(phrase(listOf(items)));
  add(names('done'), (list) => (stop ? vscode.l10n.t('Stopped {0}.', list) : vscode.l10n.t('Started {0}.', list)));
  add(names('underWay'), (list) =>
    stop ? vscode.l10n.t('Still stopping: {0}. The view follows it at its next refresh.', list) : vscode.l10n.t('Still starting: {0}. The view follows it at its next refresh.', list),
  );
  add(withWhy('failed'), (list) => (stop ? vscode.l10n.t('Could not stop {0}.', list) : vscode.l10n.t('Could not start {0}.', list)));
  add(withWhy('notDone'), (list) => (stop ? vscode.l10n.t('Not stopped: {0}.', list) : vscode.l10n.t('Not started: {0}.', list)));
  add(names('gone'), (list) => vscode.l10n.t('No longer listed: {0}.', list));
  add(withWhy('unknown'), (list) => vscode.l10n.t('Sent, but not checked afterwards: {0}.', list));
  add(withWhy('notSent'), (list) => vscode.l10n.t('Not sent: {0}.', list));
  add(
    results.filter((result) => result.outcome === 'skipped').map((result) => withAside(name(result.cluster), skipText(result.reason ?? 'notApplicable', result.state ?? 'unknown'))),
    (list) => vscode.l10n.t('Left out: {0}.', list),
  );
  const complete = results.every((result) => result.outcome === 'done' || result.outcome === 'skipped');
  return { message: parts.join(' '), complete };
}

/** A cluster's running and pending jobs, as the list gave them. */
export function jobCount(cluster: PowerTarget): number {
  return (cluster.runningJobCount ?? 0) + (cluster.pendingJobCount ?? 0);
}

function jobsText(cluster: PowerTarget): string {
  return vscode.l10n.t('{0} running, {1} pending', cluster.runningJobCount ?? 0, cluster.pendingJobCount ?? 0);
}

function skipText(reason: SkipReason, state: ClusterState): string {
  switch (reason) {
    case 'already':
      return state === 'active' ? vscode.l10n.t('already active') : vscode.l10n.t('already shut down');
    case 'inTransition':
      return state === 'starting' ? vscode.l10n.t('starting') : vscode.l10n.t('stopping');
    default:
      return clusterStatusLabel(state);
  }
}

/** Why a cluster did not get there: the operation's error codes, the refusal, or the state it is in. */
function reasonText(result: ClusterPowerResult): string {
  if (result.outcome === 'notSent') {
    return result.error ? userMessage(result.error) : vscode.l10n.t('an earlier request failed, or you signed out');
  }
  if (result.errorCodes) {
    return vscode.l10n.t('the operation failed with error {0}', result.errorCodes);
  }
  if (result.error) {
    return userMessage(result.error);
  }
  if (result.outcome === 'failed') {
    return vscode.l10n.t('the operation failed');
  }
  if (result.operationUnread && result.state) {
    return vscode.l10n.t('listed as {0}; its operation could not be read, and the request may have been refused', stateText(result.state));
  }
  if (result.notFollowed && result.state) {
    return vscode.l10n.t('listed as {0}; the request was sent, and you cancelled before it was followed', stateText(result.state));
  }
  return result.state ? vscode.l10n.t('listed as {0}', stateText(result.state)) : vscode.l10n.t('unknown');
}

function stateText(state: ClusterState): string {
  return state === 'starting' ? vscode.l10n.t('starting') : state === 'stopping' ? vscode.l10n.t('stopping') : clusterStatusLabel(state);
}
