// Starting and stopping clusters picked across accounts and zones: one request per account and
// zone (the API takes a zone's cluster ids at once), each followed through its operation on an
// injected clock, then exactly those clusters looked up again. What each cluster is told is
// what that look-up says, never what was merely asked. No `vscode` import: plain Node.
import { chunk, MAX_IDS_PER_REQUEST, sessionEndedError } from '../ehpc/batch';
import { EhpcClient } from '../ehpc/client';
import { EhpcError } from '../ehpc/errors';
import { Cluster, OperationState } from '../ehpc/types';
import { ClusterState, clusterState, inTransition } from './state';

export type PowerAction = 'start' | 'stop';

/** A cluster as picked: where it is, with whose key, and (for the plan) its state when listed. */
export type PowerCluster = Pick<Cluster, 'account' | 'zone' | 'clusterId' | 'name' | 'status'> & Partial<Pick<Cluster, 'transitionStatus'>>;

/** Why a picked cluster is not sent: already there, on its way somewhere, or in a state the action does not apply to. */
export type SkipReason = 'already' | 'inTransition' | 'notApplicable';

/** One request: clusters of one account and zone. */
export interface PowerRequest {
  account: string;
  zone: string;
  clusters: PowerCluster[];
}

/** The requests of one account and zone, sent one after another, then looked up together. */
export interface PowerGroup {
  account: string;
  zone: string;
  requests: PowerRequest[];
}

export interface PowerPlan {
  action: PowerAction;
  groups: PowerGroup[];
  skipped: { cluster: PowerCluster; reason: SkipReason; state: ClusterState }[];
  /** Every picked cluster once, in the order picked: the order of the results. */
  order: PowerCluster[];
}

/**
 * - done: the fresh list shows the wanted state (active, or stopped);
 * - underWay: listed on its way, or its operation seen pending when the wait ran out (or the
 *   following was cancelled): "still stopping", never a failure;
 * - failed: the request was refused, or its operation failed, and the list does not show it done;
 * - notDone: the operation ended, or could not be read at all, yet the list shows the cluster
 *   neither there nor on its way;
 * - gone: the zone's list no longer has the cluster;
 * - unknown: it could not be looked up afterwards;
 * - skipped: not sent (see reason); notSent: never sent (an earlier request failed, the session ended, or cancelled).
 */
export type PowerOutcome = 'done' | 'underWay' | 'failed' | 'notDone' | 'gone' | 'unknown' | 'skipped' | 'notSent';

export interface ClusterPowerResult {
  cluster: PowerCluster;
  outcome: PowerOutcome;
  /** The state the fresh list gives (for skipped: the state it was picked in). */
  state?: ClusterState;
  reason?: SkipReason;
  operationId?: string;
  /** Its operation could not be read at all (polls failed), and the list shows the cluster as it was: maybe refused. */
  operationUnread?: boolean;
  /** Sent, then cancelled before its operation was followed, and the list shows the cluster as it was. */
  notFollowed?: boolean;
  /** The error codes a failed operation named. */
  errorCodes?: string;
  /** A refused request, or why the look-up afterwards failed. */
  error?: EhpcError;
}

export type PowerClient = Pick<EhpcClient, 'startClusters' | 'stopClusters' | 'operation' | 'listAllClusters'>;

export interface PowerSteps {
  client(account: string): PowerClient | Promise<PowerClient>;
  /** False once the user signed out of the account (or changed its key): nothing more is sent with it. */
  mayContinue?(account: string): boolean;
  /** True once the user cancelled: no further request is sent, the following stops, the look-up still runs. */
  cancelled?(): boolean;
  /** A request was accepted: its clusters now start or stop ("Starting..." on their rows). */
  onAccepted?(request: PowerRequest, operationId: string): void;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** The first pause between polls of an operation; each next one doubles, up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** How long an operation is followed at most, from the first request of its group. */
  timeoutMs?: number;
}

export const POLL_INTERVAL_MS = 2000;
export const MAX_POLL_INTERVAL_MS = 30_000;
/** A cluster takes minutes to start or stop; past this the rows say "still starting". */
export const POWER_TIMEOUT_MS = 10 * 60_000;
/** Polls that fail in a row (each already retried by the client) before the following stops. */
export const MAX_POLL_FAILURES = 3;

const WANTED: Record<PowerAction, { from: ClusterState; toward: ClusterState; to: ClusterState }> = {
  start: { from: 'stopped', toward: 'starting', to: 'active' },
  stop: { from: 'active', toward: 'stopping', to: 'stopped' },
};

function key(cluster: Pick<Cluster, 'account' | 'zone' | 'clusterId'>): string {
  return `${encodeURIComponent(cluster.account)}/${cluster.zone}/${cluster.clusterId}`;
}

/**
 * Which picked clusters go, grouped into requests by account and zone (in first-picked order,
 * repeated picks once); the others are left out with the reason, from the state they were listed in.
 */
export function planPower(action: PowerAction, picked: readonly PowerCluster[]): PowerPlan {
  const { from, to } = WANTED[action];
  const seen = new Set<string>();
  const groups = new Map<string, PowerCluster[]>();
  const plan: PowerPlan = { action, groups: [], skipped: [], order: [] };
  for (const cluster of picked) {
    if (seen.has(key(cluster))) {
      continue;
    }
    seen.add(key(cluster));
    plan.order.push(cluster);
    const state = clusterState(cluster);
    if (state !== from) {
      plan.skipped.push({ cluster, state, reason: state === to ? 'already' : inTransition(state) ? 'inTransition' : 'notApplicable' });
      continue;
    }
    const place = `${encodeURIComponent(cluster.account)}/${cluster.zone}`;
    groups.set(place, [...(groups.get(place) ?? []), cluster]);
  }
  plan.groups = [...groups.values()].map((clusters) => ({
    account: clusters[0].account,
    zone: clusters[0].zone,
    requests: chunk(clusters, MAX_IDS_PER_REQUEST).map((part) => ({ account: clusters[0].account, zone: clusters[0].zone, clusters: part })),
  }));
  return plan;
}

/** Sends the plan's requests (groups side by side), follows them, looks them up; a result per picked cluster. */
export async function runPower(plan: PowerPlan, steps: PowerSteps): Promise<ClusterPowerResult[]> {
  const results = new Map<string, ClusterPowerResult>();
  for (const { cluster, reason, state } of plan.skipped) {
    results.set(key(cluster), { cluster, outcome: 'skipped', reason, state });
  }
  const groupResults = await Promise.all(plan.groups.map((group) => runGroup(plan.action, group, steps)));
  for (const result of groupResults.flat()) {
    results.set(key(result.cluster), result);
  }
  return plan.order.map((cluster) => results.get(key(cluster))!);
}

interface SentRequest {
  request: PowerRequest;
  operationId?: string;
  error?: EhpcError;
}

async function runGroup(action: PowerAction, group: PowerGroup, steps: PowerSteps): Promise<ClusterPowerResult[]> {
  const mayContinue = () => steps.mayContinue?.(group.account) ?? true;
  const cancelled = () => steps.cancelled?.() ?? false;
  const deadline = steps.now() + (steps.timeoutMs ?? POWER_TIMEOUT_MS);
  const results: ClusterPowerResult[] = [];
  const sent: SentRequest[] = [];
  let client: PowerClient | undefined;
  for (const request of group.requests) {
    if (cancelled()) {
      const error = new EhpcError('cancelled', 'Cancelled before it was sent.');
      results.push(...request.clusters.map((cluster): ClusterPowerResult => ({ cluster, outcome: 'notSent', error })));
      continue;
    }
    if (sent.some((done) => done.error) || !mayContinue()) {
      // The rest would most likely be refused the same way, or would go with a key the user removed.
      results.push(...request.clusters.map((cluster): ClusterPowerResult => ({ cluster, outcome: 'notSent' })));
      continue;
    }
    const ids = request.clusters.map((cluster) => cluster.clusterId);
    try {
      client ??= await steps.client(group.account);
      const operationId = await (action === 'start' ? client.startClusters(group.zone, ids) : client.stopClusters(group.zone, ids));
      sent.push({ request, operationId });
      steps.onAccepted?.(request, operationId);
    } catch (error) {
      sent.push({ request, error: asEhpcError(error) });
    }
  }
  if (sent.length === 0) {
    return results;
  }
  const operationIds = sent.flatMap((done) => done.operationId ?? []);
  const operations = client ? await follow(client, group.zone, operationIds, { ...steps, deadline, mayContinue, cancelled }) : new Map<string, OperationState>();
  const listed = await lookUp(client, group, sent, mayContinue);
  // Not read because the following was cancelled says nothing of the request.
  const followed = !cancelled();
  for (const { request, operationId, error } of sent) {
    for (const cluster of request.clusters) {
      const operation = operationId ? operations.get(operationId) : undefined;
      const unread = operationId !== undefined && !operation;
      results.push(judge(action, cluster, listed, { operationId, operation, error, unread: followed && unread, notFollowed: !followed && unread }));
    }
  }
  return results;
}

/** The zone's clusters as the server lists them now, or why that failed. */
async function lookUp(client: PowerClient | undefined, group: PowerGroup, sent: readonly SentRequest[], mayContinue: () => boolean): Promise<Map<string, Cluster> | EhpcError> {
  if (!client) {
    // No client, so no request went out: every one of them holds the error.
    return sent[0].error ?? sessionEndedError();
  }
  if (!mayContinue()) {
    return sessionEndedError();
  }
  try {
    const clusters = await client.listAllClusters(group.zone);
    return new Map(clusters.map((cluster) => [cluster.clusterId, cluster]));
  } catch (error) {
    return asEhpcError(error);
  }
}

/** What one cluster is told: the list first; the operation and the request only where the list leaves it open. */
function judge(
  action: PowerAction,
  cluster: PowerCluster,
  listed: Map<string, Cluster> | EhpcError,
  sent: { operationId?: string; operation?: OperationState; error?: EhpcError; unread?: boolean; notFollowed?: boolean },
): ClusterPowerResult {
  const { toward, to } = WANTED[action];
  const base = {
    cluster,
    ...(sent.operationId ? { operationId: sent.operationId } : {}),
    ...(sent.operation?.errorCodes ? { errorCodes: sent.operation.errorCodes } : {}),
    ...(sent.error ? { error: sent.error } : {}),
  };
  if (listed instanceof EhpcError) {
    return { ...base, outcome: sent.error ? 'failed' : 'unknown', error: sent.error ?? listed };
  }
  const now = listed.get(cluster.clusterId);
  if (!now) {
    return { ...base, outcome: 'gone' };
  }
  const state = clusterState(now);
  const outcome: PowerOutcome = state === to
    ? 'done'
    : state === toward
      ? 'underWay'
      : sent.error || sent.operation?.status === 'failed'
        ? 'failed'
        : sent.operation?.status === 'successful' || sent.unread || sent.notFollowed
          ? 'notDone' // ended, or never read: nothing the server said shows it on its way
          : 'underWay'; // seen pending: the wait ran out
  const why = outcome !== 'notDone' ? {} : sent.unread ? { operationUnread: true } : sent.notFollowed ? { notFollowed: true } : {};
  return { ...base, outcome, state, ...why };
}

interface FollowOptions {
  now(): number;
  sleep(ms: number): Promise<void>;
  intervalMs?: number;
  maxIntervalMs?: number;
  deadline: number;
  mayContinue(): boolean;
  cancelled?(): boolean;
}

/**
 * Polls the operations until each has ended (successful or failed), the deadline would pass
 * during the next pause, the session ends, the user cancels, or polls fail MAX_POLL_FAILURES
 * times in a row. The map holds each operation's last answer: one missing was never read.
 */
export async function follow(client: Pick<PowerClient, 'operation'>, zone: string, operationIds: readonly string[], options: FollowOptions): Promise<Map<string, OperationState>> {
  const seen = new Map<string, OperationState>();
  const goOn = () => options.mayContinue() && !options.cancelled?.();
  let open = [...new Set(operationIds)];
  let pause = options.intervalMs ?? POLL_INTERVAL_MS; // a quick start is seen quickly; a slow one costs few polls
  let failures = 0;
  while (open.length > 0 && goOn()) {
    const answers = await Promise.all(open.map((id) => client.operation(zone, id).catch(() => undefined)));
    failures = answers.includes(undefined) ? failures + 1 : 0;
    answers.forEach((answer, i) => answer && seen.set(open[i], answer));
    open = open.filter((id) => !isEnded(seen.get(id)));
    if (open.length === 0 || failures >= MAX_POLL_FAILURES || options.now() + pause > options.deadline || !goOn()) {
      break;
    }
    await options.sleep(pause);
    pause = Math.min(options.maxIntervalMs ?? MAX_POLL_INTERVAL_MS, pause * 2);
  }
  return seen;
}

function isEnded(operation: OperationState | undefined): boolean {
  return operation?.status === 'successful' || operation?.status === 'failed';
}

function asEhpcError(error: unknown): EhpcError {
  return error instanceof EhpcError ? error : new EhpcError('server', '{0}', [error instanceof Error ? error.message : String(error)]);
}
