// Asynchronous operations (`j-…`): stopJobs, startCluster and stopCluster answer with one at
// once, and what they ask for happens only when it completes, some time later;
// GET /api/operation tells how it went.
// An operation completes `delayMs` after it started by the simulator's clock. It is settled
// when anything looks (a request, a test hook), not by a timer: nothing outlives close(),
// and a test's own clock drives it.
import { formatUtcTime, type SimCluster } from './data';
import { RetCode } from './errors';
import type { Store } from './store';

export type OperationStatus = 'pending' | 'successful' | 'failed';

/** One item of `job_set`, as GET /api/operation lists it. */
export interface OperationItem {
  /** The operation id, `j-…` (what stopJobs returned as `job_uuid`). */
  job_id: string;
  job_action: string;
  action_describe: string;
  status: OperationStatus;
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  create_time: string;
  /** When the status last changed, `YYYY-MM-DDTHH:MM:SSZ`. */
  status_time: string;
  /** '' unless failed; then the ret_code of why, e.g. '1400' (a job had already ended). */
  error_codes: string;
  /** Space-separated: the cluster id, then the job ids (stopJobs); the cluster ids (start, stop). */
  resource_ids: string;
}

/** Any operation: what it is, and what it does when it completes (its error code, if it fails). */
export interface OperationSpec {
  id: string;
  zone: string;
  jobAction: string;
  actionDescribe: string;
  resourceIds: readonly string[];
  now: Date;
  delayMs: number;
  complete: (at: Date) => number | undefined;
}

export interface StopRequest {
  id: string;
  zone: string;
  cluster: SimCluster;
  jobIds: readonly string[];
  now: Date;
  delayMs: number;
  /** An injected fault: the operation fails and stops nothing. */
  fail: boolean;
}

export interface OperationFilter {
  jobId?: string;
  status?: string;
  resourceId?: string;
  jobAction?: string;
}

interface Operation {
  zone: string;
  dueMs: number;
  complete: (at: Date) => number | undefined;
  item: OperationItem;
}

export class Operations {
  /** Oldest first; with one delay for all, also the order they complete in. */
  private readonly operations: Operation[] = [];

  /** stopJobs: the named jobs are cancelled when the operation completes. */
  startStop(req: StopRequest, store: Store): OperationItem {
    return this.add({
      id: req.id,
      zone: req.zone,
      jobAction: 'HpcJobStopJobs',
      actionDescribe: '取消作业',
      resourceIds: [req.cluster.info.cluster_id, ...req.jobIds],
      now: req.now,
      delayMs: req.delayMs,
      complete: (at) => (req.fail ? RetCode.Internal : stopJobsNow(store, req.cluster, [...req.jobIds], at)),
    });
  }

  add(spec: OperationSpec): OperationItem {
    const time = formatUtcTime(spec.now.getTime());
    const operation: Operation = {
      zone: spec.zone,
      dueMs: spec.now.getTime() + Math.max(0, spec.delayMs),
      complete: spec.complete,
      item: {
        job_id: spec.id,
        job_action: spec.jobAction,
        action_describe: spec.actionDescribe,
        status: 'pending',
        create_time: time,
        status_time: time,
        error_codes: '',
        resource_ids: spec.resourceIds.join(' '),
      },
    };
    this.operations.push(operation);
    return { ...operation.item };
  }

  /**
   * Completes every operation due by `now`, in the order they fall due (then started);
   * `beforeEach` first brings the rest of the world to the moment each one completes.
   */
  settle(now: Date, beforeEach?: (due: Date) => void): void {
    const due = this.operations
      .filter((o) => o.item.status === 'pending' && o.dueMs <= now.getTime())
      .sort((a, b) => a.dueMs - b.dueMs);
    for (const operation of due) {
      beforeEach?.(new Date(operation.dueMs));
      const at = new Date(operation.dueMs);
      const errorCode = operation.complete(at);
      operation.item.status = errorCode === undefined ? 'successful' : 'failed';
      operation.item.error_codes = errorCode === undefined ? '' : String(errorCode);
      operation.item.status_time = formatUtcTime(operation.dueMs);
    }
  }

  /** The zone's operations matching `filter`, newest first. */
  list(zone: string, filter: OperationFilter): OperationItem[] {
    return this.operations
      .filter((o) => o.zone === zone)
      .map((o) => o.item)
      .filter((item) => filter.jobId === undefined || item.job_id === filter.jobId)
      .filter((item) => filter.status === undefined || item.status === filter.status)
      .filter((item) => filter.jobAction === undefined || item.job_action === filter.jobAction)
      .filter((item) => filter.resourceId === undefined || item.resource_ids.split(' ').includes(filter.resourceId))
      .reverse()
      .map((item) => ({ ...item }));
  }
}

/**
 * The scheduler stops what it can: the live jobs are cancelled even when another named job had
 * already ended or was gone, but then the operation as a whole is `failed`.
 */
function stopJobsNow(store: Store, cluster: SimCluster, jobIds: readonly string[], at: Date): number | undefined {
  let errorCode: number | undefined;
  for (const id of jobIds) {
    const outcome = store.stopJob(cluster, id, at);
    if (outcome !== 'stopped') {
      errorCode ??= outcome === 'missing' ? RetCode.NotFound : RetCode.AccessDenied;
    }
  }
  return errorCode;
}
