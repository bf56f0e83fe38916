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
import { readSettings } from './config';
import { Connection } from './connection';
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
}

export function activate(context: vscode.ExtensionContext): ExtensionApi | undefined {
  const log = vscode.window.createOutputChannel('EHPC', { log: true });
  const credentials = new CredentialStore(context.secrets);
  const connection = new Connection(credentials, log);
  const model = new ClusterModel(connection, readSettings().zones, FilterState.load(context.workspaceState));
  const busy = new BusyMarks();
  // The watch's buttons act through the services, which hold the watch: the closures run
  // only once both exist.
  const watch = new JobWatch({
    connection,
    credentials,
    model,
    log,
    state: context.workspaceState,
    notifier: () => services.notifier,
    act: (action, jobs) => runWatchAction(services, action, jobs),
  });
  const provider = new ClusterTreeProvider(model, connection, busy, watch);
  const treeView = vscode.window.createTreeView('ehpc.clusters', {
    treeDataProvider: provider,
    canSelectMany: true,
    showCollapseAll: true,
  });
  const jobDetails = new JobDetailDocuments(connection);
  const filter = new FilterState(context.workspaceState, model, treeView);
  const clusterInfo = new ClusterInfoCache(() => connection.client());
  const services: Omit<ExtensionApi, 'tools'> = {
    log, credentials, connection, model, busy, treeView, provider, filter, jobDetails, clusterInfo, globalState: context.globalState, prompts: vscodePrompts, watch, notifier: vscodeNotifier,
  };
  const tools = createTools(services, context.extension.packageJSON);
  void filter.show();

  const updateSignedIn = async () => {
    // A keyring failure shows in the tree; the context just says "not signed in".
    await vscode.commands.executeCommand('setContext', 'ehpc.signedIn', await connection.isSignedIn().catch(() => false));
  };
  void updateSignedIn();
  // The Submit button for scripts VS Code does not take for shell (a `#!` line it does not know).
  const updateEditorIsScript = (editor = vscode.window.activeTextEditor) =>
    vscode.commands.executeCommand('setContext', 'ehpc.editorIsScript', editor !== undefined && editor.document.lineCount > 0 && editor.document.lineAt(0).text.startsWith('#!'));
  void updateEditorIsScript();

  context.subscriptions.push(
    log,
    credentials,
    model,
    busy,
    watch,
    treeView,
    treeView.onDidExpandElement(({ element }) => element.kind === 'cluster' && model.setExpanded(element, true)),
    treeView.onDidCollapseElement(({ element }) => element.kind === 'cluster' && model.setExpanded(element, false)),
    new AutoRefresh(model, treeView, log, connection),
    vscode.window.onDidChangeActiveTextEditor((editor) => void updateEditorIsScript(editor)),
    // Another key, or none: nothing of the previous account's may stay in the tree.
    credentials.onDidChange(() => {
      model.forget();
      clusterInfo.clear();
      void updateSignedIn();
  // The Submit button for scripts VS Code does not take for shell (a `#!` line it does not know).
  const updateEditorIsScript = (editor = vscode.window.activeTextEditor) =>
    vscode.commands.executeCommand('setContext', 'ehpc.editorIsScript', editor !== undefined && editor.document.lineCount > 0 && editor.document.lineAt(0).text.startsWith('#!'));
  void updateEditorIsScript();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ehpc.zones')) {
        model.setZones(readSettings().zones);
      } else if (event.affectsConfiguration('ehpc.endpoint')) {
        model.refresh();
      }
    }),
    registerCommand('ehpc.signIn', log, () => signIn(services)),
    registerCommand('ehpc.signOut', log, () => signOut(services)),
    registerCommand('ehpc.refresh', log, (node) => refresh(services, asTreeNode(node))),
    registerCommand('ehpc.retry', log, (node) => refresh(services, asTreeNode(node))),
    registerCommand('ehpc.loadMore', log, (node) => loadMore(services, asTreeNode(node))),
    registerCommand('ehpc.filterJobs', log, () => filterJobs(services)),
    registerCommand('ehpc.clearFilter', log, () => clearFilter(services)),
    registerCommand('ehpc.deleteJobs', log, (clicked, selection) => runJobAction(services, deleteAction, clicked, selection)),
    registerCommand('ehpc.deleteSelectedJobs', log, () => deleteSelection(services)),
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
  return exportsFor(context.extensionMode, Object.assign(services, { tools }));
}

/** What other extensions may read from activate(): the internals in the extension's own tests only. */
export function exportsFor(mode: vscode.ExtensionMode, api: ExtensionApi): ExtensionApi | undefined {
  return mode === vscode.ExtensionMode.Test ? api : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
