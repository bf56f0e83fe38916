// Watch and Stop Watching on job rows, and the status bar's click: the watched jobs shown in
// the tree (one: revealed at once; several: picked from a list).
import * as vscode from 'vscode';
import { Services } from '../services';
import { withAside, withoutIcons } from '../text/punctuation';
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
  await revealOneOf(services, jobs, vscode.l10n.t('Watched Jobs'), true);
}

/**
 * One job: revealed at once; several: the one picked, each with its cluster (and account,
 * when there are several) and status. `stopButtons`: each item offers Stop Watching.
 */
async function revealOneOf(services: Services, jobs: readonly JobRef[], title: string, stopButtons = false): Promise<void> {
  const picked = jobs.length === 1 ? jobs[0] : await pickJob(services, jobs, title, stopButtons);
  if (picked) {
    await revealJob(services, picked, picked.hpcjobUuid, { select: true, focus: true });
  }
}

function pickJob(services: Services, jobs: readonly JobRef[], title: string, stopButtons: boolean): Promise<JobRef | undefined> {
  const stop: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('eye-closed'), tooltip: vscode.l10n.t('Stop Watching') };
  const item = (job: JobRef) => {
    const cluster = services.model.findCluster(job)?.cluster.name ?? job.clusterId;
    const place = services.accounts.several ? withAside(cluster, job.account) : cluster;
    return {
      label: job.name,
      description: [place, ...(job.status ? [jobStatusLabel(job.status)] : [])].join(' · '),
      detail: job.hpcjobUuid,
      buttons: stopButtons ? [stop] : [],
      job,
    };
  };
  const quickPick = vscode.window.createQuickPick<ReturnType<typeof item>>();
  quickPick.title = title;
  quickPick.placeholder = vscode.l10n.t('Pick a job to show in the EHPC view');
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.items = jobs.map(item);
  return new Promise((resolve) => {
    let picked: JobRef | undefined;
    quickPick.onDidAccept(() => {
      picked = quickPick.activeItems[0]?.job;
      quickPick.hide();
    });
    quickPick.onDidTriggerItemButton(({ item: clicked }) => {
      services.watch.unwatch([clicked.job.hpcjobUuid]);
      quickPick.items = quickPick.items.filter((other) => other !== clicked);
      if (quickPick.items.length === 0) {
        quickPick.hide();
      }
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(picked);
    });
    quickPick.show();
  });
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
    case 'copyErrorFile':
      if (job.errorFile) {
        await vscode.env.clipboard.writeText(job.errorFile);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the error file path {0}', withoutIcons(job.errorFile)), 3000);
      }
      return job.errorFile;
  }
}
