// Wiring only: build the services, register the view, the commands and the chat tools.
import * as vscode from 'vscode';
import { CredentialStore } from './accounts/credentialStore';
import { registerCommand } from './commands/errors';
import { Accounts } from './accounts/registry';
import { lazyPrompts, lazyWatch, registerLazyTools } from './lazy/forward';
import { loadParts } from './lazy/load';
import { Services } from './services';
import { IdleStart } from './clusters/idleStart';
import { ClusterInfoCache } from './submit/clusterInfo';
import type { EhpcTools } from './tools';
import { AutoRefresh } from './tree/autoRefresh';
import { BusyMarks } from './tree/busyMarks';
import { FilterState } from './tree/filterState';
import { ClusterModel } from './tree/model';
import { asTreeNode } from './tree/nodes';
import { ClusterTreeProvider } from './tree/provider';
import { JobDetailDocuments } from './ui/jobDetailDocuments';
import { JOB_DETAIL_SCHEME } from './ui/jobDetailAddress';
import { OUTPUT_SCHEME } from './output/scheme';
import type { JobOutputs } from './output/jobOutputs';
import type { Notifier } from './watch/notifications';

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
  /** The idle guard's stand-in (tests move its clock and replace its stop). */
  readonly idleGuard: IdleStart;
  /** The output tabs (made when first read), and the secrets behind the SSH logins. */
  readonly jobOutputs: JobOutputs;
  readonly secrets: vscode.SecretStorage;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi | undefined {
  const log = vscode.window.createOutputChannel('EHPC', { log: true });
  const credentials = new CredentialStore(context.secrets, context.globalState);
  const accounts = new Accounts(credentials, log);
  const modelAccounts = () => accounts.all.map(({ name, zones }) => ({ name, zones }));
  const clientOf = (account: string) => accounts.connection(account).client();
  const model = new ClusterModel({ client: clientOf }, modelAccounts(), FilterState.load(context.workspaceState), { client: clientOf });
  const busy = new BusyMarks();
  // Commands, forms, chat tools and the watch load on first use (lazy/): activation stays small.
  const parts = loadParts;
  // The watch's buttons act through the services, which hold the watch: the closures run
  // only once both exist.
  const watch = lazyWatch(context.workspaceState, () => new (parts().JobWatch)({
    accounts,
    credentials,
    model,
    log,
    state: context.workspaceState,
    shared: context.globalState,
    notifier: () => services.notifier,
    act: (action, jobs) => parts().runWatchAction(services, action, jobs),
    sawActiveJob: (cluster, at) => idleGuard.sawActiveJob(cluster, at),
  }));
  const provider = new ClusterTreeProvider(model, accounts, busy, watch, parts);
  const treeView = vscode.window.createTreeView('ehpc.clusters', {
    treeDataProvider: provider,
    canSelectMany: true,
    showCollapseAll: true,
  });
  const jobDetails = new JobDetailDocuments(accounts);
  const filter = new FilterState(context.workspaceState, model, treeView);
  const clusterInfo = new ClusterInfoCache(clientOf);
  const services: Omit<ExtensionApi, 'tools' | 'contextKeys' | 'jobOutputs' | 'secrets' | 'idleGuard'> = {
    log, credentials, accounts, model, busy, treeView, provider, filter, jobDetails, clusterInfo, globalState: context.globalState, prompts: lazyPrompts(() => parts().vscodePrompts), watch, notifier: lazyNotifier(parts),
  };
  // Made when it has work: the setting on and an account signed in (clusters/idleStart.ts).
  const idleGuard = new IdleStart((start) => parts().createIdleGuard(services, start), () => accounts.requireSignedIn().then(() => true, () => false));
  let tools: EhpcTools | undefined;
  const loadTools = () => (tools ??= parts().createTools(services, context.extension.packageJSON, () => jobOutputs()));
  const toolsByName = () => new Map(Object.entries(parts().TOOL_NAMES).map(([key, name]) => [name as string, loadTools()[key as keyof EhpcTools]]));
  void filter.show();
  // Output tabs and the SSH connections behind them: made on the first Open Output (or a tab
  // restored with the window), with ssh2 loading on the first connection.
  let outputs: JobOutputs | undefined;
  const outputChanged = new vscode.EventEmitter<vscode.Uri>();
  const jobOutputs = () => {
    if (!outputs) {
      outputs = parts().createJobOutputs(services, context.secrets);
      outputs.onDidChange((uri) => outputChanged.fire(uri));
    }
    return outputs;
  };

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
    provider,
    treeView,
    treeView.onDidExpandElement(({ element }) => element.kind === 'cluster' && model.setExpanded(element, true)),
    treeView.onDidCollapseElement(({ element }) => element.kind === 'cluster' && model.setExpanded(element, false)),
    new AutoRefresh(model, treeView, log, accounts),
    idleGuard,
    model.onDidListClusters(({ account, zone, clusters, listedAt }) => idleGuard.observeList({ account, zone }, clusters, listedAt)),
    vscode.window.onDidChangeActiveTextEditor((editor) => void updateEditorIsScript(editor)),
    // An account's other key, or none: nothing of its previous key's may stay in the tree.
    credentials.onDidChange((secretKey) => {
      const account = accounts.all.find((entry) => entry.secretKey === secretKey);
      if (account) {
        model.forget(account.name);
      }
      clusterInfo.clear();
      void updateSignedIn();
      void idleGuard.changed();
    }),
    // An account added, removed, renamed, moved: the tree starts afresh (expansion stays).
    accounts.onDidChange(() => {
      model.setAccounts(modelAccounts());
      clusterInfo.clear();
      void updateSignedIn();
      void idleGuard.changed();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (['ehpc.accounts', 'ehpc.endpoint', 'ehpc.zones'].some((section) => event.affectsConfiguration(section))) {
        accounts.reload();
      }
      if (event.affectsConfiguration('ehpc.idleClusterMinutes')) {
        void idleGuard.changed();
      }
    }),
    registerCommand('ehpc.signIn', log, (target) => parts().signIn(services, target)),
    registerCommand('ehpc.signOut', log, (target) => parts().signOut(services, target)),
    // The view title's: VS Code passes them the focused row, which the user did not choose.
    registerCommand('ehpc.signInFromView', log, () => parts().signIn(services)),
    registerCommand('ehpc.signOutFromView', log, () => parts().signOut(services)),
    registerCommand('ehpc.addAccount', log, () => parts().addAccount(services)),
    registerCommand('ehpc.renameAccount', log, (target) => parts().renameAccount(services, target)),
    registerCommand('ehpc.removeAccount', log, (target) => parts().removeAccount(services, target)),
    registerCommand('ehpc.editZones', log, (target) => parts().editZones(services, target)),
    registerCommand('ehpc.changeEndpoint', log, (target) => parts().changeEndpoint(services, target)),
    registerCommand('ehpc.changeKey', log, (target) => parts().signIn(services, target)),
    registerCommand('ehpc.refresh', log, (node) => parts().refresh(services, asTreeNode(node))),
    registerCommand('ehpc.retry', log, (node) => parts().refresh(services, asTreeNode(node))),
    registerCommand('ehpc.loadMore', log, (node) => parts().loadMore(services, asTreeNode(node))),
    registerCommand('ehpc.filterJobs', log, () => parts().filterJobs(services)),
    registerCommand('ehpc.clearFilter', log, () => parts().clearFilter(services)),
    // The singular ids are the same commands, titled for a context menu on one job.
    ...['ehpc.deleteJobs', 'ehpc.deleteJob'].map((id) => registerCommand(id, log, (clicked, selection) => parts().deleteJobs(services, clicked, selection))),
    registerCommand('ehpc.deleteSelectedJobs', log, (focused) => parts().deleteSelection(services, focused)),
    ...['ehpc.cancelJobs', 'ehpc.cancelJob'].map((id) => registerCommand(id, log, (clicked, selection) => parts().runJobAction(services, parts().cancelAction, clicked, selection))),
    jobDetails,
    vscode.workspace.registerTextDocumentContentProvider(JOB_DETAIL_SCHEME, jobDetails),
    registerCommand('ehpc.showJobDetails', log, (node, how) => parts().showJobDetails(services, node, how)),
    registerCommand('ehpc.refreshJobDetails', log, (uri) => parts().refreshJobDetails(services, uri)),
    registerCommand('ehpc.copyJobDetailPath', log, (uri, stream) => parts().copyJobDetailPath(jobDetails, uri, stream)),
    outputChanged,
    { dispose: () => outputs?.dispose() },
    vscode.workspace.registerTextDocumentContentProvider(OUTPUT_SCHEME, { onDidChange: outputChanged.event, provideTextDocumentContent: (uri) => jobOutputs().provideTextDocumentContent(uri) }),
    registerCommand('ehpc.openOutput', log, (node) => parts().openOutput(jobOutputs(), node, 'output')),
    registerCommand('ehpc.openError', log, (node) => parts().openOutput(jobOutputs(), node, 'error')),
    registerCommand('ehpc.downloadOutput', log, (target) => parts().downloadJobOutput(jobOutputs(), target)),
    registerCommand('ehpc.openLoginTerminal', log, (node) => parts().openLoginTerminal(jobOutputs(), node)),
    registerCommand('ehpc.forgetHostKeys', log, () => parts().forgetHostKeys(services)),
    registerCommand('ehpc.submitJob', log, (resource) => parts().submitJob(services, resource)),
    // The Explorer's, titled to say where the file goes.
    registerCommand('ehpc.submitJobToEhpc', log, (resource) => parts().submitJob(services, resource)),
    registerCommand('ehpc.resubmitJob', log, (target) => parts().resubmitJob(services, target)),
    ...['ehpc.copyJobIds', 'ehpc.copyJobId'].map((id) => registerCommand(id, log, (clicked, selection) => parts().copyJobIds(services, clicked, selection))),
    registerCommand('ehpc.copyNodeIp', log, (clicked) => parts().copyNodeIp(clicked)),
    registerCommand('ehpc.watchJobs', log, (clicked, selection) => parts().watchJobs(services, clicked, selection)),
    registerCommand('ehpc.unwatchJobs', log, (clicked, selection) => parts().unwatchJobs(services, clicked, selection)),
    registerCommand('ehpc.showWatchedJobs', log, () => parts().showWatchedJobs(services)),
    registerCommand('ehpc.allowIdleWarnings', log, () => parts().allowIdleWarnings(services, idleGuard)),
    registerCommand('ehpc.startCluster', log, (clicked, selection) => parts().runClusterPower(services, 'start', clicked, selection)),
    registerCommand('ehpc.stopCluster', log, (clicked, selection) => parts().runClusterPower(services, 'stop', clicked, selection)),
    ...registerLazyTools(toolNames(context.extension.packageJSON), toolsByName),
  );
  // The same object: tests replace `prompts` on what activate returns. The tools load when read.
  const api = Object.defineProperties(Object.assign(services, { contextKeys, secrets: context.secrets, idleGuard }), {
    tools: { get: loadTools, enumerable: true },
    jobOutputs: { get: jobOutputs, enumerable: true },
  }) as unknown as ExtensionApi;
  return exportsFor(context.extensionMode, api);
}

/** What other extensions may read from activate(): the internals in the extension's own tests only. */
export function exportsFor(mode: vscode.ExtensionMode, api: ExtensionApi): ExtensionApi | undefined {
  return mode === vscode.ExtensionMode.Test ? api : undefined;
}

/** The watch's notifications, through the real notifier once one is shown. */
function lazyNotifier(parts: typeof loadParts): Notifier {
  return { show: (...args) => parts().vscodeNotifier.show(...args) };
}

/** The chat tools the manifest declares (languageModelTools): registered at activation, loaded when used. */
function toolNames(manifest: unknown): string[] {
  const tools = (manifest as { contributes?: { languageModelTools?: { name: string }[] } }).contributes?.languageModelTools ?? [];
  return tools.map((tool) => tool.name);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
