// POST /api/cluster/startCluster and /api/cluster/stopCluster: asynchronous, one operation per
// request for all the clusters it names (`StartClusters` / `StopClusters`). While it runs a
// cluster lists as `active` + `stopping` (or `stopped` + `starting`); when it completes,
// `stopped` (or `active`) with no transition. Stopping ends the cluster's pending and running
// jobs and stops its nodes; a stopped cluster takes no jobs and its login node no logins.
// A PayForUsed cluster is billed only while active: its cpu_hours and mem_hours grow then.
import type { SimCluster, SimJob } from './data';
import { formatUtcTime, formatWireTime } from './data';
import { ApiError, RetCode } from './errors';
import { jsonBody, knownCluster, requiredString, type ApiContext, type ApiRequest } from './request';

type Power = 'start' | 'stop';

const KINDS = {
  start: {
    action: 'HpcClusterStartClusterResponse', jobAction: 'StartClusters', describe: '启动集群',
    from: 'stopped', transition: 'starting', to: 'active',
  },
  stop: {
    action: 'HpcClusterStopClusterResponse', jobAction: 'StopClusters', describe: '关闭集群',
    from: 'active', transition: 'stopping', to: 'stopped',
  },
} as const;

export const startCluster = (req: ApiRequest, ctx: ApiContext): object => power('start', req, ctx);
export const stopCluster = (req: ApiRequest, ctx: ApiContext): object => power('stop', req, ctx);

/** The cluster ids a start/stop body names (for fault rules), or none when it names none. */
export function clusterIdsOf(body: Record<string, unknown> | undefined): string[] {
  const ids = body?.cluster_ids;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

function power(kind: Power, req: ApiRequest, ctx: ApiContext): object {
  const spec = KINDS[kind];
  const fields = jsonBody(req);
  // POST takes zone in the body; one in the query only does not count.
  const zone = requiredString(fields, 'zone');
  const ids = fields.cluster_ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id): id is string => typeof id === 'string' && id !== '')) {
    throw new ApiError(RetCode.BadParameter, 'cluster_ids must be a non-empty array of cluster ids');
  }
  // Refused whole, before anything changes: an unknown cluster (or one of another zone) is 2100;
  // one not in the state to start or stop (or already in a transition) 1400, the code the
  // service gives a resource whose state does not allow the change.
  const clusters = [...new Set(ids)].map((id) => knownCluster(ctx, zone, id));
  for (const cluster of clusters) {
    const { cluster_status: status, transition_status: transition } = cluster.info;
    if (status !== spec.from || transition !== '') {
      const now = transition === '' ? status : `${status} (${transition})`;
      throw new ApiError(RetCode.AccessDenied, `cluster [${cluster.info.cluster_id}] is ${now}: only a ${spec.from} cluster can be ${kind === 'start' ? 'started' : 'stopped'}`);
    }
  }
  const nowMs = ctx.now().getTime();
  for (const cluster of clusters) {
    setTransition(cluster, spec.transition, nowMs);
  }
  const failing = (cluster: SimCluster) => req.failOperation === true && (req.failCluster === undefined || req.failCluster === cluster.info.cluster_id);
  const operation = ctx.operations.add({
    id: ctx.operationId(),
    zone,
    jobAction: spec.jobAction,
    actionDescribe: spec.describe,
    resourceIds: clusters.map((c) => c.info.cluster_id),
    now: ctx.now(),
    delayMs: ctx.clusterPowerMs,
    complete: (at) => {
      let errorCode: number | undefined;
      for (const cluster of clusters) {
        if (failing(cluster)) {
          // An injected failure: this cluster goes back to where it was.
          setTransition(cluster, '', at.getTime());
          errorCode = RetCode.Internal;
        } else {
          switchTo(ctx, cluster, kind, at.getTime());
        }
      }
      return errorCode;
    },
  });
  // The docs' tables name the field `job_ids`, their examples `job_id`: the examples show what
  // the service sends, so `job_id`, one id for the whole request.
  return { action: spec.action, ret_code: 0, job_id: operation.job_id };
}

function setTransition(cluster: SimCluster, transition: string, atMs: number): void {
  cluster.info.transition_status = transition;
  for (const node of cluster.nodes) {
    node.transition_status = transition;
    node.status_time = formatUtcTime(atMs);
  }
}

/** The cluster as a completed start or stop leaves it. */
function switchTo(ctx: ApiContext, cluster: SimCluster, kind: Power, atMs: number): void {
  const on = kind === 'start';
  markUsage(cluster, atMs);
  cluster.info.cluster_status = KINDS[kind].to;
  setTransition(cluster, '', atMs);
  for (const node of cluster.nodes) {
    node.status = on ? 'active' : 'stopped';
    node.health_status = on ? 'healthy' : '';
  }
  for (const queue of cluster.queues) {
    for (const node of queue.node_info) {
      node.status = on ? 'active' : 'stopped';
    }
  }
  if (!on) {
    for (const job of cluster.jobs) {
      endByStop(job, atMs);
    }
  }
  ctx.onPowered?.(cluster, on);
}

/**
 * A job still pending or running when its cluster stops ends `stopped` (not `cancelled`: no one
 * cancelled it, the scheduler went down under it), ended at the moment the stop completed.
 */
function endByStop(job: SimJob, atMs: number): void {
  if (job.job_status !== 'pending' && job.job_status !== 'running') {
    return;
  }
  const time = formatWireTime(atMs);
  if (job.started_time !== undefined) {
    job.run_time = String(Math.max(0, Math.floor((atMs - Date.parse(`${job.started_time}Z`)) / 1000)));
  }
  job.job_status = 'stopped';
  job.end_time = time;
  job.modified_time = time;
  job.pend_reason = '';
}

const HOUR_MS = 3_600_000;

/**
 * What the cluster has used by `nowMs`: core-hours and GB-hours of all its nodes for each whole
 * hour it has been active since the simulator started (a stopping cluster still runs; a
 * starting one does not yet). Whole hours, as a meter that tallies hourly: two reads a moment
 * apart agree, and a test sees the figures move by moving its clock an hour.
 */
export function usageAt(cluster: SimCluster, nowMs: number): { cpu_hours: number; mem_hours: number } {
  const hours = Math.floor(activeMsAt(cluster, nowMs) / HOUR_MS);
  const cores = cluster.nodes.reduce((n, node) => n + node.cpu, 0);
  const memoryGb = cluster.nodes.reduce((n, node) => n + node.memory, 0) / 1024;
  return { cpu_hours: cluster.usage.cpuHours + cores * hours, mem_hours: cluster.usage.memHours + memoryGb * hours };
}

/** Counts the time active up to `atMs`, before the cluster's status changes. */
export function markUsage(cluster: SimCluster, atMs: number): void {
  cluster.usage = { ...cluster.usage, activeMs: activeMsAt(cluster, atMs), sinceMs: atMs };
}

function activeMsAt(cluster: SimCluster, nowMs: number): number {
  const { activeMs, sinceMs } = cluster.usage;
  return activeMs + (cluster.info.cluster_status === 'active' ? Math.max(0, nowMs - sinceMs) : 0);
}
