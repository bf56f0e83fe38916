// One status bar item while anything is watched: how many run and wait, the jobs in its
// tooltip, and a click that shows them in the tree.
import { ClusterPlace } from '../ehpc/batch';
import * as vscode from 'vscode';
import { jobStatusLabel } from '../text/statusLabels';
import { labelled } from '../text/punctuation';
import { formatDuration } from './notifications';
import { WatchedJob } from './scheduler';

/** The command the item runs: reveal the watched job, or pick one of several. */
export const SHOW_WATCHED_COMMAND = 'ehpc.showWatchedJobs';

export class WatchStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ehpc.watch', vscode.StatusBarAlignment.Left, 50);

  constructor(private readonly clusterName: (place: ClusterPlace) => string) {
    this.item.name = vscode.l10n.t('EHPC Watched Jobs');
    this.item.command = SHOW_WATCHED_COMMAND;
  }

  /** The text shown, undefined while hidden (for tests). */
  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  private shown = false;

  update(jobs: readonly WatchedJob[], now = Date.now()): void {
    void vscode.commands.executeCommand('setContext', 'ehpc.watching', jobs.length > 0);
    if (jobs.length === 0) {
      this.item.hide();
      this.shown = false;
      return;
    }
    // A job being cancelled counts as cancelling, as its row in the tree says, not as running.
    const cancelling = jobs.filter((job) => job.cancelRequested === true).length;
    const running = jobs.filter((job) => job.status === 'running' && !job.cancelRequested).length;
    const pending = jobs.filter((job) => job.status === 'pending' && !job.cancelRequested).length;
    const parts = [
      ...(running > 0 ? [vscode.l10n.t('{0} running', running)] : []),
      ...(pending > 0 ? [vscode.l10n.t('{0} pending', pending)] : []),
      ...(cancelling > 0 ? [vscode.l10n.t('{0} cancelling', cancelling)] : []),
    ];
    // Labelled, with a still icon: a spinning one would say something is syncing.
    this.item.text = `$(server-process) ${vscode.l10n.t('EHPC: {0}', parts.length > 0 ? parts.join(' · ') : vscode.l10n.t('{0} watched', jobs.length))}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${vscode.l10n.t('Watched EHPC jobs')}**\n\n`);
    for (const job of jobs) {
      // Three unlike fields, joined as the tree's rows join theirs (a 、 would make them a list).
      const details = [this.clusterName(job), job.cancelRequested ? vscode.l10n.t('cancelling') : jobStatusLabel(job.status), formatDuration((now - startOf(job, now)) / 1000)].join(' · ');
      tooltip.appendText(labelled(job.name, details));
      tooltip.appendMarkdown('  \n');
    }
    tooltip.appendMarkdown(`\n${vscode.l10n.t('Click to show them in the EHPC view.')}`);
    this.item.tooltip = tooltip;
    this.item.show();
    this.shown = true;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/**
 * Since when the job counts as under way: its started_time if that reads as a time not in the
 * future (the API does not say its zone), else when the watch began.
 */
function startOf(job: WatchedJob, now: number): number {
  const at = job.startedTime ? Date.parse(job.startedTime) : NaN;
  return Number.isFinite(at) && at <= now ? at : job.since;
}
