// What the user is told when watched jobs end: one notification per job, or one for the lot
// when many end together; filtered by `ehpc.notifyOn`. Shown through a Notifier, which the
// extension-host tests replace to see what would have been shown and to press its buttons.
import * as vscode from 'vscode';
import { Job } from '../ehpc/types';
import type { NotifyOn } from '../settings';
import { listOf, sentences, unlinked, withAside } from '../text/punctuation';
import { GROUP_ABOVE } from './scheduler';
import { FinalStatus, JobEnding, WatchEvent } from './types';

export type Severity = 'info' | 'warning' | 'error';

/** The seam: every notification of the watch goes through it. */
export interface Notifier {
  /** Shows `message` with buttons; resolves the button pressed, or undefined. */
  show(severity: Severity, message: string, ...actions: string[]): Thenable<string | undefined>;
  /** Where passing words go instead of the status bar (the extension-host tests read them here). */
  status?(message: string, ms: number): void;
}

/**
 * A word in the status bar for a while, for what the view shows anyway (a sign-in, a batch that
 * did all it was asked): the user need not be told, so no notification.
 */
export function tellInStatusBar(notifier: Notifier, message: string, ms = 5000): void {
  if (notifier.status) {
    notifier.status(message, ms);
  } else {
    vscode.window.setStatusBarMessage(message, ms);
  }
}

export const vscodeNotifier: Notifier = {
  show: (severity, message, ...actions) =>
    severity === 'error'
      ? vscode.window.showErrorMessage(message, ...actions)
      : severity === 'warning'
        ? vscode.window.showWarningMessage(message, ...actions)
        : vscode.window.showInformationMessage(message, ...actions),
};

export { readNotifyOn, type NotifyOn } from '../settings';

export type WatchAction = 'output' | 'details' | 'resubmit' | 'reveal' | 'copyErrorFile';

/** A job a button acts on. */
export type JobRef = Pick<Job, 'account' | 'zone' | 'clusterId' | 'hpcjobUuid' | 'name'> & Partial<Job> & { /** Where its standard error went, when known. */ errorFile?: string };

export interface WatchNotification {
  severity: Severity;
  message: string;
  actions: WatchAction[];
  jobs: JobRef[];
}

export function actionLabel(action: WatchAction): string {
  switch (action) {
    case 'output':
      return vscode.l10n.t('Show Output');
    case 'details':
      return vscode.l10n.t('Show Details');
    case 'resubmit':
      return vscode.l10n.t('Resubmit');
    case 'reveal':
      return vscode.l10n.t('Show in EHPC View');
    case 'copyErrorFile':
      return vscode.l10n.t('Copy Error File Path');
  }
}

/** Whether an event is told under the setting. */
export function isTold(event: WatchEvent, notifyOn: NotifyOn): boolean {
  if (notifyOn === 'none') {
    return false;
  }
  return notifyOn === 'all' || isFailure(event);
}

/** Whether the setting tells a job ending so (and its details are worth a request). */
export function tellsEnding(status: FinalStatus, notifyOn: NotifyOn): boolean {
  return notifyOn === 'all' || (notifyOn === 'failures' && status === 'exited');
}

function isFailure(event: WatchEvent): boolean {
  return event.kind === 'cancelFailed' || event.kind === 'unknownState' || (event.kind === 'ended' && event.status === 'exited');
}

/**
 * A job the user asked to cancel that has now stopped: the tree and the status bar say so,
 * as the user expects it; only a cancel that fails is worth a notification.
 */
export function isRequestedStop(event: WatchEvent): boolean {
  return event.kind === 'ended' && event.job.cancelRequested === true && (event.status === 'cancelled' || event.status === 'stopped');
}

/** How the notifications name a cluster: the name the tree shows. */
export type ClusterNamer = (place: Pick<Job, 'account' | 'zone' | 'clusterId'>) => string;

/** The notifications for one tick's events under the setting; one for the lot when several end together. */
export function notificationsFor(events: readonly WatchEvent[], notifyOn: NotifyOn, clusterName: ClusterNamer = (place) => place.clusterId): WatchNotification[] {
  const told = events.filter((event) => !isRequestedStop(event) && isTold(event, notifyOn));
  if (told.length > GROUP_ABOVE) {
    return [grouped(told)];
  }
  return told.map((event) => single(event, unlinked(clusterName(event.job))));
}

/** `cluster` is already safe in a message; every other string from the server is made so here. */
function single(event: WatchEvent, cluster: string): WatchNotification {
  const name = unlinked(event.job.name);
  switch (event.kind) {
    case 'gone':
      return { severity: 'warning', message: vscode.l10n.t('Job "{0}" is no longer listed on {1}.', name, cluster), actions: [], jobs: [event.job] };
    case 'unknownState':
      return {
        severity: 'warning',
        message: vscode.l10n.t('Job "{0}" is in a state this version does not know; it is no longer watched.', name),
        actions: ['details', 'reveal'],
        jobs: [event.latest],
      };
    case 'cancelFailed':
      return {
        severity: 'error',
        message: vscode.l10n.t(
          'Could not cancel job "{0}": {1}',
          name,
          event.errorCodes
            ? vscode.l10n.t('the stop operation {0} failed with error {1}; the job still runs.', unlinked(event.operationId), unlinked(event.errorCodes))
            : vscode.l10n.t('the stop operation {0} failed; the job still runs.', unlinked(event.operationId)),
        ),
        actions: ['reveal', 'details'],
        jobs: [event.job],
      };
    case 'ended':
      return ended(name, cluster, event.status, event.latest, event.ending);
  }
}

function ended(name: string, cluster: string, status: FinalStatus, latest: Job, ending: JobEnding | undefined): WatchNotification {
  const jobs = [latest];
  const after = ending?.runSeconds !== undefined ? formatDuration(ending.runSeconds) : undefined;
  switch (status) {
    case 'finished':
      return {
        severity: 'info',
        message: after ? vscode.l10n.t('Job "{0}" finished on {1} after {2}.', name, cluster, after) : vscode.l10n.t('Job "{0}" finished on {1}.', name, cluster),
        // At most four buttons fit a notification whole; the row is a click away in the status bar's list.
        actions: ['output', 'details', 'resubmit'],
        jobs,
      };
    case 'exited':
      return failed(name, cluster, after, ending, jobs);
    case 'cancelled':
      return { severity: 'info', message: vscode.l10n.t('Job "{0}" was cancelled on {1}.', name, cluster), actions: ['details', 'resubmit'], jobs };
    case 'stopped':
      return { severity: 'warning', message: vscode.l10n.t('Job "{0}" was stopped on {1}.', name, cluster), actions: ['details', 'resubmit'], jobs };
  }
}

/**
 * "Job "x" failed on cfd-prod after 20 s: exit code 1 (non-zero exit code). Error output:
 * /home/u/x.err" — what happened, and where to look, without opening the details.
 */
function failed(name: string, cluster: string, after: string | undefined, ending: JobEnding | undefined, jobs: Job[]): WatchNotification {
  const reason = ending?.reason ? unlinked(reasonText(ending.reason)) : undefined;
  const code = ending?.exitCode !== undefined ? vscode.l10n.t('exit code {0}', ending.exitCode) : undefined;
  const why = code && reason ? withAside(code, reason) : (code ?? reason);
  const head = after
    ? why ? vscode.l10n.t('Job "{0}" failed on {1} after {2}: {3}.', name, cluster, after, why) : vscode.l10n.t('Job "{0}" failed on {1} after {2}.', name, cluster, after)
    : why ? vscode.l10n.t('Job "{0}" failed on {1}: {2}.', name, cluster, why) : vscode.l10n.t('Job "{0}" failed on {1}.', name, cluster);
  // The path is shown unlinked; Copy Error File Path copies it as sent.
  const message = ending?.errorFile ? sentences(head, vscode.l10n.t('Error output: {0}', unlinked(ending.errorFile))) : head;
  return { severity: 'error', message, actions: ['output', 'details', ...(ending?.errorFile ? ['copyErrorFile' as const] : []), 'resubmit'], jobs: [{ ...jobs[0], ...(ending?.errorFile ? { errorFile: ending.errorFile } : {}) }] };
}

/** The scheduler's reason codes the user meets most, in words; any other as sent. */
export function reasonText(reason: string): string {
  switch (reason) {
    case 'NonZeroExitCode':
      return vscode.l10n.t('non-zero exit code');
    case 'TimeLimit':
      return vscode.l10n.t('time limit reached');
    case 'OutOfMemory':
      return vscode.l10n.t('out of memory');
    case 'NodeFail':
      return vscode.l10n.t('a node failed');
    case 'Preempted':
      return vscode.l10n.t('preempted by another job');
    default:
      return reason;
  }
}

/** "5 watched jobs ended: 4 finished, 1 exited." (one sentence, its full stop included) */
function grouped(events: readonly WatchEvent[]): WatchNotification {
  const counts = new Map<string, number>();
  const count = (kind: string) => counts.set(kind, (counts.get(kind) ?? 0) + 1);
  for (const event of events) {
    count(event.kind === 'ended' ? event.status : event.kind);
  }
  const parts: string[] = [];
  const part = (kind: string, text: (n: number) => string) => counts.has(kind) && parts.push(text(counts.get(kind)!));
  part('finished', (n) => vscode.l10n.t('{0} finished', n));
  part('exited', (n) => vscode.l10n.t('{0} exited', n));
  part('cancelled', (n) => vscode.l10n.t('{0} cancelled', n));
  part('stopped', (n) => vscode.l10n.t('{0} stopped', n));
  part('gone', (n) => vscode.l10n.t('{0} no longer listed', n));
  part('unknownState', (n) => vscode.l10n.t('{0} in a state this version does not know', n));
  part('cancelFailed', (n) => vscode.l10n.t('{0} could not be cancelled', n));
  const failures = events.some(isFailure);
  return {
    severity: failures ? 'warning' : 'info',
    message: vscode.l10n.t('{0}: {1}.', vscode.l10n.t('{0} watched jobs ended', events.length), listOf(parts)),
    actions: ['reveal'],
    jobs: events.map((event) => (event.kind === 'ended' || event.kind === 'unknownState' ? event.latest : event.job)),
  };
}

/** "45 s", "3 min 20 s", "2 h 5 min", "1 d 3 h". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) {
    return vscode.l10n.t('{0} s', seconds);
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return vscode.l10n.t('{0} min {1} s', minutes, seconds % 60);
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return vscode.l10n.t('{0} h {1} min', hours, minutes % 60);
  }
  return vscode.l10n.t('{0} d {1} h', Math.floor(hours / 24), hours % 24);
}

/** What a job's detail tells about its end: the reason, and the run time in seconds. */
export function endingOf(detail: Record<string, unknown>): JobEnding {
  const reason = typeof detail.reason === 'string' && detail.reason.trim() ? detail.reason.trim().slice(0, 300) : undefined;
  const exitCode = typeof detail.exit_code === 'number' ? detail.exit_code : typeof detail.exit_code === 'string' && /^-?\d+$/.test(detail.exit_code.trim()) ? Number(detail.exit_code) : undefined;
  const errorFile = typeof detail.stderr_redirect_path === 'string' && detail.stderr_redirect_path.trim() ? detail.stderr_redirect_path.trim().slice(0, 1000) : undefined;
  const runTime = typeof detail.run_time === 'number' ? detail.run_time : typeof detail.run_time === 'string' && /^\d+$/.test(detail.run_time.trim()) ? Number(detail.run_time) : undefined;
  const fromTimes = secondsBetween(detail.started_time, detail.end_time);
  const runSeconds = runTime !== undefined && (runTime > 0 || fromTimes === undefined) ? runTime : fromTimes;
  return { ...(reason ? { reason } : {}), ...(runSeconds !== undefined ? { runSeconds } : {}), ...(exitCode !== undefined ? { exitCode } : {}), ...(errorFile ? { errorFile } : {}) };
}

function secondsBetween(start: unknown, end: unknown): number | undefined {
  if (typeof start !== 'string' || typeof end !== 'string') {
    return undefined;
  }
  // Both in the same (unstated) zone: the difference holds whatever it is.
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 1000) : undefined;
}
