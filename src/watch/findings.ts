// What one tick of the watch finds out, apart from when it runs and what it may spend: the
// look-ups' answers applied to the watched jobs, and the stop operations a cancel started,
// read while their jobs still run.
import { ClusterPlace, clusterKey } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { Job, OperationState } from '../ehpc/types';
import { BudgetSpent, TickAllowance } from './budget';
import { LookupPlan } from './plan';
import { FinalStatus, isActive, LookupResult, WatchedJob, WatchEvent } from './types';

/** A job answered this many times in a row in a state this version does not know is no longer followed. */
export const UNKNOWN_ANSWERS_LIMIT = 3;

/** A watched job seen ended: no longer followed, to be told. */
export interface Ended {
  job: WatchedJob;
  latest: Job;
  status: FinalStatus;
}

export interface Answers {
  /** The first look-up that failed (out of budget is no failure: the cluster keeps its turn). */
  failure: unknown;
  /** Per account, the quota error its look-ups got: not a failure of the tick, a pause of that account. */
  quotaSpent: Map<string, EhpcError>;
  /** The jobs found in a new state, ended ones too, for the tree. */
  updated: Job[];
  ended: Ended[];
  /** Jobs gone from their cluster, or in a state this version does not know for too long. */
  events: WatchEvent[];
  changes: number;
}

/** One read of a stop operation; `onSend` is called per request sent. */
export type OperationRead = (where: Pick<ClusterPlace, 'account' | 'zone'>, operationId: string, onSend: () => void) => Promise<OperationState>;

/**
 * Applies the look-ups' answers (`outcomes`, one per cluster of `clusters`) to the watched
 * jobs: a job in a new state is updated, or no longer followed when it ended, is gone, or
 * keeps answering a state this version does not know.
 */
export function applyAnswers(
  watched: Map<string, WatchedJob>,
  plan: LookupPlan,
  clusters: readonly (readonly WatchedJob[])[],
  outcomes: readonly PromiseSettledResult<LookupResult>[],
): Answers {
  let failure: unknown;
  const quotaSpent = new Map<string, EhpcError>();
  const updated: Job[] = [];
  const ended: Ended[] = [];
  const events: WatchEvent[] = [];
  let changes = 0;
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'rejected') {
      if (outcome.reason instanceof EhpcError && outcome.reason.kind === 'quota') {
        quotaSpent.set(clusters[i][0].account, outcome.reason);
      } else if (!(outcome.reason instanceof BudgetSpent)) {
        failure ??= outcome.reason; // out of budget is no failure: the cluster keeps its turn
      }
      return;
    }
    plan.answered(clusterKey(clusters[i][0]), outcome.value.jobs.keys());
    for (const asked of clusters[i]) {
      const job = watched.get(asked.hpcjobUuid);
      if (!job || !outcome.value.jobs.has(asked.hpcjobUuid)) {
        continue; // unwatched meanwhile, or not answered for
      }
      const latest = outcome.value.jobs.get(asked.hpcjobUuid);
      if (!latest) {
        watched.delete(job.hpcjobUuid);
        events.push({ kind: 'gone', job });
        changes++;
        continue;
      }
      if (latest.status === 'unknown') {
        // A state this version does not know: not an end, yet not followed forever either.
        job.unknownAnswers = (job.unknownAnswers ?? 0) + 1;
        if (job.unknownAnswers >= UNKNOWN_ANSWERS_LIMIT) {
          watched.delete(job.hpcjobUuid);
          events.push({ kind: 'unknownState', job, latest });
          changes++;
        }
        continue;
      }
      delete job.unknownAnswers;
      if (latest.status === job.status) {
        continue;
      }
      changes++;
      updated.push(latest);
      if (isActive(latest.status)) {
        Object.assign(job, { status: latest.status, startedTime: latest.startedTime ?? job.startedTime, name: latest.name });
      } else {
        watched.delete(job.hpcjobUuid);
        ended.push({ job: { ...job, status: latest.status }, latest, status: latest.status });
      }
    }
  });
  return { failure, quotaSpent, updated, ended, events, changes };
}

/**
 * Reads the stop operations of watched jobs that still run, one read per operation as the
 * budget allows: a failed one is told (`events`) and forgotten, a successful one leaves the
 * next look-up to tell how the jobs ended. Returns the changes.
 */
export async function pollOperations(
  watched: Iterable<WatchedJob>,
  allowance: TickAllowance,
  read: OperationRead,
  events: WatchEvent[],
  log?: { warn(message: string): void },
): Promise<number> {
  const operations = new Map<string, WatchedJob[]>();
  for (const job of watched) {
    if (job.operationId && isActive(job.status)) {
      const key = `${clusterKey(job)} ${job.operationId}`;
      operations.set(key, [...(operations.get(key) ?? []), job]);
    }
  }
  const groups = [...operations.values()];
  const polls = await Promise.allSettled(groups.map((jobs) => allowance.read((onSend) => read(jobs[0], jobs[0].operationId!, onSend), jobs[0].account)));
  let changes = 0;
  groups.forEach((jobs, i) => {
    const poll = polls[i];
    if (poll.status === 'rejected') {
      if (!(poll.reason instanceof BudgetSpent)) {
        log?.warn(`Watch: could not read stop operation ${jobs[0].operationId}: ${describeError(poll.reason)}`);
      }
      return;
    }
    const { status, errorCodes } = poll.value;
    if (status === 'failed') {
      for (const job of jobs) {
        events.push({ kind: 'cancelFailed', job: { ...job }, operationId: job.operationId!, ...(errorCodes ? { errorCodes } : {}) });
        delete job.operationId;
        delete job.cancelRequested;
      }
      changes++;
    } else if (status === 'successful') {
      // The jobs stop now: the next look-up tells how they ended.
      jobs.forEach((job) => delete job.operationId);
      changes++;
    }
  });
  return changes;
}

/** A failure as the log says it. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
