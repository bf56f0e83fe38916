// Watch and Stop Watching on job rows, and the status bar's click: the watched jobs shown in
// the tree (one: revealed at once; several: picked from a list).
import * as vscode from 'vscode';
import { Services } from '../services';
import { jobStatusLabel } from '../text/statusLabels';
import { jobsFromTree } from '../tree/nodes';
import { revealJob } from '../tree/reveal';
import { JobRef, WatchAction } from '../watch/notifications';
import { isActive } from '../watch/scheduler';

/** Resolves how many jobs are watched now of those selected. */
export function watchJobs(services: Services, clicked?: unknown, selection?: unknown): number {
  const jobs = jobsFromTree(clicked, selection);
  const active = jobs.filter((job) => isActive(job.status));
  if (active.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select one or more pending or running jobs to watch.'));
    return 0;
  }
  const count = services.watch.watch(active);
  vscode.window.setStatusBarMessage(
    count === 1 ? vscode.l10n.t('Watching job {0}: you will be told when it ends.', active[0].name) : vscode.l10n.t('Watching {0} jobs: you will be told when they end.', count),
    5000,
  );
  return count;
}

/** Resolves how many of the selected jobs were watched. */
export function unwatchJobs(services: Services, clicked?: unknown, selection?: unknown): number {
  return services.watch.unwatch(jobsFromTree(clicked, selection).map((job) => job.hpcjobUuid));
}

/** The status bar's click: the watched jobs in the tree. */
export async function showWatchedJobs(services: Services): Promise<void> {
  const jobs = services.watch.jobs();
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No jobs are being watched.'));
    return;
  }
  await revealOneOf(services, jobs, vscode.l10n.t('Watched Jobs'));
}

/** One job: revealed at once; several: the one picked. */
async function revealOneOf(services: Services, jobs: readonly JobRef[], title: string): Promise<void> {
  const picked = jobs.length === 1
    ? jobs[0]
    : (await vscode.window.showQuickPick(
      jobs.map((job) => ({ label: job.name, description: `${job.hpcjobUuid}${job.status ? ` · ${jobStatusLabel(job.status)}` : ''}`, job })),
      { title, placeHolder: vscode.l10n.t('Pick a job to show in the tree') },
    ))?.job;
  if (picked) {
    await revealJob(services, picked, picked.hpcjobUuid, { select: true, focus: true });
  }
}

/** What a watch notification's button does. */
export async function runWatchAction(services: Services, action: WatchAction, jobs: readonly JobRef[]): Promise<unknown> {
  const [job] = jobs;
  if (!job) {
    return undefined;
  }
  const { account, zone, clusterId, hpcjobUuid } = job;
  switch (action) {
    case 'output':
      return vscode.commands.executeCommand('ehpc.openOutput', { account, zone, clusterId, hpcjobUuid, name: job.name });
    case 'details': {
      const node = services.model.findCluster(job);
      const row = { kind: 'job', job: { account, zone, clusterId, hpcjobUuid, name: job.name, status: job.status ?? 'unknown' }, parent: node };
      return vscode.commands.executeCommand('ehpc.showJobDetails', row);
    }
    case 'resubmit':
      // Resubmit Job is its own command: it takes the job's reference.
      return vscode.commands.executeCommand('ehpc.resubmitJob', { account, zone, clusterId, hpcjobUuid });
    case 'reveal':
      return revealOneOf(services, jobs, vscode.l10n.t('Watched Jobs'));
  }
}
