// A batch action on jobs picked across clusters: one request per cluster (chunked past the
// API's limit), clusters in parallel, then each touched cluster listed again. The answer
// to deleteJobs says nothing per job, so the fresh list is the only truth about the outcome.
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
  /** Not listed any more. */
  gone: JobRef[];
  /** Still listed after the action. */
  stillListed: JobRef[];
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
  gone: number;
}

export type ClusterAction = (zone: string, clusterId: string, hpcjobUuids: string[]) => Promise<void>;
export type ClusterLister = (zone: string, clusterId: string) => Promise<Pick<Job, 'hpcjobUuid'>[]>;

export async function runBatch(batches: readonly ClusterBatch[], act: ClusterAction, relist: ClusterLister): Promise<BatchOutcome> {
  const clusters = await Promise.all(batches.map((batch) => runClusterBatch(batch, act, relist)));
  return {
    clusters,
    requested: clusters.reduce((sum, c) => sum + c.requested.length, 0),
    gone: clusters.reduce((sum, c) => sum + c.gone.length, 0),
  };
}

async function runClusterBatch(batch: ClusterBatch, act: ClusterAction, relist: ClusterLister): Promise<ClusterOutcome> {
  const outcome: ClusterOutcome = {
    zone: batch.zone,
    clusterId: batch.clusterId,
    requested: batch.jobs,
    gone: [],
    stillListed: [],
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
    const listed = new Set((await relist(batch.zone, batch.clusterId)).map((job) => job.hpcjobUuid));
    for (const job of batch.jobs) {
      (listed.has(job.hpcjobUuid) ? outcome.stillListed : outcome.gone).push(job);
    }
  } catch (error) {
    // A cluster that no longer exists has no jobs left; anything else leaves us not knowing.
    const listError = asEhpcError(error);
    if (listError.kind === 'notFound') {
      outcome.gone.push(...batch.jobs);
    } else {
      outcome.listError = listError;
      outcome.unknown.push(...batch.jobs);
    }
  }
  return outcome;
}

function asEhpcError(error: unknown): EhpcError {
  return error instanceof EhpcError ? error : new EhpcError('server', error instanceof Error ? error.message : String(error));
}
