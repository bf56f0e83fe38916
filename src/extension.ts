// Wiring only: build the services, register the view, the commands and the chat tools.
import * as vscode from 'vscode';
import { CredentialStore } from './auth/credentialStore';
import { copyJobIds } from './commands/copyJobIds';
import { cancelAction } from './commands/cancelJobs';
import { deleteAction, deleteSelection } from './commands/deleteJobs';
import { registerCommand } from './commands/errors';
import { clearFilter, filterJobs } from './commands/filterJobs';
import { runJobAction } from './commands/jobAction';
import { loadMore } from './commands/loadMore';
import { refresh } from './commands/refresh';
import { signIn } from './commands/signIn';
import { showJobDetails } from './commands/showJobDetails';
import { resubmitJob, submitJob } from './commands/submitJob';
import { signOut } from './commands/signOut';
import { Accounts } from './accounts/registry';
import { addAccount, removeAccount, renameAccount } from './commands/accounts';
import { Services } from './services';
import { ClusterInfoCache } from './submit/clusterInfo';
import { createTools, EhpcTools, registerTools } from './tools';
import { AutoRefresh } from './tree/autoRefresh';
import { BusyMarks } from './tree/busyMarks';
import { FilterState } from './tree/filterState';
import { ClusterModel } from './tree/model';
import { asTreeNode } from './tree/nodes';
import { ClusterTreeProvider } from './tree/provider';
import { JOB_DETAIL_SCHEME, JobDetailDocuments } from './ui/jobDetailDocuments';
import { vscodePrompts } from './ui/prompts';
import { runWatchAction, showWatchedJobs, unwatchJobs, watchJobs } from './commands/watchJobs';
import { JobWatch } from './watch/jobWatch';
import { vscodeNotifier } from './watch/notifications';
import { SHOW_WATCHED_COMMAND } from './watch/statusBar';

/**
 * What the extension-host tests drive, returned from activate() only when VS Code runs the
 * extension for its tests (ExtensionMode.Test). Any extension can read another's exports, and
 * these reach the key, the signing client and the prompts: in normal use there are none.
 */
export interface ExtensionApi extends Services {
  readonly provider: ClusterTreeProvider;
  /** The language model tools, as registered (tests call prepareInvocation directly). */
  readonly tools: EhpcTools;
  /** The context keys as last set (`ehpc.signedIn`, `ehpc.severalAccounts`), which tests cannot read from VS Code. */
  readonly contextKeys: ReadonlyMap<string, unknown>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi | undefined {
  const log = vscode.window.createOutputChannel('EHPC', { log: true });
  const credentials = new CredentialStore(context.secrets);
  const accounts = new Accounts(credentials, log);
  const modelAccounts = () => accounts.all.map(({ name, zones }) => ({ name, zones }));
  const clientOf = (account: string) => accounts.connection(account).client();
  const model = new ClusterModel({ client: clientOf }, modelAccounts(), FilterState.load(context.workspaceState));
  const busy = new BusyMarks();
  // The watch's buttons act through the services, which hold the watch: the closures run
  // only once both exist.
  const watch = new JobWatch({
    accounts,
    credentials,
    model,
    log,
    state: context.workspaceState,
    notifier: () => services.notifier,
    act: (action, jobs) => runWatchAction(services, action, jobs),
  });
  const provider = new ClusterTreeProvider(model, accounts, busy, watch);
  const treeView = vscode.window.createTreeView('ehpc.clusters', {
    treeDataProvider: provider,
    canSelectMany: true,
    showCollapseAll: true,
  });
  const jobDetails = new JobDetailDocuments(accounts);
  const filter = new FilterState(context.workspaceState, model, treeView);
  const clusterInfo = new ClusterInfoCache(clientOf);
  const services: Omit<ExtensionApi, 'tools' | 'contextKeys'> = {
    log, credentials, accounts, model, busy, treeView, provider, filter, jobDetails, clusterInfo, globalState: context.globalState, prompts: vscodePrompts, watch, notifier: vscodeNotifier,
  };
  const tools = createTools(services, context.extension.packageJSON);
  void filter.show();

  const contextKeys = new Map<string, unknown>();
  const setContext = (key: string, value: unknown) => {
    contextKeys.set(key, value);
    return vscode.commands.executeCommand('setContext', key, value);
  };
  let contextRound = 0;
  const updateSignedIn = async () => {
    // Asked again on every key and account-list change; when two overlap, the later one,
    // which read the later state, decides.
    const round = ++contextRound;
    // A keyring failure shows in the tree; the context just says "not signed in".
    const signedIn = await accounts.requireSignedIn().then(() => true, () => false);
    if (round === contextRound) {
      await setContext('ehpc.signedIn', signedIn);
      await setContext('ehpc.severalAccounts', accounts.several);
    }
  };
  void updateSignedIn();
  // The Submit button for scripts VS Code does not take for shell (a `#!` line it does not know).
  const updateEditorIsScript = (editor = vscode.window.activeTextEditor) =>
    vscode.commands.executeCommand('setContext', 'ehpc.editorIsScript', editor !== undefined && editor.document.lineCount > 0 && editor.document.lineAt(0).text.startsWith('#!'));
  void updateEditorIsScript();

  context.subscriptions.push(
    log,
    credentials,
    accounts,
    model,
    busy,
    watch,
    treeView,
    treeView.onDidExpandElement(({ element }) => element.kind === 'cluster' && model.setExpanded(element, true)),
    treeView.onDidCollapseElement(({ element }) => element.kind === 'cluster' && model.setExpanded(element, false)),
    new AutoRefresh(model, treeView, log, accounts),
    vscode.window.onDidChangeActiveTextEditor((editor) => void updateEditorIsScript(editor)),
    // An account's other key, or none: nothing of its previous key's may stay in the tree.
    credentials.onDidChange((secretKey) => {
      const account = accounts.all.find((entry) => entry.secretKey === secretKey);
      if (account) {
        model.forget(account.name);
      }
      clusterInfo.clear();
      void updateSignedIn();
    }),
    // An account added, removed, renamed, moved: the tree starts afresh (expansion stays).
    accounts.onDidChange(() => {
      model.setAccounts(modelAccounts());
      clusterInfo.clear();
      void updateSignedIn();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (['ehpc.accounts', 'ehpc.endpoint', 'ehpc.zones'].some((section) => event.affectsConfiguration(section))) {
        accounts.reload();
      }
    }),
    registerCommand('ehpc.signIn', log, (target) => signIn(services, target)),
    registerCommand('ehpc.signOut', log, (target) => signOut(services, target)),
    // The view title's: VS Code passes them the focused row, which the user did not choose.
    registerCommand('ehpc.signInFromView', log, () => signIn(services)),
    registerCommand('ehpc.signOutFromView', log, () => signOut(services)),
    registerCommand('ehpc.addAccount', log, () => addAccount(services)),
    registerCommand('ehpc.renameAccount', log, (target) => renameAccount(services, target)),
    registerCommand('ehpc.removeAccount', log, (target) => removeAccount(services, target)),
    registerCommand('ehpc.refresh', log, (node) => refresh(services, asTreeNode(node))),
    registerCommand('ehpc.retry', log, (node) => refresh(services, asTreeNode(node))),
    registerCommand('ehpc.loadMore', log, (node) => loadMore(services, asTreeNode(node))),
    registerCommand('ehpc.filterJobs', log, () => filterJobs(services)),
    registerCommand('ehpc.clearFilter', log, () => clearFilter(services)),
    registerCommand('ehpc.deleteJobs', log, (clicked, selection) => runJobAction(services, deleteAction, clicked, selection)),
    registerCommand('ehpc.deleteSelectedJobs', log, (focused) => deleteSelection(services, focused)),
    registerCommand('ehpc.cancelJobs', log, (clicked, selection) => runJobAction(services, cancelAction, clicked, selection)),
    jobDetails,
    vscode.workspace.registerTextDocumentContentProvider(JOB_DETAIL_SCHEME, jobDetails),
    registerCommand('ehpc.showJobDetails', log, (node) => showJobDetails(services, node)),
    registerCommand('ehpc.submitJob', log, (resource) => submitJob(services, resource)),
    registerCommand('ehpc.resubmitJob', log, (target) => resubmitJob(services, target)),
    registerCommand('ehpc.copyJobIds', log, (clicked, selection) => copyJobIds(services, clicked, selection)),
    registerCommand('ehpc.watchJobs', log, (clicked, selection) => watchJobs(services, clicked, selection)),
    registerCommand('ehpc.unwatchJobs', log, (clicked, selection) => unwatchJobs(services, clicked, selection)),
    registerCommand(SHOW_WATCHED_COMMAND, log, () => showWatchedJobs(services)),
    ...registerTools(tools),
  );
  // The same object: tests replace `prompts` on what activate returns.
  return exportsFor(context.extensionMode, Object.assign(services, { tools, contextKeys }));
}

/** What other extensions may read from activate(): the internals in the extension's own tests only. */
export function exportsFor(mode: vscode.ExtensionMode, api: ExtensionApi): ExtensionApi | undefined {
  return mode === vscode.ExtensionMode.Test ? api : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
