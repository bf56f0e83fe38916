// A batch action on jobs picked across clusters: one request per cluster (chunked past the
// API's limit), clusters in parallel, then each touched cluster listed again. The answers
// to deleteJobs and stopJobs say nothing per job, so the fresh list is the only truth.
import { EhpcError } from './errors';
import { Job } from './types';

export type JobRef = Pick<Job, 'zone' | 'clusterId' | 'hpcjobUuid' | 'name'>;

/** How many ids one deleteJobs call takes. */
export const MAX_IDS_PER_REQUEST = 100;

export interface ClusterBatch {
  zone: string;
  clusterId: string;
  jobs: JobRef[];
}

export function clusterKey(zone: string, clusterId: string): string {
  return `${zone}/${clusterId}`;
}

/** Groups jobs by (zone, cluster), keeping first-seen order and dropping repeated ids. */
export function groupByCluster(jobs: readonly JobRef[]): ClusterBatch[] {
  const batches = new Map<string, ClusterBatch>();
  const seen = new Set<string>();
  for (const job of jobs) {
    const key = clusterKey(job.zone, job.clusterId);
    if (seen.has(`${key}/${job.hpcjobUuid}`)) {
      continue;
    }
    seen.add(`${key}/${job.hpcjobUuid}`);
    let batch = batches.get(key);
    if (!batch) {
      batch = { zone: job.zone, clusterId: job.clusterId, jobs: [] };
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

export interface ClusterOutcome {
  zone: string;
  clusterId: string;
  requested: JobRef[];
  /** The fresh list shows the action done (for delete: the job is not listed any more). */
  done: JobRef[];
  /** The fresh list shows the action not done. */
  remaining: JobRef[];
  /** Neither: the cluster could not be listed again, so the outcome is unknown. */
  unknown: JobRef[];
  /** The first failed request of this cluster's action, if any. */
  actionError?: EhpcError;
  /** Why listing the cluster again failed, if it did. */
  listError?: EhpcError;
}

export interface BatchOutcome {
  clusters: ClusterOutcome[];
  requested: number;
  done: number;
}

export type ClusterAction = (zone: string, clusterId: string, hpcjobUuids: string[]) => Promise<void>;
export type ClusterLister = (zone: string, clusterId: string) => Promise<Pick<Job, 'hpcjobUuid' | 'status'>[]>;

export interface BatchSteps {
  act: ClusterAction;
  relist: ClusterLister;
  /**
   * Looks up one job (undefined: it no longer exists). Used only for a job the re-list
   * does not show after a request that failed: a list filtered, or paged, can miss a job
   * that is still there, and only a success of the request makes "not listed" mean "done".
   */
  lookup?: (zone: string, clusterId: string, hpcjobUuid: string) => Promise<Pick<Job, 'status'> | undefined>;
  /** Whether the action took effect, from the job as listed afterwards (undefined: not listed). */
  isDone: (listed: Pick<Job, 'status'> | undefined) => boolean;
}

/** Delete is done when the job is no longer listed. */
export const isDeleted = (listed: unknown) => listed === undefined;

/**
 * Cancel is done when the job no longer waits or runs, or is gone altogether. A state the
 * extension does not know is no proof that it stopped.
 */
export const isCancelled = (listed: Pick<Job, 'status'> | undefined) =>
  listed === undefined || (listed.status !== 'pending' && listed.status !== 'running' && listed.status !== 'unknown');

export async function runBatch(batches: readonly ClusterBatch[], steps: BatchSteps): Promise<BatchOutcome> {
  const clusters = await Promise.all(batches.map((batch) => runClusterBatch(batch, steps)));
  return {
    clusters,
    requested: clusters.reduce((sum, c) => sum + c.requested.length, 0),
    done: clusters.reduce((sum, c) => sum + c.done.length, 0),
  };
}

async function runClusterBatch(batch: ClusterBatch, { act, relist, isDone, lookup }: BatchSteps): Promise<ClusterOutcome> {
  const outcome: ClusterOutcome = {
    zone: batch.zone,
    clusterId: batch.clusterId,
    requested: batch.jobs,
    done: [],
    remaining: [],
    unknown: [],
  };
  for (const ids of chunk(batch.jobs.map((job) => job.hpcjobUuid), MAX_IDS_PER_REQUEST)) {
    try {
      await act(batch.zone, batch.clusterId, ids);
    } catch (error) {
      outcome.actionError = asEhpcError(error);
      break; // the rest would most likely fail the same way; the re-list below tells what happened
    }
  }
  try {
    const listed = new Map((await relist(batch.zone, batch.clusterId)).map((job) => [job.hpcjobUuid, job]));
    for (const job of batch.jobs) {
      if (listed.has(job.hpcjobUuid) || !outcome.actionError || !lookup) {
        (isDone(listed.get(job.hpcjobUuid)) ? outcome.done : outcome.remaining).push(job);
      } else {
        await checkOne(job, outcome, isDone, () => lookup(batch.zone, batch.clusterId, job.hpcjobUuid));
      }
    }
  } catch (error) {
    // After a request that went through, a cluster that no longer exists has no jobs left.
    // Anything else, and any doubt about the request, leaves us not knowing.
    const listError = asEhpcError(error);
    if (listError.kind === 'notFound' && !outcome.actionError) {
      outcome.done.push(...batch.jobs);
    } else {
      outcome.listError = listError;
      outcome.unknown.push(...batch.jobs);
    }
  }
  return outcome;
}

/** Sorts one job by looking it up; a failed look-up leaves it unknown. */
async function checkOne(job: JobRef, outcome: ClusterOutcome, isDone: BatchSteps['isDone'], find: () => Promise<Pick<Job, 'status'> | undefined>): Promise<void> {
  try {
    (isDone(await find()) ? outcome.done : outcome.remaining).push(job);
  } catch (error) {
    outcome.listError ??= asEhpcError(error);
    outcome.unknown.push(job);
  }
}

function asEhpcError(error: unknown): EhpcError {
  return error instanceof EhpcError ? error : new EhpcError('server', '{0}', [error instanceof Error ? error.message : String(error)]);
}
