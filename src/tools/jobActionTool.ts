// ehpc_deleteJobs and ehpc_cancelJobs: an action on jobs an agent names by id, in one
// cluster, run by the same machinery as the tree's (runConfirmedBatch). The named jobs are
// looked up afresh (lookupJobs: unfiltered, a few requests) before the user is asked, and
// again before anything is sent; any id that is not a job of the cluster refuses the whole
// call. Nothing runs without a confirmed decision of prepareInvocation for the call.
import * as vscode from 'vscode';
import { ClusterOutcome, groupByCluster } from '../ehpc/batch';
import { lookupJobs } from '../ehpc/lookup';
import { Cluster, Job } from '../ehpc/types';
import { JobAction, runConfirmedBatch } from '../batch/runner';
import { confirmationText } from '../ui/batchSummary';
import { agentConfirmation, answer, checkBeforeAsking, failureText, findCluster, maxJobsPerCall, refuseMalformed, ToolContext } from './common';
import { clusterLabel, jobList } from './format';
import { PreparedCalls } from './preparedCalls';

interface Input {
  cluster_id: string;
  /** The account whose cluster it is; needed only when two accounts list that id. */
  account?: string;
  hpcjob_uuids: string[];
}

/** A request that passed every check: what would be sent, and what is left alone. */
interface Ready {
  cluster: Cluster;
  eligible: Job[];
  ineligible: Job[];
}

/** The English words of each action's results (for the model; see format.ts). */
const WORDS = {
  delete: { did: 'Deleted', done: 'no longer listed', notDone: 'still listed', ineligible: 'not deletable', noneEligible: '' },
  cancel: {
    did: 'Cancelled',
    done: 'no longer pending or running',
    notDone: 'still pending or running',
    ineligible: 'neither pending nor running',
    noneEligible: 'none of them is pending or running',
  },
} as const;

export function jobActionTool(context: ToolContext, toolName: string, action: JobAction): vscode.LanguageModelTool<unknown> {
  const { services } = context;
  const words = WORDS[action.name];
  // What prepareInvocation decided, for the invoke VS Code runs after it (see PreparedCalls).
  // The decision pins the account too: the invoke acts with the account the question named.
  // Identical calls' questions may have named different jobs: an invoke acts on jobs all named.
  const prepared = new PreparedCalls<{ readonly refusal: string } | { readonly confirmed: ReadonlySet<string>; readonly account: string }>((a, b) =>
    a.account === b.account
      ? { account: a.account, confirmed: new Set([...a.confirmed].filter((id) => b.confirmed.has(id))) }
      : `Refused: identical calls were confirmed for different accounts (${JSON.stringify(a.account)}, ${JSON.stringify(b.account)}); nothing was sent. Call the tool again, naming the account.`);
  services.credentials.onDidChange(() => prepared.clear());

  /**
   * Every check, against the server now; a string is a refusal: nothing may be sent. With
   * `pinned` (at invoke), only the account the user confirmed is searched for the cluster.
   */
  async function check(input: unknown, pinned?: string): Promise<Ready | string> {
    const malformed = refuseMalformed(context, toolName, input, true);
    if (malformed) {
      return malformed;
    }
    const { cluster_id: clusterId, hpcjob_uuids: ids, account } = input as Input;
    const max = maxJobsPerCall();
    if (ids.length > max) {
      return (
        `Refused: ${ids.length} jobs named, but one call may name at most ${max} (setting ehpc.agentMaxJobsPerCall); nothing was sent. ` +
        `Ask the user before going on in calls of at most ${max} jobs.`
      );
    }
    try {
      const found = await findCluster(services, clusterId, pinned ?? account);
      if ('notFound' in found) {
        return `Refused: ${found.notFound} Nothing was sent.`;
      }
      const { cluster, zones, ehpc } = found;
      // Unfiltered, whatever page a job is on: an id deep in the list is as much the cluster's.
      const looked = await lookupJobs(ehpc, cluster.zone, cluster.clusterId, ids);
      const listed = new Map([...looked].flatMap(([id, job]) => (job ? [[id, job] as const] : [])));
      context.known.remember(cluster, [...listed.values()]);
      const unknown = ids.filter((id) => !listed.has(id));
      if (unknown.length > 0) {
        const allClusters = zones.flatMap((zone) => zone.clusters);
        const where = unknown.map((id) => {
          const elsewhere = context.known.elsewhere(id, cluster, allClusters);
          return `- ${id}: ${elsewhere ? `a job of ${elsewhere}, not of this cluster` : 'not listed in this cluster'}`;
        });
        return (
          `Refused: ${unknown.length} of the ${ids.length} ids are not jobs of cluster ${clusterLabel(cluster)}; nothing was sent.\n${where.join('\n')}\n` +
          `List the cluster's jobs with ehpc_listJobs and name only ids it lists; one call acts on one cluster.`
        );
      }
      const jobs = ids.map((id) => listed.get(id)!);
      const eligible = jobs.filter((job) => action.eligible(job));
      const ineligible = jobs.filter((job) => !action.eligible(job));
      if (eligible.length === 0) {
        // Only Cancel has ineligible jobs (Delete takes any).
        return `Nothing to do: ${words.noneEligible}, so nothing was sent. Statuses: ${statuses(jobs)}.`;
      }
      return { cluster, eligible, ineligible };
    } catch (error) {
      return `${failureText(error)} Nothing was sent.`;
    }
  }

  return {
    async prepareInvocation({ input }) {
      const ready = await checkBeforeAsking(prepared, input, check);
      if ('refused' in ready) {
        return ready.refused;
      }
      const { checked, generation } = ready;
      const { cluster, eligible, ineligible } = checked;
      prepared.set(input, { confirmed: new Set(eligible.map((job) => job.hpcjobUuid)), account: cluster.account }, generation);
      const { message, detail } = confirmationText(groupByCluster(eligible), action.phrases, () => cluster.name);
      const skipped = ineligible.length > 0 && action.phrases.skipped ? [action.phrases.skipped(ineligible.length)] : [];
      return {
        invocationMessage: action.phrases.progress(eligible.length),
        confirmationMessages: agentConfirmation(services, cluster, message, detail, ...skipped),
      };
    },

    invoke: ({ input }, token) =>
      answer(services, toolName, input, async () => {
        // Fail closed: without a question for exactly this call, nothing was confirmed.
        const decided = prepared.takeConfirmed(input);
        if (typeof decided === 'string') {
          return decided;
        }
        const checked = await check(input, decided.account);
        if (typeof checked === 'string') {
          return checked;
        }
        const { cluster } = checked;
        if (cluster.account !== decided.account) {
          return `Refused: the user confirmed this for account ${JSON.stringify(decided.account)}, but its cluster is now found only in account ${JSON.stringify(cluster.account)}; nothing was sent. Call the tool again so that the user is asked.`;
        }
        // Never more than the user confirmed: jobs that became eligible since stay alone.
        const unconfirmed = checked.eligible.filter((job) => !decided.confirmed.has(job.hpcjobUuid));
        const eligible = checked.eligible.filter((job) => !unconfirmed.includes(job));
        const busy = eligible.filter((job) => services.busy.kind(job));
        const idle = eligible.filter((job) => !busy.includes(job));
        const leftAlone = [
          ...(checked.ineligible.length ? [`Left alone, ${words.ineligible}: ${jobList(checked.ineligible)}.`] : []),
          ...(unconfirmed.length ? [`Left alone, not in what the user confirmed: ${jobList(unconfirmed)}.`] : []),
          ...(busy.length ? [`Left alone, another batch is already working on them: ${jobList(busy)}.`] : []),
        ];
        if (token.isCancellationRequested || idle.length === 0) {
          return [token.isCancellationRequested ? 'Cancelled; nothing was sent.' : 'Nothing was sent.', ...leftAlone].join('\n');
        }
        const result = await runConfirmedBatch(services, action, idle, {
          origin: `tool ${toolName}`,
          notify: false,
          clusterName: () => cluster.name,
        });
        if (!result) {
          return ['Nothing was sent: another batch took those jobs meanwhile.', ...leftAlone].join('\n');
        }
        return [...result.clusters.map((outcome) => outcomeText(outcome, cluster)), ...leftAlone].join('\n');
      }),
  };

  function outcomeText(outcome: ClusterOutcome, cluster: Cluster): string {
    const lines = [`${words.did} ${outcome.done.length} of ${outcome.requested.length} job(s) in cluster ${clusterLabel(cluster)}.`];
    if (outcome.done.length > 0) {
      lines.push(`Done (${words.done} now): ${jobList(outcome.done)}.`);
    }
    if (outcome.remaining.length > 0) {
      const why = outcome.actionError
        ? ` The request failed: ${outcome.actionError.message}`
        : outcome.operationFailed
          ? ' The server reported that the operation failed.'
          : ' The server accepted the request but still lists them.';
      lines.push(`Not done (${words.notDone}): ${jobList(outcome.remaining)}.${why}`);
    }
    if (outcome.unknown.length > 0) {
      const why = [outcome.actionError && `the request failed: ${outcome.actionError.message}`, outcome.listError && `listing again failed: ${outcome.listError.message}`];
      lines.push(`Unknown, sent but could not be checked (${why.filter(Boolean).join('; ')}): ${jobList(outcome.unknown)}. List the cluster again before retrying.`);
    }
    if (outcome.inProgress.length > 0) {
      lines.push(`Still stopping (the server accepted the request; the scheduler has not ended them yet): ${jobList(outcome.inProgress)}. The extension watches them and tells the user when they have stopped, or why they could not be.`);
    }
    if (outcome.notSent.length > 0) {
      const why = outcome.actionError ? 'an earlier request failed' : 'the user signed out or changed keys during the batch';
      lines.push(`Not sent (${why}): ${jobList(outcome.notSent)}.`);
    }
    return lines.join('\n');
  }
}

function statuses(jobs: readonly Job[]): string {
  const counts = new Map<string, number>();
  for (const job of jobs) {
    counts.set(job.status, (counts.get(job.status) ?? 0) + 1);
  }
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
}
