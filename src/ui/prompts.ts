// Every question the extension asks the user goes through here, so a test running in the
// real extension host can answer them (modal dialogs cannot be clicked from there).
import * as vscode from 'vscode';
import { JobFilter } from '../ehpc/client';
import { Cluster, Job } from '../ehpc/types';
import { jobStatusLabel } from '../text/statusLabels';
import { detailSentences } from './batchSummary';
import { clusterPickItems, ReuploadChoice, showSubmitForm, SubmitFormRequest, SubmitFormValues } from './submitForm';
import { Account, AccountSetting } from '../accounts/accounts';
import { AccountDraft, showAccountForm } from './accountForm';
import { accessKeyIdStep, KeyPlace, secretStep, signInPlace } from './keySteps';
import { StepResult } from './multiStep';
import { showFilterForm } from './filterForm';

/** Which host a login question is about: the cluster's login node, or a jump host on the way to it. */
export type HostRole = 'loginNode' | 'jumpHost';

export interface Prompts {
  /**
   * Resolves undefined when the user cancels, BACK from a step after the first. `account`: the
   * account's name, when there is one to say; `place`: the form the step is part of (else Sign In's step 1/2).
   */
  accessKeyId(account?: string, typed?: { accessKeyId: string; problem?: string }, place?: KeyPlace): Thenable<StepResult<string>>;
  /** `problem`: why the key pair is asked again (the one typed was rejected); BACK goes to the id. */
  secretAccessKey(account?: string, problem?: string, place?: KeyPlace): Thenable<StepResult<string>>;
  /** Which account a command is about; resolves its name. */
  pickAccount(accounts: readonly Pick<Account, 'name' | 'endpoint'>[], title: string): Promise<string | undefined>;
  /** The Add Account form: name, endpoint, zones; `draft` when the flow comes back to it. */
  accountForm(taken: readonly Pick<Account, 'name'>[], draft?: AccountDraft): Promise<AccountSetting | undefined>;
  /** A new name for an account; `problem` says what is wrong with a name typed. */
  accountName(current: string, problem: (name: string) => string | undefined): Thenable<string | undefined>;
  pickCluster(clusters: Promise<Cluster[]>, title: string): Promise<Cluster | undefined>;
  pickJobs(cluster: Cluster, jobs: Promise<Job[]>, title: string): Promise<Job[] | undefined>;
  /** Several clusters at once (Start Cluster, Stop Cluster from the palette). */
  pickClusters(clusters: Promise<Cluster[]>, title: string): Promise<Cluster[] | undefined>;
  /** A modal question; true only if the user chose `action`. */
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
  /** For large batches: true only if the user typed `expected` (the number of jobs). */
  confirmTyped(message: string, detail: string, expected: string): Thenable<boolean>;
  /** Asks for a status, then a search word; undefined when cancelled. */
  jobFilter(current: JobFilter): Promise<JobFilter | undefined>;
  /** The Submit Job form; undefined when the user closes it. */
  submitForm(request: SubmitFormRequest): Promise<SubmitFormValues | ReuploadChoice | undefined>;
  /** Submit's modal question: `action` sends, "Edit..." opens the form again with its answers, undefined is Cancel. */
  confirmSubmit(message: string, detail: string, action: string): Thenable<'submit' | 'edit' | undefined>;
  /**
   * A login node's or jump host's key seen for the first time: true only if the user trusts it.
   * `knownTypes`: the key types already known for the host (it showed another type).
   */
  trustHostKey(host: string, keyType: string, fingerprint: string, knownTypes: readonly string[], role?: HostRole): Thenable<boolean>;
  /** The password for `who` (user@host:port); undefined when the user cancels. */
  sshPassword(who: string, role?: HostRole): Thenable<string | undefined>;
  sshPassphrase(keyFile: string, again: boolean): Thenable<string | undefined>;
  /** A question of the host's other than the password (a one-time code, say). */
  sshAnswer(question: string, echo: boolean, role?: HostRole): Thenable<string | undefined>;
  /** After a login with a typed password: true if the user wants it kept. */
  keepSshPassword(who: string, role?: HostRole): Thenable<boolean>;
  /** After a key file opened with a typed passphrase: true if the user wants it kept. */
  keepSshPassphrase(keyFile: string): Thenable<boolean>;
  /** Which of the host keys accepted here to forget; undefined when cancelled. */
  pickHostKeys(keys: readonly { host: string; keyType: string; fingerprint: string }[]): Thenable<number[] | undefined>;
}

export const vscodePrompts: Prompts = {
  accessKeyId: (account, typed, place) => accessKeyIdStep(place ?? signInPlace(account, 1), typed),
  secretAccessKey: (account, problem, place) => secretStep(place ?? signInPlace(account, 2), problem),
  pickAccount: (accounts, title) =>
    pick(
      vscode.l10n.t('{0}: Pick an Account', title),
      Promise.resolve(accounts.map((account) => ({ label: account.name, description: account.endpoint, value: account.name }))),
      false,
    ).then((picked) => picked?.[0]),
  accountForm: showAccountForm,
  accountName: (current, problem) =>
    vscode.window.showInputBox({
      title: vscode.l10n.t('Rename Account {0}', current),
      prompt: vscode.l10n.t('The new name'),
      value: current,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === current ? undefined : problem(value)),
    }),
  pickCluster: (clusters, title) =>
    pick(
      vscode.l10n.t('{0}: Pick a Cluster', title),
      clusters.then(clusterPickItems),
      false,
    ).then((picked) => picked?.[0]),
  pickClusters: (clusters, title) =>
    pick(
      vscode.l10n.t('{0}: Pick Clusters', title),
      clusters.then(clusterPickItems),
      true,
    ),
  pickJobs: (cluster, jobs, title) =>
    pick(
      vscode.l10n.t('{0}: Pick Jobs in {1}', title, cluster.name),
      jobs.then((list) => list.map((job) => ({ label: job.name, description: `${job.hpcjobUuid} · ${jobStatusLabel(job.status)}`, value: job }))),
      true,
    ),
  confirm: (message, detail, action) =>
    vscode.window.showWarningMessage(message, { modal: true, detail }, action).then((choice) => choice === action),
  trustHostKey: (host, keyType, fingerprint, knownTypes, role = 'loginNode') => {
    const trust = vscode.l10n.t('Trust and Connect');
    const jump = role === 'jumpHost';
    const message =
      knownTypes.length === 0
        ? jump
          ? vscode.l10n.t('The jump host {0} is not known yet.', host)
          : vscode.l10n.t('The login node {0} is not known yet.', host)
        : jump
          ? vscode.l10n.t('The jump host {0} shows a {1} key not seen before, though its {2} key is known. Be careful: an attacker shows a type of key that is not known.', host, keyType, knownTypes.join(', '))
          : vscode.l10n.t('The login node {0} shows a {1} key not seen before, though its {2} key is known. Be careful: an attacker shows a type of key that is not known.', host, keyType, knownTypes.join(', '));
    const detail = jump
      ? vscode.l10n.t(
          '{0} key fingerprint: {1}\n\nCompare it with the one the jump host\'s administrator gives. Trust it only if they are the same: a different key may mean someone is intercepting the connection.',
          keyType, fingerprint,
        )
      : vscode.l10n.t(
          '{0} key fingerprint: {1}\n\nCompare it with the one your cluster\'s administrator or the QingCloud console gives. Trust it only if they are the same: a different key may mean someone is intercepting the connection.',
          keyType, fingerprint,
        );
    return vscode.window
      .showWarningMessage(message, { modal: true, detail }, trust)
      .then((choice) => choice === trust);
  },
  sshPassword: (who, role) =>
    vscode.window.showInputBox({
      title: role === 'jumpHost' ? vscode.l10n.t('Log In to Jump Host {0}', who) : vscode.l10n.t('Log In to {0}', who),
      prompt: vscode.l10n.t('Password'),
      password: true,
      ignoreFocusOut: true,
    }),
  sshPassphrase: (keyFile, again) =>
    vscode.window.showInputBox({
      title: vscode.l10n.t('Passphrase for {0}', keyFile),
      prompt: again ? vscode.l10n.t('That passphrase did not open the key. Try again, or press Escape to skip this key.') : vscode.l10n.t('Press Escape to skip this key.'),
      password: true,
      ignoreFocusOut: true,
    }),
  sshAnswer: (question, echo, role) =>
    vscode.window.showInputBox({ title: role === 'jumpHost' ? vscode.l10n.t('The jump host asks') : vscode.l10n.t('The login node asks'), prompt: question, password: !echo, ignoreFocusOut: true }),
  keepSshPassword: (who, role) => {
    const keep = vscode.l10n.t('Keep Password');
    const question =
      role === 'jumpHost'
        ? vscode.l10n.t('Keep the password of the jump host {0} in VS Code\'s secret storage, so that you are not asked again?', who)
        : vscode.l10n.t('Keep the password of {0} in VS Code\'s secret storage, so that you are not asked again?', who);
    return vscode.window
      .showInformationMessage(question, keep)
      .then((choice) => choice === keep);
  },
  keepSshPassphrase: (keyFile) => {
    const keep = vscode.l10n.t('Keep Passphrase');
    return vscode.window
      .showInformationMessage(vscode.l10n.t('Keep the passphrase of {0} in VS Code\'s secret storage, so that you are not asked again?', keyFile), keep)
      .then((choice) => choice === keep);
  },
  pickHostKeys: (keys) =>
    vscode.window
      .showQuickPick(
        keys.map((key, index) => ({ label: key.host, description: `${key.keyType} ${key.fingerprint}`, index })),
        { title: vscode.l10n.t('Forget Accepted Host Keys'), placeHolder: vscode.l10n.t('The login nodes whose keys to forget: the next connection asks again, showing the fingerprint'), canPickMany: true, ignoreFocusOut: true },
      )
      .then((picked) => picked?.map((item) => item.index)),
  confirmTyped: (message, detail, expected) =>
    vscode.window
      .showInputBox({
        title: message,
        prompt: vscode.l10n.t('Type {0} to confirm. {1}', expected, detailSentences(detail)),
        placeHolder: expected,
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() === '' || value.trim() === expected ? undefined : vscode.l10n.t('Type {0}, the number of jobs.', expected)),
      })
      .then((typed) => typed?.trim() === expected),
  jobFilter: showFilterForm,
  submitForm: showSubmitForm,
  confirmSubmit: (message, detail, action) => {
    const edit = vscode.l10n.t('Edit...');
    return vscode.window
      .showWarningMessage(message, { modal: true, detail }, action, edit)
      .then((choice) => (choice === action ? 'submit' : choice === edit ? 'edit' : undefined));
  },
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
      (error: unknown) => {
        settled = true;
        quickPick.dispose();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
    quickPick.show();
  });
}
