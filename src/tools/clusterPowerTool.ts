// ehpc_startCluster and ehpc_stopCluster: start or stop clusters an agent names by id, across
// zones and accounts, with planPower/runPower (one request per account and zone). Fail closed
// like the job tools: the clusters are listed afresh before the user is asked and again
// before anything is sent; an id no account lists (or that two list, unless the account is
// named) refuses the whole call; the call sends exactly the clusters the user confirmed, or
// nothing: a cluster that is no longer in the state the question counted, or one stopped
// with more jobs than the question named, refuses it. A changed key drops every decision.
import * as vscode from 'vscode';
import { ClusterPowerResult, PowerAction, planPower, PowerPlan, SkipReason } from '../clusters/power';
import { runPower } from '../clusters/power';
import { clusterState } from '../clusters/state';
import { EhpcClient } from '../ehpc/client';
import { Cluster } from '../ehpc/types';
import { Services } from '../services';
import { clusterStatusLabel } from '../text/statusLabels';
import { accountsNamed, answer, checkBeforeAsking, listAccounts, refuseMalformed, ToolContext } from './common';
import { clusterLabel, reason } from './format';
import { PreparedCalls } from './preparedCalls';

export const START_CLUSTER = 'ehpc_startCluster';
export const STOP_CLUSTER = 'ehpc_stopCluster';

/** How long a call follows the operations before it answers "still stopping": a chat waits for it. */
export const TOOL_POWER_WAIT_MS = 2 * 60_000;

interface Input {
  cluster_ids: string[];
  account?: string;
}

/** A named cluster as listed now, with its account's client. */
interface Found {
  cluster: Cluster;
  ehpc: EhpcClient;
}

/** What the user confirmed: per cluster sent (by key), the jobs it had then. */
type Confirmed = ReadonlyMap<string, { running: number; pending: number }>;

function keyOf(cluster: Pick<Cluster, 'account' | 'zone' | 'clusterId'>): string {
  return `${encodeURIComponent(cluster.account)}/${cluster.zone}/${cluster.clusterId}`;
}

const WORDS = {
  start: { did: 'Started', done: 'active', toward: 'starting' },
  stop: { did: 'Stopped', done: 'stopped', toward: 'stopping' },
} as const;

export function clusterPowerTool(context: ToolContext, toolName: string, action: PowerAction): vscode.LanguageModelTool<unknown> {
  const { services } = context;
  // Identical calls' questions may have counted different jobs: an invoke acts on what all allowed.
  const prepared = new PreparedCalls<{ readonly refusal: string } | { readonly confirmed: Confirmed }>((a, b) => ({ confirmed: bothConfirmed(a.confirmed, b.confirmed) }));
  services.credentials.onDidChange(() => prepared.clear());

  /** Every check against the server now; a string is a refusal: nothing may be sent. */
  async function check(input: unknown): Promise<{ plan: PowerPlan; found: Map<string, Found> } | string> {
    const malformed = refuseMalformed(context, toolName, input, true);
    if (malformed) {
      return malformed;
    }
    const { cluster_ids: ids, account } = input as Input;
    try {
      const found = await findClusters(services, ids, account);
      if (typeof found === 'string') {
        return found;
      }
      const plan = planPower(action, [...found.values()].map((entry) => entry.cluster));
      if (plan.groups.length === 0) {
        const states = plan.skipped.map(({ cluster, state }) => `${clusterLabel(cluster)} is ${state}`).join('; ');
        return `Nothing to do: none of the clusters can be ${action === 'start' ? 'started (only a stopped one can)' : 'stopped (only an active one can)'}, so nothing was sent. ${states}.`;
      }
      // A question with jobs it cannot count would say "0 running": refuse before asking.
      const uncounted = action === 'stop' ? plan.groups.flatMap((group) => group.requests.flatMap((request) => request.clusters)).map((cluster) => found.get(cluster.clusterId)!.cluster).filter((cluster) => cluster.runningJobCount === undefined || cluster.pendingJobCount === undefined) : [];
      if (uncounted.length > 0) {
        return `Refused: the cluster list does not say how many jobs run on ${uncounted.map(clusterLabel).join(', ')}, so none may be ended unasked; nothing was sent. List the clusters again later.`;
      }
      return { plan, found: new Map([...found.values()].map((entry) => [keyOf(entry.cluster), entry])) };
    } catch (error) {
      return `Failed: ${reason(error)} Nothing was sent.`;
    }
  }

  return {
    async prepareInvocation({ input }) {
      const ready = await checkBeforeAsking(prepared, input, check);
      if ('refused' in ready) {
        return ready.refused;
      }
      const { checked, generation } = ready;
      const sending = checked.plan.groups.flatMap((group) => group.requests.flatMap((request) => request.clusters));
      const listed = (cluster: { account: string; zone: string; clusterId: string }) => checked.found.get(keyOf(cluster))!.cluster;
      const confirmed = new Map(sending.map((cluster) => [keyOf(cluster), jobsOf(listed(cluster))]));
      prepared.set(input, { confirmed }, generation);
      return {
        invocationMessage: action === 'start' ? vscode.l10n.t('Starting clusters...') : vscode.l10n.t('Stopping clusters...'),
        confirmationMessages: confirmation(services, action, sending.map(listed), checked.plan.skipped.map(({ cluster, reason: why }) => ({ cluster: listed(cluster), why }))),
      };
    },

    invoke: ({ input }, token) =>
      answer(services, toolName, input, async () => {
        // Fail closed: without a question for exactly this call, nothing was confirmed.
        const decided = prepared.takeConfirmed(input);
        if (typeof decided === 'string') {
          return decided;
        }
        const generation = prepared.current;
        const checked = await check(input);
        if (typeof checked === 'string') {
          return checked;
        }
        const changed = changesSince(decided.confirmed, checked.plan, checked.found, action);
        if (changed.length > 0) {
          return `Refused: the clusters changed since the user confirmed; nothing was sent.\n${changed.map((line) => `- ${line}`).join('\n')}\nCall the tool again so that the user is asked.`;
        }
        if (token.isCancellationRequested) {
          return 'Cancelled; nothing was sent.';
        }
        const clientOf = (account: string) => [...checked.found.values()].find((entry) => entry.cluster.account === account)!.ehpc;
        const results = await runPower(checked.plan, {
          client: clientOf,
          // A new key (another account, maybe) ends it: nothing more goes out with the old one.
          mayContinue: () => prepared.current === generation,
          cancelled: () => token.isCancellationRequested,
          onAccepted: () => void services.model.reloadShown(),
          // A cancelled call stops following (the clock jumps past the deadline), then still looks the clusters up.
          now: () => (token.isCancellationRequested ? Number.POSITIVE_INFINITY : Date.now()),
          sleep: (ms) => pause(ms, token),
          timeoutMs: TOOL_POWER_WAIT_MS,
        });
        void services.model.reloadShown();
        return resultText(action, results);
      }),
  };
}

/** The clusters both questions sent, each with the fewer jobs either question named. */
function bothConfirmed(a: Confirmed, b: Confirmed): Confirmed {
  return new Map([...a].filter(([key]) => b.has(key)).map(([key, jobs]) => {
    const other = b.get(key)!;
    return [key, { running: Math.min(jobs.running, other.running), pending: Math.min(jobs.pending, other.pending) }];
  }));
}

function jobsOf(cluster: Cluster): { running: number; pending: number } {
  return { running: cluster.runningJobCount ?? 0, pending: cluster.pendingJobCount ?? 0 };
}

/** Why what would be sent now is not what the user confirmed; empty when it is exactly that. */
function changesSince(confirmed: Confirmed, plan: PowerPlan, found: ReadonlyMap<string, Found>, action: PowerAction): string[] {
  const now = plan.groups.flatMap((group) => group.requests.flatMap((request) => request.clusters.map(keyOf)));
  const label = (key: string) => {
    const entry = found.get(key);
    return entry ? clusterLabel(entry.cluster) : key;
  };
  const lines = [
    ...[...confirmed.keys()].filter((key) => !now.includes(key)).map((key) => {
      const entry = found.get(key);
      return `${label(key)}: ${entry ? `now ${clusterState(entry.cluster)}` : 'no longer listed in that account and zone'}, so it would not be ${action === 'start' ? 'started' : 'stopped'} as confirmed.`;
    }),
    ...now.filter((key) => !confirmed.has(key)).map((key) => `${label(key)}: would now be ${action === 'start' ? 'started' : 'stopped'}, which the user did not confirm.`),
  ];
  if (action === 'stop') {
    for (const key of now) {
      const then = confirmed.get(key);
      const listed = found.get(key)!.cluster;
      const jobs = jobsOf(listed);
      if (listed.runningJobCount === undefined || listed.pendingJobCount === undefined) {
        lines.push(`${label(key)}: the cluster list does not say how many jobs run on it now, so none may be ended unasked.`);
      } else if (then && (jobs.running > then.running || jobs.pending > then.pending)) {
        // `then` is the fewest any question for this input named: an identical call declined before counts too.
        lines.push(`${label(key)}: now ${jobs.running} running and ${jobs.pending} pending job(s), more than the ${then.running} and ${then.pending} that every question for this same call named (an identical call asked earlier counts too).`);
      }
    }
  }
  return lines;
}

/**
 * Each named cluster, listed afresh in the named account (or every account), or a refusal:
 * an id listed nowhere, or by two accounts when none is named.
 */
async function findClusters(services: Services, ids: readonly string[], accountName: string | undefined): Promise<Map<string, Found> | string> {
  const named = accountsNamed(services, accountName);
  if (typeof named === 'string') {
    return `Refused: ${named} Nothing was sent.`;
  }
  const listings = await listAccounts(services, named);
  const matches = (id: string): Found[] =>
    listings.flatMap(({ ehpc, zones }) => (ehpc ? zones.flatMap((zone) => zone.clusters).filter((cluster) => cluster.clusterId === id).map((cluster) => ({ cluster, ehpc })) : []));
  const problems: string[] = [];
  const found = new Map<string, Found>();
  for (const id of ids) {
    const all = matches(id);
    if (all.length === 1) {
      found.set(id, all[0]);
    } else if (all.length > 1) {
      problems.push(`- ${id}: listed by several accounts (${all.map((entry) => JSON.stringify(entry.cluster.account)).join(', ')}); name the one to use in "account"`);
    } else {
      problems.push(`- ${id}: not a cluster of the configured zones`);
    }
  }
  if (problems.length === 0) {
    return found;
  }
  const failures = listings.flatMap((listing) => [
    ...(listing.error !== undefined ? [`Account ${JSON.stringify(listing.account.name)} could not be used: ${reason(listing.error)}`] : []),
    ...listing.zones.flatMap((zone) => (zone.error !== undefined ? [`Zone ${zone.zone} could not be listed: ${reason(zone.error)}`] : [])),
  ]);
  return [
    `Refused: ${problems.length} of the ${ids.length} cluster ids cannot be used; nothing was sent.`,
    ...problems,
    ...failures,
    'Use ehpc_listClusters for the ids, and name only clusters it lists.',
  ].join('\n');
}

/** The question: every cluster that would go, with its running and pending jobs, and what is left alone. */
function confirmation(services: Services, action: PowerAction, sending: readonly Cluster[], skipped: readonly { cluster: Cluster; why: SkipReason }[]): vscode.LanguageModelToolConfirmationMessages {
  const several = services.accounts.several;
  const line = (cluster: Cluster) => {
    const where = several
      ? vscode.l10n.t('“{0}” ({1}) in zone {2} of account {3}', cluster.name, cluster.clusterId, cluster.zone, cluster.account)
      : vscode.l10n.t('“{0}” ({1}) in zone {2}', cluster.name, cluster.clusterId, cluster.zone);
    const { running, pending } = jobsOf(cluster);
    return `• ${vscode.l10n.t('{0}: {1}', where, vscode.l10n.t('{0} running, {1} pending', running, pending))}`;
  };
  const title = action === 'start'
    ? sending.length === 1 ? vscode.l10n.t('Start cluster “{0}”?', sending[0].name) : vscode.l10n.t('Start {0} clusters?', sending.length)
    : sending.length === 1 ? vscode.l10n.t('Stop cluster “{0}”?', sending[0].name) : vscode.l10n.t('Stop {0} clusters?', sending.length);
  const withJobs = sending.some((cluster) => (cluster.runningJobCount ?? 0) + (cluster.pendingJobCount ?? 0) > 0);
  const consequence = action === 'start'
    ? vscode.l10n.t('Starting takes a few minutes. A pay-as-you-go cluster is billed while it runs.')
    : withJobs
      ? vscode.l10n.t('Stopping ends the running and pending jobs of these clusters; they do not run again when the cluster is started. A stopped pay-as-you-go cluster is not billed.')
      : vscode.l10n.t('A stopped pay-as-you-go cluster is not billed, and takes no jobs until it is started again.');
  const lines = [vscode.l10n.t('Asked by a chat agent.'), '', ...sending.map(line), '', consequence];
  if (skipped.length > 0) {
    lines.push('', vscode.l10n.t('Left alone:'), ...skipped.map(({ cluster, why }) => `• ${vscode.l10n.t('{0}: {1}', `“${cluster.name}” (${cluster.clusterId})`, skipText(cluster, why))}`));
  }
  return { title, message: new vscode.MarkdownString().appendText(lines.join('\n')) };
}

function skipText(cluster: Cluster, why: SkipReason): string {
  switch (why) {
    case 'already':
      return vscode.l10n.t('already {0}', clusterStatusLabel(cluster.status));
    case 'inTransition':
      return vscode.l10n.t('already starting or stopping');
    default:
      return vscode.l10n.t('cannot be started or stopped while {0}', clusterStatusLabel(cluster.status));
  }
}

/** What the server says now of each named cluster, for the model. */
function resultText(action: PowerAction, results: readonly ClusterPowerResult[]): string {
  const words = WORDS[action];
  const done = results.filter((result) => result.outcome === 'done').length;
  const lines = [`${words.did} ${done} of ${results.length} cluster(s); what the cluster list says now:`];
  for (const result of results) {
    lines.push(`- ${clusterLabel(result.cluster)}, zone ${result.cluster.zone}: ${outcomeText(action, result)}`);
  }
  return lines.join('\n');
}

function outcomeText(action: PowerAction, result: ClusterPowerResult): string {
  const words = WORDS[action];
  const codes = result.errorCodes ? ` (error codes ${result.errorCodes})` : '';
  const error = result.error ? `: ${result.error.message}` : '';
  switch (result.outcome) {
    case 'done':
      return `${words.done}.`;
    case 'underWay':
      return `still ${words.toward}: the server accepted the request and the cluster has not finished yet. The view shows it; list the clusters again in a few minutes.`;
    case 'failed':
      return `failed${codes}${error}; the list shows it ${result.state ?? 'unchanged'}.`;
    case 'notDone':
      return result.operationUnread
        ? `not ${words.done}: its operation could not be read and the list shows it ${result.state}, not ${words.toward}; the request may have been refused. List the clusters before trying again.`
        : result.notFollowed
          ? `not ${words.done} as far as the list shows (${result.state}, not ${words.toward}): the request was sent, and the call was cancelled before its operation was followed. List the clusters again in a few minutes.`
          : `not ${words.done}: the operation ended, yet the list shows it ${result.state}.`;
    case 'gone':
      return 'no longer listed in its zone.';
    case 'unknown':
      return `sent, but it could not be listed afterwards${error}. List the clusters before trying again.`;
    case 'skipped':
      return `not sent: it was ${result.state}.`;
    case 'notSent':
      return result.error?.kind === 'cancelled'
        ? 'not sent: the call was cancelled first.'
        : 'not sent: an earlier request of its zone failed, or the user signed out or changed keys meanwhile.';
  }
}

/** Waits, or less when the call is cancelled. */
function pause(ms: number, token: vscode.CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const subscription = token.onCancellationRequested(done);
    function done() {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    }
  });
}
