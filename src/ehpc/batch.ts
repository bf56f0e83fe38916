// A batch action on jobs picked across clusters: one request per cluster (chunked past the
// API's limit), clusters in parallel, then exactly the jobs sent looked up again, unfiltered.
// The answers to deleteJobs and stopJobs say nothing per job, so that look-up is the only truth.
import { EhpcError } from './errors';
import { Job } from './types';

export type JobRef = Pick<Job, 'account' | 'zone' | 'clusterId' | 'hpcjobUuid' | 'name'>;

/** A cluster of an account: where a request goes, and with whose key it is signed. */
export type ClusterPlace = Pick<Job, 'account' | 'zone' | 'clusterId'>;

/** How many ids one deleteJobs call takes. */
export const MAX_IDS_PER_REQUEST = 100;

export interface ClusterBatch extends ClusterPlace {
  jobs: JobRef[];
}

/**
 * One string per cluster of an account, for maps and tree ids. Two accounts may list the
 * same cluster (two keys of one owner): they are two places, each acted on with its own key.
 */
export function clusterKey(place: ClusterPlace): string {
  return `${encodeURIComponent(place.account)}/${place.zone}/${place.clusterId}`;
}

/** Groups jobs by account and cluster, keeping first-seen order and dropping repeated ids. */
export function groupByCluster(jobs: readonly JobRef[]): ClusterBatch[] {
  const batches = new Map<string, ClusterBatch>();
  const seen = new Set<string>();
  for (const job of jobs) {
    const key = clusterKey(job);
    if (seen.has(`${key}/${job.hpcjobUuid}`)) {
      continue;
    }
    seen.add(`${key}/${job.hpcjobUuid}`);
    let batch = batches.get(key);
    if (!batch) {
      batch = { account: job.account, zone: job.zone, clusterId: job.clusterId, jobs: [] };
      batches.set(key, batch);
    }
    batch.jobs.push(job);
  }
  return [...batches.values()];
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

export interface ClusterOutcome extends ClusterPlace {
  requested: JobRef[];
  /** The server shows the action done (for delete: the job no longer exists). */
  done: JobRef[];
  /** The server shows the action not done. */
  remaining: JobRef[];
  /** Accepted, and still under way when the batch stopped waiting (an asynchronous stop). */
  inProgress: JobRef[];
  /** Sent (or maybe sent), but not checked afterwards: the outcome is unknown. */
  unknown: JobRef[];
  /** Never sent: an earlier request of this cluster failed, or the session ended first. */
  notSent: JobRef[];
  /** The first failed request of this cluster's action, if any. */
  actionError?: EhpcError;
  /** Why checking the jobs afterwards failed, if it did. */
  listError?: EhpcError;
  /** The asynchronous operation behind the action reported failure. */
  operationFailed?: boolean;
  /** Per job sent, the asynchronous operation its request started (a stop the watch follows). */
  operations: Map<string, string>;
}

export interface BatchOutcome {
  clusters: ClusterOutcome[];
  requested: number;
  done: number;
}

/** Sends one request; resolves the id of the asynchronous operation it started, if any. */
export type ClusterAction = (cluster: ClusterPlace, hpcjobUuids: string[]) => Promise<string | undefined | void>;

/** The truth about exactly these jobs, unfiltered: each id to its job, or undefined when it no longer exists. */
export type JobLookup = (cluster: ClusterPlace, hpcjobUuids: readonly string[]) => Promise<ReadonlyMap<string, Pick<Job, 'status'> | undefined>>;

/** How the asynchronous operations of one cluster ended: 'pending' when the wait ran out first. */
export type Settled = 'successful' | 'failed' | 'pending';

export interface BatchSteps {
  act: ClusterAction;
  lookup: JobLookup;
  /** Whether the action took effect, from the job as it is now (undefined: it no longer exists). */
  isDone: (job: Pick<Job, 'status'> | undefined) => boolean;
  /**
   * Whether the batch may go on in that account: false once the user signed out of it,
   * changed its key or removed it. Checked before every request; afterwards nothing more is
   * sent or looked up with the old key.
   */
  mayContinue?: (account: string) => boolean;
  /** For an asynchronous action: waits for the operations its requests started. */
  settle?: (cluster: ClusterPlace, operationIds: string[]) => Promise<Settled>;
}

/** Delete is done when the job no longer exists. */
export const isDeleted = (job: unknown) => job === undefined;

/**
 * Cancel is done when the job no longer waits or runs, or is gone altogether. A state the
 * extension does not know is no proof that it stopped.
 */
export const isCancelled = (job: Pick<Job, 'status'> | undefined) =>
  job === undefined || (job.status !== 'pending' && job.status !== 'running' && job.status !== 'unknown');

export async function runBatch(batches: readonly ClusterBatch[], steps: BatchSteps): Promise<BatchOutcome> {
  const clusters = await Promise.all(batches.map((batch) => runClusterBatch(batch, steps)));
  return {
    clusters,
    requested: clusters.reduce((sum, c) => sum + c.requested.length, 0),
    done: clusters.reduce((sum, c) => sum + c.done.length, 0),
  };
}

/** The error a batch reports for the jobs it did not check because the key changed. */
export function sessionEndedError(): EhpcError {
  return new EhpcError('signedOut', 'You signed out (or changed keys, or removed the account) during the batch, so it stopped there.');
}

async function runClusterBatch(batch: ClusterBatch, { act, lookup, isDone, mayContinue = () => true, settle }: BatchSteps): Promise<ClusterOutcome> {
  const outcome: ClusterOutcome = {
    account: batch.account,
    zone: batch.zone,
    clusterId: batch.clusterId,
    requested: batch.jobs,
    done: [],
    remaining: [],
    inProgress: [],
    unknown: [],
    notSent: [],
    operations: new Map(),
  };
  // Jobs whose request went out, answered or not: only these can have changed.
  const attempted: JobRef[] = [];
  const operations: string[] = [];
  for (const jobs of chunk(batch.jobs, MAX_IDS_PER_REQUEST)) {
    if (outcome.actionError || !mayContinue(batch.account)) {
      // The rest would most likely fail the same way, or would go out with a key the user removed.
      outcome.notSent.push(...jobs);
      continue;
    }
    attempted.push(...jobs);
    try {
      const operation = await act(batch, jobs.map((job) => job.hpcjobUuid));
      if (operation) {
        operations.push(operation);
        jobs.forEach((job) => outcome.operations.set(job.hpcjobUuid, operation));
      }
    } catch (error) {
      outcome.actionError = asEhpcError(error);
    }
  }
  if (attempted.length === 0) {
    return outcome;
  }
  let settled: Settled = 'successful';
  try {
    if (settle && operations.length > 0 && mayContinue(batch.account)) {
      settled = await settle(batch, operations);
      outcome.operationFailed = settled === 'failed';
    }
    if (!mayContinue(batch.account)) {
      throw sessionEndedError();
    }
    const found = await lookup(batch, attempted.map((job) => job.hpcjobUuid));
    for (const job of attempted) {
      if (!found.has(job.hpcjobUuid)) {
        throw new EhpcError('badResponse', 'The check after the batch did not answer for job {0}.', [job.hpcjobUuid]);
      }
    }
    for (const job of attempted) {
      const now = found.get(job.hpcjobUuid);
      (isDone(now) ? outcome.done : settled === 'pending' ? outcome.inProgress : outcome.remaining).push(job);
    }
  } catch (error) {
    // After requests that all went through, a cluster that no longer exists has no jobs left.
    // Anything else, and any doubt about the requests, leaves us not knowing.
    const listError = asEhpcError(error);
    outcome.done = [];
    outcome.remaining = [];
    outcome.inProgress = [];
    if (listError.kind === 'notFound' && !outcome.actionError && settled !== 'failed') {
      outcome.done.push(...attempted);
    } else {
      outcome.listError = listError;
      outcome.unknown.push(...attempted);
    }
  }
  return outcome;
}

function asEhpcError(error: unknown): EhpcError {
  return error instanceof EhpcError ? error : new EhpcError('server', '{0}', [error instanceof Error ? error.message : String(error)]);
}
