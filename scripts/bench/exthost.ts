/**
 * The bench's half inside a real VS Code extension host (loaded as extensionTestsPath, so
 * `run()` starts before anything activates the extension). It drives the extension as the
 * tests do and notes times; the harness (vscodeBench.ts) watches the page and counts the
 * simulator's requests within the windows reported here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { setTimeout as sleep } from 'timers/promises';
import * as v8 from 'v8';
import * as vm from 'vm';
import * as vscode from 'vscode';
import type { SubmitResult } from '../../src/commands/submitJob';
import type { ExtensionApi } from '../../src/extension';
import type { SubmitFormRequest, SubmitFormValues } from '../../src/ui/submitForm';
import type { ClusterNode, JobNode } from '../../src/tree/nodes';
import type { JobRef } from '../../src/ehpc/batch';
import {
  CONFIG_ENV,
  MESSAGE_TAG,
  signalFile,
  type ActivationResult,
  type ClusterRef,
  type ExtHostConfig,
  type ExtHostMessage,
  type ExtHostResult,
  type JobOutputResult,
  type OutputJob,
  type StepName,
  type Transfer,
} from './protocol';
import { signInDirectly } from '../../test/vscode/helpers';

const EXTENSION_ID = 'qingcloud-ehpc.qingcloud-ehpc';
/** After a step, long enough for any request it would set off late (a redraw, a refresh) to arrive. */
const SETTLE_MS = 1000;
/** How long the bench's user reads the submit's question. */
const READ_QUESTION_MS = 1000;

export async function run(): Promise<void> {
  const config = JSON.parse(process.env[CONFIG_ENV] ?? 'null') as ExtHostConfig | null;
  if (!config) {
    throw new Error(`${CONFIG_ENV} is not set: run this through npm run bench`);
  }
  try {
    if (config.activationOnly) {
      send({ kind: 'activation', result: await activate() });
      await step(config, 'runtime-status');
      return;
    }
    send({ kind: 'result', result: await measure(config) });
    await step(config, 'runtime-status'); // the harness reads VS Code's own activation time meanwhile
  } catch (error) {
    send({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    throw error;
  }
}

/** Activates the extension; what it took, and which of its bundles were loaded by then. */
async function activate(): Promise<ActivationResult & { api: ExtensionApi | undefined }> {
  const extension = vscode.extensions.getExtension<ExtensionApi | undefined>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not loaded`);
  }
  const wasActive = extension.isActive;
  const started = performance.now();
  const api = await extension.activate();
  const activateMs = performance.now() - started;
  // Node keys its cache by real path; the staged extension may sit behind a symbolic link.
  const home = fs.realpathSync(extension.extensionPath);
  const loadedAtActivation = Object.keys(require.cache).filter((file) => file.startsWith(path.join(home, 'dist') + path.sep)).map((file) => path.relative(home, file));
  return { wasActive, activateMs, loadedAtActivation, api };
}

async function measure(config: ExtHostConfig): Promise<ExtHostResult> {
  const { api, wasActive, activateMs, loadedAtActivation } = await activate();
  if (!api) {
    throw new Error('no test API: the bench runs the extension as a test (extensionTestsPath)');
  }

  theAccount(api); // one account, the one signInDirectly signs in to
  await signInDirectly(api, config);
  await step(config, 'ready'); // the harness watches the page from now on
  const openView = await timed(() => vscode.commands.executeCommand('workbench.view.extension.ehpc'));
  await step(config, 'open-view');
  openView.to = Date.now();

  const firstPage = await loadBigCluster(api, config);
  await expandTheRest(api, config);
  const batch = await deleteAcrossClusters(api, config);
  const autoRefresh = await hideWithAutoRefresh(api, config);
  const memory = await heapOverRefreshes(api);
  const submit = await submitScript(api, config);
  const jobOutput = await followJobOutputs(api, config).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
  return { wasActive, activateMs, loadedAtActivation, openView, firstPage, batch, autoRefresh, memory, submit, jobOutput };
}

/** Refreshes before the first heap reading (code compiled, caches filled), and between the two. */
const WARM_UP_REFRESHES = 10;
const MEASURED_REFRESHES = 60;

/**
 * What the extension host keeps per refresh: the heap after GC, before and after many reloads
 * of what the tree shows (every cluster expanded, the big one with 5 pages), each drawn by
 * VS Code, as auto-refresh does.
 */
async function heapOverRefreshes(api: ExtensionApi): Promise<ExtHostResult['memory']> {
  await vscode.commands.executeCommand('workbench.view.extension.ehpc');
  await waitFor(() => api.treeView.visible);
  const refresh = async () => {
    await api.model.reloadShown();
    await sleep(50); // VS Code asks for the rows after the change event
  };
  for (let i = 0; i < WARM_UP_REFRESHES; i++) {
    await refresh();
  }
  const gc = exposeGc();
  const heapBefore = heapAfterGc(gc);
  snapshot('before');
  for (let i = 0; i < MEASURED_REFRESHES; i++) {
    await refresh();
  }
  await sleep(SETTLE_MS);
  const heapAfter = heapAfterGc(gc);
  snapshot('after');
  return { refreshes: MEASURED_REFRESHES, heapBefore, heapAfter, gcExposed: gc !== undefined };
}


/**
 * Expands the 20,000-job cluster (the page shows its first page), then Load More four times.
 * The heap difference is what the extension host holds for 500 jobs: the model's nodes and
 * VS Code's tree items for them.
 */
async function loadBigCluster(api: ExtensionApi, config: ExtHostConfig): Promise<ExtHostResult['firstPage']> {
  const cluster = await findCluster(api, config.bigCluster);
  const gc = exposeGc();
  const heapBefore = heapAfterGc(gc);
  const window = await timed(() => api.treeView.reveal(cluster, { expand: true, select: false, focus: false }));
  await step(config, 'first-page');
  window.to = Date.now();
  for (let page = 2; page <= 5; page++) {
    await vscode.commands.executeCommand('ehpc.loadMore', cluster);
  }
  await sleep(SETTLE_MS); // VS Code fetches the new rows' tree items after the change event
  const jobsLoaded = api.model.loadedJobList(cluster)?.nodes.length ?? 0;
  return { ...window, heapDeltaBytes: heapAfterGc(gc) - heapBefore, jobsLoaded, gcExposed: gc !== undefined };
}

/** Expands every other cluster, so a refresh that lists more than it must would show. */
async function expandTheRest(api: ExtensionApi, config: ExtHostConfig): Promise<void> {
  for (const zone of config.zones) {
    for (const cluster of await api.model.clusters(theAccount(api), zone)) {
      await api.treeView.reveal(cluster, { expand: true, select: false, focus: false });
      await waitFor(() => api.model.loadedJobList(cluster) !== undefined);
    }
  }
  await sleep(SETTLE_MS);
}

/** Delete Jobs on three jobs in each touched cluster, confirmed by a stub (no modal dialogs here). */
async function deleteAcrossClusters(api: ExtensionApi, config: ExtHostConfig): Promise<ExtHostResult['batch']> {
  const selection: JobNode[] = [];
  for (const ref of config.touched) {
    const rows = await api.provider.getChildren(await findCluster(api, ref));
    selection.push(...rows.filter((row): row is JobNode => row.kind === 'job').slice(0, 3));
  }
  const prompts = api.prompts;
  api.prompts = { ...prompts, confirm: () => Promise.resolve(true), confirmTyped: () => Promise.resolve(true) };
  try {
    let outcome: { requested: number; done: number } | undefined;
    const window = await timed(async () => {
      outcome = await vscode.commands.executeCommand<{ requested: number; done: number } | undefined>('ehpc.deleteJobs', selection[0], selection);
      await sleep(SETTLE_MS);
    });
    window.to = Date.now();
    return { ...window, requested: outcome?.requested ?? 0, done: outcome?.done ?? 0 };
  } finally {
    api.prompts = prompts;
  }
}

/**
 * Auto-refresh at its 10 s minimum: a window with the view visible (it must refresh, or the
 * hidden window proves nothing), then one with the view hidden (it must not).
 */
async function hideWithAutoRefresh(api: ExtensionApi, config: ExtHostConfig): Promise<ExtHostResult['autoRefresh']> {
  const settings = vscode.workspace.getConfiguration('ehpc');
  await settings.update('autoRefreshSeconds', 10, vscode.ConfigurationTarget.Global);
  try {
    const visible = await timed(() => sleep(config.visibleSeconds * 1000));
    visible.to = Date.now();
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor(() => !api.treeView.visible && !api.model.loading);
    const hidden = await timed(() => sleep(config.hiddenSeconds * 1000));
    hidden.to = Date.now();
    return { visible, hidden };
  } finally {
    await settings.update('autoRefreshSeconds', undefined, vscode.ConfigurationTarget.Global);
  }
}

/**
 * Submit Job on a script open in the editor, the form answered with `config.submitTo`, its
 * default queue and `admin`, the confirmation accepted; then the form once more for the same
 * cluster, closed without submitting. The job is unwatched afterwards: its ticks are no part of
 * this window.
 */
async function submitScript(api: ExtensionApi, config: ExtHostConfig): Promise<ExtHostResult['submit']> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new Error('the bench runs in a workspace');
  }
  const script = vscode.Uri.joinPath(folder.uri, `${config.submitName}.sh`);
  await vscode.workspace.fs.writeFile(script, new TextEncoder().encode('#!/bin/bash\n#SBATCH -n 1\nhostname\n'));
  await vscode.window.showTextDocument(script);
  await vscode.commands.executeCommand('workbench.view.extension.ehpc'); // the editor took the focus, not the side bar
  await waitFor(() => api.treeView.visible);

  const prompts = api.prompts;
  const treeView = api.treeView;
  const reveals: ExtHostResult['submit']['afterConfirm']['reveals'] = [];
  (api as { treeView: typeof treeView }).treeView = timingReveals(treeView, (at, ok) => reveals.push({ atMs: at - afterConfirm.from, ms: Date.now() - at, ok }));
  const form = { from: 0, to: 0 };
  const afterConfirm = { from: 0, to: 0 };
  let closeForm = false;
  const answer = async (request: SubmitFormRequest): Promise<SubmitFormValues | undefined> => {
    form.from = Date.now();
    const cluster = (await request.clusters()).find((c) => c.zone === config.submitTo.zone && c.clusterId === config.submitTo.clusterId);
    if (!cluster) {
      throw new Error(`the form does not offer cluster ${config.submitTo.clusterId}`);
    }
    const [queues, users] = await Promise.all([request.queues(cluster), request.users(cluster)]);
    form.to = Date.now();
    const runUser = users.find((user) => user.username === 'admin');
    if (closeForm || !runUser) {
      return undefined;
    }
    return { cluster, queue: queues.find((queue) => queue.isDefault), runUser, name: request.initial.name, cores: request.initial.cores ?? 1 };
  };
  api.prompts = {
    ...prompts,
    submitForm: answer,
    // A person reads the question before clicking Submit: what the extension sends while the
    // question is open (the jobs of that name, for a lost answer) is not on the path measured.
    confirmSubmit: async () => {
      await sleep(READ_QUESTION_MS);
      afterConfirm.from = Date.now();
      return 'submit' as const;
    },
  };
  try {
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
    const hpcjobUuid = result?.job?.hpcjobUuid;
    if (result?.outcome.kind !== 'submitted' || !hpcjobUuid) {
      throw new Error(`Submit Job ended with ${result?.outcome.kind ?? 'nothing'}`);
    }
    await waitFor(() => api.treeView.selection.some((node) => node.kind === 'job' && node.job.hpcjobUuid === hpcjobUuid));
    const selectedMs = Date.now() - afterConfirm.from;
    await sleep(SETTLE_MS);
    afterConfirm.to = Date.now();
    api.watch.unwatch([hpcjobUuid]);

    closeForm = true;
    const formFirst = { ...form };
    const formAgain = await timed(() => vscode.commands.executeCommand('ehpc.submitJob'));
    await sleep(SETTLE_MS);
    formAgain.to = Date.now();
    return { form: formFirst, afterConfirm: { ...afterConfirm, hpcjobUuid, selectedMs, reveals }, formAgain };
  } finally {
    api.prompts = prompts;
    (api as { treeView: typeof treeView }).treeView = treeView;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
}

/** The tree view, its reveal() calls told to `seen` (when each began, whether it worked). */
function timingReveals<T>(treeView: vscode.TreeView<T>, seen: (at: number, ok: boolean) => void): vscode.TreeView<T> {
  return new Proxy(treeView, {
    get(target, property) {
      if (property === 'reveal') {
        return async (...args: Parameters<vscode.TreeView<T>['reveal']>) => {
          const at = Date.now();
          try {
            await target.reveal(...args);
            seen(at, true);
          } catch (error) {
            seen(at, false);
            throw error;
          }
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Open Output on a running job whose file already holds 100 MB: when its first text and its
 * last line show, and what was read for them. Then, with that tab still open, Open Output on
 * another running job's file while the harness appends to it (the 'follow' step): what was
 * read meanwhile, and the heap after GC before and after. The login node's questions (its host
 * key, the password) are answered as a user would.
 */
async function followJobOutputs(api: ExtensionApi, config: ExtHostConfig): Promise<JobOutputResult> {
  const { cluster, password, big, followed, followSeconds } = config.jobOutput;
  const prompts = api.prompts;
  api.prompts = { ...prompts, trustHostKey: () => Promise.resolve(true), sshPassword: () => Promise.resolve(password), keepSshPassword: () => Promise.resolve(false) };
  const ref = (job: OutputJob): JobRef => ({ account: theAccount(api), zone: cluster.zone, clusterId: cluster.clusterId, hpcjobUuid: job.hpcjobUuid, name: job.name });
  const transfer = (document: vscode.TextDocument): Transfer & { windowBytes: number } => {
    const figures = api.jobOutputs.transfer(document.uri);
    if (!figures) {
      throw new Error(`no output tab follows ${document.uri.toString()}`);
    }
    return figures;
  };
  try {
    const started = performance.now();
    const bigTab = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.openOutput', ref(big));
    // The file's lines: `line 00000001 ....`; the tab's first line says what is left out.
    await untilText(bigTab.document, (text) => /^line \d+/m.test(text), 60_000);
    const firstTextMs = performance.now() - started;
    await untilText(bigTab.document, (text) => text.includes(big.lastLine), 60_000);
    const lastLineMs = performance.now() - started;
    const firstLineShown = bigTab.document.getText().includes(big.firstLine);
    const read = transfer(bigTab.document);

    const followedTab = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.openOutput', ref(followed));
    await untilText(followedTab.document, (text) => text.includes('started at'), 60_000);
    await untilSteady(() => transfer(followedTab.document).bytesRead);
    const gc = exposeGc();
    const heapBefore = heapAfterGc(gc);
    snapshot('following-before');
    const before = transfer(followedTab.document);
    const from = Date.now();
    await step(config, 'follow', (followSeconds + 60) * 1000);
    await untilSteady(() => transfer(followedTab.document).bytesRead); // the follower's last read, after the harness stopped
    const to = Date.now();
    const after = transfer(followedTab.document);
    const heapAfter = heapAfterGc(gc);
    snapshot('following-after');
    return {
      big: { firstTextMs, lastLineMs, bytesRead: read.bytesRead, reads: read.reads, windowBytes: read.windowBytes, firstLineShown },
      follow: { from, to, bytesRead: after.bytesRead - before.bytesRead, reads: after.reads - before.reads, heapBefore, heapAfter, gcExposed: gc !== undefined },
    };
  } finally {
    api.prompts = prompts;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
}

/** Until the document's text passes `probe`, looked at on each change. */
async function untilText(document: vscode.TextDocument, probe: (text: string) => boolean, timeoutMs: number): Promise<void> {
  if (probe(document.getText())) {
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`${document.uri.path}: the text awaited did not show within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document && probe(document.getText())) {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      }
    });
  });
}

/** Until `value` has not changed for longer than a follower's idle tick (2 s). */
async function untilSteady(value: () => number, steadyMs = 3000, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = value();
  let since = Date.now();
  while (Date.now() - since < steadyMs) {
    if (Date.now() > deadline) {
      throw new Error(`still changing after ${timeoutMs} ms`);
    }
    await sleep(100);
    const now = value();
    if (now !== last) {
      [last, since] = [now, Date.now()];
    }
  }
}

/** The bench's one account: the one the extension makes from `ehpc.endpoint` (the simulator's). */
function theAccount(api: ExtensionApi): string {
  if (api.accounts.all.length !== 1) {
    throw new Error(`the bench expects one account, not ${api.accounts.all.length}`);
  }
  return api.accounts.all[0].name;
}

async function findCluster(api: ExtensionApi, ref: ClusterRef): Promise<ClusterNode> {
  const cluster = (await api.model.clusters(theAccount(api), ref.zone)).find((node) => node.cluster.clusterId === ref.clusterId);
  if (!cluster) {
    throw new Error(`cluster ${ref.zone}/${ref.clusterId} is not listed`);
  }
  return cluster;
}

/** Runs `action` and returns the window it started; `to` is when it returned (callers may move it). */
async function timed(action: () => PromiseLike<unknown>): Promise<{ from: number; to: number }> {
  const from = Date.now();
  await action();
  return { from, to: Date.now() };
}

/** Tells the harness about a step and waits until it has seen it through. */
async function step(config: ExtHostConfig, name: StepName, timeoutMs = 60_000): Promise<void> {
  send({ kind: 'step', name, at: Date.now() });
  await waitFor(() => fs.existsSync(signalFile(config.signalsDir, name)), timeoutMs);
}

/** The extension host runs without --expose-gc; V8 can still hand the function out. */
function exposeGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

/**
 * With EHPC_BENCH_HEAP_SNAPSHOTS set to a folder, writes a heap snapshot there (after GC) for
 * scripts/heapDiff.ts to compare: what the refreshes between two snapshots left behind.
 */
function snapshot(name: string): void {
  const dir = process.env.EHPC_BENCH_HEAP_SNAPSHOTS;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    v8.writeHeapSnapshot(`${dir}/${name}.heapsnapshot`);
  }
}

function heapAfterGc(gc: (() => void) | undefined): number {
  gc?.();
  gc?.(); // a second pass collects what the first one's finalizers released
  return process.memoryUsage().heapUsed;
}

async function waitFor(probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms`);
    }
    await sleep(10);
  }
}

function send(message: ExtHostMessage): void {
  console.log(MESSAGE_TAG + JSON.stringify(message));
}
