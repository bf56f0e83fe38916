// Start Cluster and Stop Cluster, from cluster rows (with the selection), the palette, or a
// caller naming clusters: one fresh list per account and zone, one confirmation, then the
// requests of src/clusters/power.ts under a progress notification with cancel, the rows saying
// "Starting..."/"Stopping..." meanwhile, and one summary of what the server lists afterwards.
import * as vscode from 'vscode';
import { Session } from '../accounts/connection';
import { ClusterPowerResult, PowerAction, PowerCluster, PowerClient, PowerPlan, planPower, runPower } from '../clusters/power';
import { clusterState } from '../clusters/state';
import { ClusterPlace, clusterKey } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { Cluster } from '../ehpc/types';
import { Services } from '../services';
import { unlinked, withAside } from '../text/punctuation';
import { asTreeNode, ClusterNode } from '../tree/nodes';
import { showSummary } from '../ui/batchSummary';
import { nothingToSend, powerQuestion, powerSummary, PowerTarget } from '../ui/powerText';
import { allClusters } from './jobAction';

export interface PowerRunResult {
  results: ClusterPowerResult[];
  summary: string;
}

/** Clusters this window is starting or stopping now, with their transition: never sent twice. */
const underWay = new Map<string, 'starting' | 'stopping'>();

const TOWARD = { start: 'starting', stop: 'stopping' } as const;

/**
 * Runs Start or Stop on a tree invocation (clicked row + selection), on clusters named as
 * `{ account, zone, clusterId }` (one or an array), or, with no argument, on clusters the user
 * picks. Resolves the results with the summary shown, or undefined when nothing was sent.
 */
export async function runClusterPower(services: Services, action: PowerAction, clicked?: unknown, selection?: unknown): Promise<PowerRunResult | undefined> {
  const places = clicked === undefined ? await pickClusters(services, action) : placesFrom(clicked, selection);
  if (!places || places.length === 0) {
    if (places) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select one or more clusters in the EHPC view first.'));
    }
    return undefined;
  }
  // Taken before the question: a sign-out or another key while it is open stops the send.
  const sessions = await sessionsFor(services, places);
  const targets = await listAfresh(services, sessions, places);
  const plan = planPower(action, targets);
  const name = clusterName(services);
  if (plan.groups.length === 0) {
    void vscode.window.showInformationMessage(nothingToSend(plan, name));
    return undefined;
  }
  const listed = new Map(targets.map((cluster) => [clusterKey(cluster), cluster]));
  const asked = (cluster: PowerCluster) => liveJobs(listed.get(clusterKey(cluster)) ?? {});
  const sending = plan.groups.flatMap((group) => group.requests.flatMap((request) => request.clusters));
  const uncounted = action === 'stop' ? sending.filter((cluster) => asked(cluster) === undefined) : [];
  if (uncounted.length > 0) {
    // Its jobs would end unasked: refused, not guessed as none.
    void vscode.window.showWarningMessage(vscode.l10n.t('The cluster list does not say how many jobs run on {0}. Nothing was stopped: refresh the view and try again.', uncounted.map((cluster) => `"${name(cluster)}"`).join(', ')));
    return undefined;
  }
  const question = powerQuestion(plan, name);
  const confirmed = question.jobs > 0
    ? await services.prompts.confirmTyped(question.message, question.detail, String(question.jobs))
    : await services.prompts.confirm(question.message, question.detail, question.button);
  if (!confirmed) {
    return undefined;
  }
  if (action === 'stop') {
    // Jobs may have started while the question was open: a stop ends only the jobs it named.
    // Could not look again (a key changed or removed meanwhile ends the session's requests):
    // nothing is stopped unchecked.
    const relisted = await listAfresh(services, sessions, places).catch((error: unknown) => {
      if (error instanceof EhpcError && (error.kind === 'cancelled' || error.kind === 'signedOut')) {
        return undefined;
      }
      throw error;
    });
    if (!relisted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Nothing was stopped: the key of an account changed while you were asked.'));
      return undefined;
    }
    const now = new Map(relisted.map((cluster) => [clusterKey(cluster), cluster]));
    const grown = sending.filter((cluster) => {
      const live = liveJobs(now.get(clusterKey(cluster)) ?? {});
      return live === undefined || live > (asked(cluster) ?? 0);
    });
    if (grown.length > 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Jobs started on {0} while you were asked. Nothing was stopped: run Stop Cluster again to see them.', grown.map((cluster) => `"${name(cluster)}"`).join(', ')));
      return undefined;
    }
  }
  const results = await sendPlan(services, plan, sessions, progressTitle(plan, name));
  const summary = powerSummary(action, results, name);
  services.log.info(`${action === 'stop' ? 'Stop' : 'Start'} clusters: ${summary.message}`);
  showSummary(summary, services.log);
  return { results, summary: summary.message };
}

/**
 * Start and Submit: starts a stopped cluster and waits until it is active (progress with
 * cancel). True when the list afterwards shows it active; otherwise the user is told why, and
 * that nothing was submitted.
 */
export async function startForSubmit(services: Services, cluster: Cluster, session: Session): Promise<boolean> {
  const sessions = new Map([[cluster.account, session]]);
  const plan = planPower('start', [cluster]);
  const name = clusterName(services);
  if (plan.groups.length === 0) {
    return clusterState(cluster) === 'active';
  }
  const results = await sendPlan(services, plan, sessions, vscode.l10n.t('Starting cluster "{0}"; the job is submitted once it is active...', name(cluster)));
  if (results[0]?.outcome === 'done') {
    return true;
  }
  const { message } = powerSummary('start', results, name);
  services.log.warn(`Start and Submit: ${message} Nothing was submitted.`);
  void vscode.window.showWarningMessage(`${message} ${vscode.l10n.t('Nothing was submitted.')}`.trim());
  return false;
}

/** Sends the plan and follows it; the rows show the transition from the moment a request is accepted. */
async function sendPlan(services: Services, plan: PowerPlan, sessions: ReadonlyMap<string, Session>, title: string): Promise<ClusterPowerResult[]> {
  const toward = TOWARD[plan.action];
  const sent = plan.groups.flatMap((group) => group.requests.flatMap((request) => request.clusters));
  services.log.info(`${plan.action === 'stop' ? 'Stopping' : 'Starting'} ${sent.length} cluster(s): ${sent.map((cluster) => `${cluster.zone}/${cluster.clusterId}`).join(', ')}.`);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
      runPower(plan, {
        client: (account) => treeClient(services, sessions.get(account)!.client, account, token),
        mayContinue: (account) => sessions.get(account)?.isCurrent() ?? false,
        // Cancel sends no further request (a zone past 100 clusters goes in several).
        cancelled: () => token.isCancellationRequested,
        onAccepted: (request, operationId) => {
          services.log.info(`${plan.action} accepted for ${request.zone}: ${request.clusters.map((cluster) => cluster.clusterId).join(', ')} (operation ${operationId}).`);
          for (const cluster of request.clusters) {
            underWay.set(clusterKey(cluster), toward);
          }
          services.model.patchClusters(request.clusters.map((cluster) => ({ ...treeCluster(services, cluster), transitionStatus: toward })));
        },
        now: Date.now,
        // Cancel stops the following at once (never what was sent): the look-up still tells where it got.
        sleep: (ms) => new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            subscription.dispose();
            resolve();
          };
          const timer = setTimeout(done, ms);
          const subscription = token.onCancellationRequested(done);
        }),
      }),
    );
  } finally {
    for (const cluster of sent) {
      underWay.delete(clusterKey(cluster));
    }
  }
}

/**
 * The account's client for the power requests: its list afterwards also updates the rows
 * (no second request), and after a cancel the operations are no longer asked about.
 */
function treeClient(services: Services, client: Session['client'], account: string, token: vscode.CancellationToken): PowerClient {
  return {
    startClusters: (zone, ids) => client.startClusters(zone, ids),
    stopClusters: (zone, ids) => client.stopClusters(zone, ids),
    operation: (zone, id) => (token.isCancellationRequested ? Promise.reject(new Error('cancelled')) : client.operation(zone, id)),
    listAllClusters: async (zone) => {
      const clusters = await client.listAllClusters(zone);
      showListed(services, clusters.map((cluster) => ({ ...cluster, account })));
      return clusters;
    },
  };
}

/** Shows clusters as just listed; a stopped cluster's loaded jobs are listed again (the stop ended them). */
function showListed(services: Services, clusters: readonly Cluster[]): void {
  const stoppedNow = clusters.filter((cluster) => {
    const before = services.model.findCluster(cluster)?.cluster;
    return before && clusterState(before) !== 'stopped' && clusterState(cluster) === 'stopped';
  });
  services.model.patchClusters(clusters);
  for (const cluster of stoppedNow) {
    const node = services.model.findCluster(cluster);
    if (node && services.model.loadedJobList(node)) {
      services.model.refresh(node);
    }
  }
}

/** A cluster this window is starting or stopping keeps saying so until the server lists the transition or its end. */
function withUnderWay(cluster: Cluster): Cluster {
  const transition = underWay.get(clusterKey(cluster));
  return transition && clusterState(cluster) === (transition === 'starting' ? 'stopped' : 'active') ? { ...cluster, transitionStatus: transition } : cluster;
}

function treeCluster(services: Services, cluster: PowerCluster): Cluster {
  return services.model.findCluster(cluster)?.cluster ?? { ...cluster };
}

/** One session per account the clusters belong to; an account without a key fails the command (it offers Sign In). */
async function sessionsFor(services: Services, places: readonly ClusterPlace[]): Promise<Map<string, Session>> {
  const accounts = [...new Set(places.map((place) => place.account))];
  const sessions = await Promise.all(accounts.map((account) => services.accounts.connection(account).session()));
  return new Map(accounts.map((account, i) => [account, sessions[i]]));
}

/**
 * The picked clusters as the server lists them now (one list per account and zone), so that
 * the question names their jobs and state as they are; the rows show that list too. A cluster
 * no longer listed is left out as in an unknown state.
 */
async function listAfresh(services: Services, sessions: ReadonlyMap<string, Session>, places: readonly ClusterPlace[]): Promise<PowerTarget[]> {
  const zones = [...new Map(places.map((place) => [`${encodeURIComponent(place.account)}/${place.zone}`, place])).values()];
  const lists = await Promise.all(zones.map(async ({ account, zone }) => (await sessions.get(account)!.client.listAllClusters(zone)).map((cluster) => ({ ...cluster, account }))));
  // Another Start or Stop of this window may have been accepted before the server lists its transition.
  const listed = lists.flat().map(withUnderWay);
  showListed(services, listed);
  const byKey = new Map(listed.map((cluster) => [clusterKey(cluster), cluster]));
  return places.map((place) => byKey.get(clusterKey(place)) ?? { ...place, name: services.model.findCluster(place)?.cluster.name ?? place.clusterId, status: 'unknown' });
}

/** A cluster's running and pending jobs as listed; undefined when the list does not say. */
function liveJobs(cluster: { runningJobCount?: number; pendingJobCount?: number }): number | undefined {
  return cluster.runningJobCount === undefined || cluster.pendingJobCount === undefined ? undefined : cluster.runningJobCount + cluster.pendingJobCount;
}

/** The clusters of a tree invocation (the selection if the clicked row is in it), or named ones. */
function placesFrom(clicked: unknown, selection: unknown): ClusterPlace[] {
  const node = asTreeNode(clicked);
  if (node) {
    const rows = Array.isArray(selection) && selection.includes(clicked) ? (selection as unknown[]) : [clicked];
    return rows.filter((row): row is ClusterNode => asTreeNode(row)?.kind === 'cluster').map(({ cluster }) => placeOf(cluster));
  }
  const named = Array.isArray(clicked) ? (clicked as unknown[]) : [clicked];
  return named.filter(isPlace).map(placeOf);
}

function isPlace(value: unknown): value is ClusterPlace {
  const place = value as Partial<ClusterPlace> | undefined;
  return typeof place?.account === 'string' && typeof place.zone === 'string' && typeof place.clusterId === 'string';
}

function placeOf({ account, zone, clusterId }: ClusterPlace): ClusterPlace {
  return { account, zone, clusterId };
}

/** The palette: the listed clusters the action applies to, several at once. */
async function pickClusters(services: Services, action: PowerAction): Promise<ClusterPlace[] | undefined> {
  await services.accounts.requireSignedIn(); // not signed in: the command wrapper offers Sign In
  const from = action === 'stop' ? 'active' : 'stopped';
  const clusters = allClusters(services).then((list) => list.filter((cluster) => clusterState(cluster) === from));
  const title = action === 'stop' ? vscode.l10n.t('Stop Cluster') : vscode.l10n.t('Start Cluster');
  const picked = await services.prompts.pickClusters(clusters, title);
  return picked?.map(placeOf);
}

/** The cluster's name, with its account's when there are several; never a link in a message. */
function clusterName(services: Services): (cluster: PowerCluster) => string {
  return (cluster) => unlinked(services.accounts.several ? withAside(cluster.name, cluster.account) : cluster.name);
}

function progressTitle(plan: PowerPlan, name: (cluster: PowerCluster) => string): string {
  const sent = plan.groups.flatMap((group) => group.requests.flatMap((request) => request.clusters));
  const stop = plan.action === 'stop';
  return sent.length === 1
    ? stop ? vscode.l10n.t('Stopping cluster "{0}"...', name(sent[0])) : vscode.l10n.t('Starting cluster "{0}"...', name(sent[0]))
    : stop ? vscode.l10n.t('Stopping {0} clusters...', sent.length) : vscode.l10n.t('Starting {0} clusters...', sent.length);
}

