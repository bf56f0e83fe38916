/**
 * The measurements that need a real VS Code (1.100.3, the test harness's server in headless
 * Chromium): activation, opening the view, the first page of a 20,000-job cluster, the
 * refresh after a batch, auto-refresh while hidden. The extension host drives (exthost.ts);
 * this side runs the simulator, watches the page for the rows to appear, and counts the
 * requests that arrived within the windows the extension host reports.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type RecordedRequest, type Simulator } from '../../simulator/server';
import { launchBrowser, openWorkbench } from '../../test/harness/browser';
import { isCodeServerInstalled, repoRoot, startVSCodeServer, type VSCodeServer } from '../../test/harness/vscodeServer';
import { prepareJobOutputs, type Appended } from './jobOutput';
import { CONFIG_ENV, MESSAGE_TAG, sendSignal, type ActivationResult, type ClusterRef, type ExtHostConfig, type ExtHostMessage, type ExtHostResult, type JobOutputResult, type StepName } from './protocol';
import { readActivationTime, shownAt, shownSoFar, watchRows } from './page';
import { arrivedBetween, countPath, PATHS, roundTrips } from './requests';

const ZONES = ['jn1a', 'jn1b'];
const CLUSTERS_PER_ZONE = 5;
const BIG_CLUSTER_JOBS = 20_000;
/** Auto-refresh runs every 10 s at the most: windows long enough to see one, or its absence. */
const VISIBLE_SECONDS = 12;
const HIDDEN_SECONDS = 12;
const RUN_TIMEOUT_MS = 420_000; // the job output part follows a file for a minute

export interface VSCodeFigures {
  zones: number;
  activation: { extHostMs: number; vscodeMs?: number; wasActive: boolean; loadedAtActivation: string[] };
  openView: {
    ms: number;
    requests: number;
    clusterLists: number;
    roundTrips: number;
    /** What arrived at the simulator, when, counted from the command that opened the view. */
    arrivals: { path: string; zone: string; atMs: number }[];
  };
  firstPage: { jobs: number; ms: number; requests: number; heapDeltaBytes: number; jobsLoaded: number; gcExposed: boolean };
  batch: { clusters: number; touched: number; deletes: number; jobLists: number; otherRequests: number; requested: number; done: number };
  autoRefresh: { visibleSeconds: number; visibleRequests: number; hiddenSeconds: number; hiddenRequests: number };
  memory: ExtHostResult['memory'];
  submit: {
    /** The form's look-ups, the first time it opens for the cluster. */
    form: { queueLists: number; userLists: number; otherRequests: number };
    /** From the confirmation: requests by path, until the job's row showed on the page, until it was selected. */
    afterConfirm: {
      paths: string[];
      shownMs: number;
      selectedMs: number;
      /** When each request arrived and each reveal began, from the confirmation (ms). */
      arrivals: { path: string; atMs: number }[];
      reveals: ExtHostResult['submit']['afterConfirm']['reveals'];
    };
    /** The form opened again for the same cluster, and closed. */
    formAgainRequests: number;
    /** Clusters expanded in the tree meanwhile (every one). */
    expandedClusters: number;
  };
  jobOutput: JobOutputFigures | { error: string };
}

export interface JobOutputFigures {
  big: JobOutputResult['big'] & { fileBytes: number };
  follow: Omit<JobOutputResult['follow'], 'from' | 'to'> & {
    seconds: number;
    appendedBytes: number;
    /** EHPC API requests that arrived at the simulator from just before the minute to the follower caught up, but the quiet tab's end checks. */
    apiPaths: string[];
    /** Of them, the end checks of the 100 MB tab left open: its file has been quiet since it was read. */
    quietTabChecks: number;
  };
}

/** Row texts the page is watched for, and when each appeared (set in the page). */
interface Targets {
  firstClusters: string[];
  firstJob: string;
  /** The name of the job Submit Job sends. */
  submitted: string;
}

export async function benchInVSCode(runDir: string, extensionPath: string, latencyMs: number): Promise<VSCodeFigures> {
  if (!isCodeServerInstalled()) {
    throw new Error('the test VS Code is not installed: run bash scripts/install-test-vscode.sh');
  }
  const simulator = await startSimulator({
    zones: ZONES,
    clustersPerZone: CLUSTERS_PER_ZONE,
    jobsPerCluster: (index) => (index === 0 ? BIG_CLUSTER_JOBS : 30),
    stopDelayMs: 0,
  });
  simulator.setLatency(latencyMs);
  const clusters = ZONES.flatMap((zone) => simulator.clusters(zone).map((c): ClusterRef => ({ zone, clusterId: c.cluster_id })));
  const bigCluster = clusters[0];
  const touched = [clusters[1], clusters[CLUSTERS_PER_ZONE]]; // one in each zone
  // Jobs go to active clusters only: a small one (one page), as most are.
  const active = simulator.clusters(ZONES[0]).slice(1).find((c) => c.cluster_status === 'active');
  if (!active) {
    throw new Error(`the simulator has no active cluster with 30 jobs in ${ZONES[0]}`);
  }
  const submitTo: ClusterRef = { zone: ZONES[0], clusterId: active.cluster_id };
  const submitName = `bench-submit-${Date.now().toString(36)}`;
  // Output tabs read over SSH from a cluster nothing else in the bench touches.
  const outputs = prepareJobOutputs(simulator, clusters[CLUSTERS_PER_ZONE + 1]);
  const signalsDir = path.join(runDir, 'signals');
  fs.mkdirSync(signalsDir, { recursive: true });
  const config: ExtHostConfig = {
    signalsDir,
    accessKeyId: simulator.accessKeyId,
    secretAccessKey: simulator.secretAccessKey,
    zones: ZONES,
    bigCluster,
    touched,
    visibleSeconds: VISIBLE_SECONDS,
    hiddenSeconds: HIDDEN_SECONDS,
    submitTo,
    submitName,
    jobOutput: outputs.config,
  };
  const targets: Targets = {
    firstClusters: ZONES.map((zone) => simulator.clusters(zone)[0].cluster_id),
    firstJob: simulator.jobs(bigCluster.zone, bigCluster.clusterId)[0].hpcjob_uuid,
    submitted: submitName,
  };

  let server: VSCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    // The endpoint in the server's settings: no workspace may set it.
    // The simulator's login nodes listen on ports of their own: the host is the one listNodes names.
    const loginNode = { [outputs.config.cluster.clusterId]: `:${simulator.loginNodes.address(outputs.config.cluster.clusterId).port}` };
    server = await startVSCodeServer({
      runDir,
      env: { [CONFIG_ENV]: JSON.stringify(config) },
      // The idle guard's calls have a row of their own (part 7): not mixed into these counts.
      machineSettings: { 'ehpc.endpoint': simulator.endpoint, 'ehpc.zones': config.zones, 'ehpc.ssh.loginNodes': loginNode, 'ehpc.idleClusterMinutes': 0 },
    });
    browser = await launchBrowser(runDir);
    // A failure to append fails the job output rows only.
    let appended: Appended | { error: string } = { error: 'the extension host never asked for the appending' };
    const follow = () => outputs.follow().then((done) => void (appended = done), (error: unknown) => void (appended = { error: `appending: ${String(error)}` }));
    const session = await runSession(browser, server, simulator, { runDir, extensionPath, config, targets, follow });
    return figures(simulator, latencyMs, session, { clusters: clusters.length, touched: touched.length, appended });
  } finally {
    await Promise.allSettled([browser?.close(), server?.stop(), simulator.close()]);
  }
}

interface Session {
  result: ExtHostResult;
  /** When the page showed each watched row (ms since the epoch). */
  shown: Record<string, number>;
  vscodeActivationMs?: number;
  targets: Targets;
  config: ExtHostConfig;
}

async function runSession(
  browser: Browser,
  server: VSCodeServer,
  simulator: Simulator,
  opts: { runDir: string; extensionPath: string; config: ExtHostConfig; targets: Targets; follow: () => Promise<void> },
): Promise<Session> {
  const workspace = path.join(opts.runDir, 'workspace');
  // The zones are in the server's settings: no workspace may set them.
  fs.mkdirSync(workspace, { recursive: true });

  let result: ExtHostResult | undefined;
  const failures: string[] = [];
  let vscodeActivationMs: number | undefined;
  const exited = deferred<number>();
  /** The page, once it is watched for rows. */
  const watched = deferred<Page>();

  // Each step the extension host reports is seen through on the page, then signalled back.
  const onStep = async (name: StepName) => {
    try {
      const page = await watched.promise;
      if (name === 'open-view') {
        await Promise.all(opts.targets.firstClusters.map((text) => shownAt(page, text)));
      } else if (name === 'first-page') {
        await shownAt(page, opts.targets.firstJob);
      } else if (name === 'follow') {
        await opts.follow();
      } else if (name === 'runtime-status') {
        // Without VS Code's own figure the extension host's timing stands in: no failure.
        vscodeActivationMs = await readActivationTime(page).catch(() => undefined);
      }
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      sendSignal(opts.config.signalsDir, name);
    }
  };

  const url = server.workbenchUrl(workspace, {
    extensionDevelopmentPath: opts.extensionPath,
    extensionTestsPath: path.join(repoRoot, 'out', 'scripts', 'bench', 'exthost.js'),
  });
  const page = await openWorkbench(browser, url, {
    onLog: (_type, text) => {
      if (!text.startsWith(MESSAGE_TAG)) {
        return;
      }
      const message = JSON.parse(text.slice(MESSAGE_TAG.length)) as ExtHostMessage;
      if (message.kind === 'step') {
        void onStep(message.name);
      } else if (message.kind === 'result') {
        result = message.result;
      } else if (message.kind === 'error') {
        failures.push(`extension host: ${message.message}`);
      }
    },
    onExit: (code) => exited.resolve(code),
  });
  await watchRows(page, [...opts.targets.firstClusters, opts.targets.firstJob, opts.targets.submitted]).then(() => watched.resolve(page), watched.reject);

  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS).unref());
  const exitCode = await Promise.race([exited.promise, timeout]);
  const shown = await shownSoFar(page);
  await page.context().close();
  if (exitCode === 'timeout') {
    failures.push(`the extension host did not finish within ${RUN_TIMEOUT_MS} ms`);
  }
  if (!result || failures.length > 0) {
    throw new Error(`the VS Code session failed: ${failures.join('; ') || `no result (exit code ${String(exitCode)})`}`);
  }
  return { result, shown, vscodeActivationMs, targets: opts.targets, config: opts.config };
}

function figures(simulator: Simulator, latencyMs: number, session: Session, counts: { clusters: number; touched: number; appended: Appended | { error: string } }): VSCodeFigures {
  const { result, shown, targets } = session;
  const requests = simulator.requests;
  const firstClustersShown = Math.min(...targets.firstClusters.map((text) => shown[text] ?? Infinity));
  const untilClusters = arrivedBetween(requests, result.openView.from, firstClustersShown);
  const firstJobShown = shown[targets.firstJob] ?? Infinity;
  const untilFirstPage = arrivedBetween(requests, result.firstPage.from, firstJobShown);
  const batch = arrivedBetween(requests, result.batch.from, result.batch.to);
  const { visible, hidden } = result.autoRefresh;
  return {
    zones: ZONES.length,
    activation: { extHostMs: result.activateMs, vscodeMs: session.vscodeActivationMs, wasActive: result.wasActive, loadedAtActivation: result.loadedAtActivation },
    openView: {
      ms: firstClustersShown - result.openView.from,
      requests: untilClusters.length,
      clusterLists: countPath(untilClusters, PATHS.clusterList),
      roundTrips: roundTrips(untilClusters, latencyMs),
      arrivals: untilClusters.map((r) => ({ path: r.path, zone: r.query.zone, atMs: r.time.getTime() - result.openView.from })),
    },
    firstPage: {
      jobs: BIG_CLUSTER_JOBS,
      ms: firstJobShown - result.firstPage.from,
      requests: untilFirstPage.length,
      heapDeltaBytes: result.firstPage.heapDeltaBytes,
      jobsLoaded: result.firstPage.jobsLoaded,
      gcExposed: result.firstPage.gcExposed,
    },
    batch: {
      ...counts,
      deletes: countPath(batch, PATHS.deleteJobs),
      jobLists: countPath(batch, PATHS.jobList),
      otherRequests: batch.length - countPath(batch, PATHS.deleteJobs) - countPath(batch, PATHS.jobList),
      requested: result.batch.requested,
      done: result.batch.done,
    },
    autoRefresh: {
      visibleSeconds: (visible.to - visible.from) / 1000,
      visibleRequests: arrivedBetween(requests, visible.from, visible.to).length,
      hiddenSeconds: (hidden.to - hidden.from) / 1000,
      hiddenRequests: arrivedBetween(requests, hidden.from, hidden.to).length,
    },
    memory: result.memory,
    submit: { ...submitFigures(requests, result.submit, shown[targets.submitted]), expandedClusters: counts.clusters },
    jobOutput: jobOutputFigures(requests, result.jobOutput, session.config, counts.appended),
  };
}

function jobOutputFigures(requests: readonly RecordedRequest[], result: ExtHostResult['jobOutput'], config: ExtHostConfig, appended: Appended | { error: string }): VSCodeFigures['jobOutput'] {
  if ('error' in result) {
    return result;
  }
  if ('error' in appended) {
    return appended;
  }
  const { from, to, ...follow } = result.follow;
  const paths = arrivedBetween(requests, from, to).map((request) => request.path);
  const quietTabCheck = (path: string) => path === `${PATHS.jobDetail}/${config.jobOutput.big.hpcjobUuid}`;
  return {
    big: { ...result.big, fileBytes: config.jobOutput.big.bytes },
    follow: {
      ...follow,
      seconds: appended.ms / 1000,
      appendedBytes: appended.bytes,
      apiPaths: paths.filter((path) => !quietTabCheck(path)),
      quietTabChecks: paths.filter(quietTabCheck).length,
    },
  };
}

function submitFigures(requests: readonly RecordedRequest[], submit: ExtHostResult['submit'], shownAt: number | undefined): Omit<VSCodeFigures['submit'], 'expandedClusters'> {
  const form = arrivedBetween(requests, submit.form.from, submit.form.to);
  const queueLists = countPath(form, PATHS.queueList);
  const userLists = countPath(form, PATHS.userList);
  const sent = arrivedBetween(requests, submit.afterConfirm.from, submit.afterConfirm.to);
  return {
    form: { queueLists, userLists, otherRequests: form.length - queueLists - userLists },
    afterConfirm: {
      paths: sent.map((request) => request.path),
      arrivals: sent.map((request) => ({ path: request.path, atMs: request.time.getTime() - submit.afterConfirm.from })),
      reveals: submit.afterConfirm.reveals,
      shownMs: shownAt === undefined ? NaN : shownAt - submit.afterConfirm.from,
      selectedMs: submit.afterConfirm.selectedMs,
    },
    formAgainRequests: arrivedBetween(requests, submit.formAgain.from, submit.formAgain.to).length,
  };
}

/**
 * Activation alone, in a VS Code of its own: VS Code's activation time (undefined if the page
 * would not tell it) and the extension host's. For the build the bench compares with.
 */
export async function activationInVSCode(runDir: string, extensionPath: string): Promise<{ vscodeMs?: number; extHostMs: number; wasActive: boolean }> {
  const signalsDir = path.join(runDir, 'signals');
  fs.mkdirSync(signalsDir, { recursive: true });
  const config = { signalsDir, activationOnly: true } as ExtHostConfig;
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const server = await startVSCodeServer({ runDir, env: { [CONFIG_ENV]: JSON.stringify(config) } });
  const browser = await launchBrowser(runDir);
  try {
    let result: ActivationResult | undefined;
    let vscodeMs: number | undefined;
    const exited = deferred<number>();
    const opened = deferred<Page>();
    const url = server.workbenchUrl(workspace, { extensionDevelopmentPath: extensionPath, extensionTestsPath: path.join(repoRoot, 'out', 'scripts', 'bench', 'exthost.js') });
    const page = await openWorkbench(browser, url, {
      onLog: (_type, text) => {
        if (!text.startsWith(MESSAGE_TAG)) {
          return;
        }
        const message = JSON.parse(text.slice(MESSAGE_TAG.length)) as ExtHostMessage;
        if (message.kind === 'activation') {
          result = message.result;
        } else if (message.kind === 'step') {
          void opened.promise
            .then(async (page) => (vscodeMs = await readActivationTime(page).catch(() => undefined)))
            .finally(() => sendSignal(signalsDir, message.name));
        }
      },
      onExit: (code) => exited.resolve(code),
    });
    opened.resolve(page);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS).unref());
    await Promise.race([exited.promise, timeout]);
    await page.context().close();
    if (!result) {
      throw new Error('the older build did not report its activation');
    }
    return { vscodeMs, extHostMs: result.activateMs, wasActive: result.wasActive };
  } finally {
    await Promise.allSettled([browser.close(), server.stop()]);
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // whoever awaits it sees the failure; nobody else has to
  return { promise, resolve, reject };
}
