// Every question the extension asks the user goes through here, so a test running in the
// real extension host can answer them (modal dialogs cannot be clicked from there).
import * as vscode from 'vscode';
import { Cluster, Job } from '../ehpc/types';
import { jobStatusLabel } from '../tree/labels';

export interface Prompts {
  /** Resolves undefined when the user cancels. */
  accessKeyId(): Thenable<string | undefined>;
  secretAccessKey(): Thenable<string | undefined>;
  pickCluster(clusters: Promise<Cluster[]>): Promise<Cluster | undefined>;
  pickJobs(cluster: Cluster, jobs: Promise<Job[]>): Promise<Job[] | undefined>;
  /** A modal question; true only if the user chose `action`. */
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
}

export const vscodePrompts: Prompts = {
  accessKeyId: () =>
    vscode.window.showInputBox({
      title: vscode.l10n.t('Sign In to QingCloud EHPC (1/2)'),
      prompt: vscode.l10n.t('Access Key ID (create one in the QingCloud console under API Keys)'),
      placeHolder: 'QYACCESSKEYID…',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the Access Key ID.')),
    }),
  secretAccessKey: () =>
    vscode.window.showInputBox({
      title: vscode.l10n.t('Sign In to QingCloud EHPC (2/2)'),
      prompt: vscode.l10n.t('Secret Access Key (stored in VS Code\'s secret storage only)'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the Secret Access Key.')),
    }),
  pickCluster: (clusters) =>
    pick(
      vscode.l10n.t('Delete Jobs: Pick a Cluster'),
      clusters.then((list) => list.map((cluster) => ({ label: cluster.name, description: cluster.clusterId, detail: `${cluster.zone} · ${cluster.status}`, value: cluster }))),
      false,
    ).then((picked) => picked?.[0]),
  pickJobs: (cluster, jobs) =>
    pick(
      vscode.l10n.t('Delete Jobs: Pick Jobs in {0}', cluster.name),
      jobs.then((list) => list.map((job) => ({ label: job.name, description: `${job.hpcjobUuid} · ${jobStatusLabel(job.status)}`, value: job }))),
      true,
    ),
  confirm: (message, detail, action) =>
    vscode.window.showWarningMessage(message, { modal: true, detail }, action).then((choice) => choice === action),
};

interface ValueItem<T> extends vscode.QuickPickItem {
  value: T;
}

/** A QuickPick that opens at once, busy until its items arrive. Rejects if they fail to load. */
function pick<T>(title: string, items: Promise<ValueItem<T>[]>, canPickMany: boolean): Promise<T[] | undefined> {
  const quickPick = vscode.window.createQuickPick<ValueItem<T>>();
  quickPick.title = title;
  quickPick.canSelectMany = canPickMany;
  quickPick.matchOnDescription = true;
  quickPick.ignoreFocusOut = canPickMany;
  quickPick.busy = true;
  quickPick.enabled = false;
  return new Promise<T[] | undefined>((resolve, reject) => {
    let settled = false;
    const finish = (value: T[] | undefined) => {
      settled = true;
      quickPick.dispose();
      resolve(value);
    };
    quickPick.onDidAccept(() => {
      const chosen = canPickMany ? quickPick.selectedItems : quickPick.activeItems;
      if (chosen.length > 0) {
        finish(chosen.map((item) => item.value));
      }
    });
    quickPick.onDidHide(() => !settled && finish(undefined));
    items.then(
      (loaded) => {
        quickPick.items = loaded;
        quickPick.placeholder = loaded.length ? undefined : vscode.l10n.t('Nothing to pick.');
        quickPick.busy = false;
        quickPick.enabled = true;
      },
      (error) => {
        settled = true;
        quickPick.dispose();
        reject(error);
      },
    );
    quickPick.show();
  });
}
