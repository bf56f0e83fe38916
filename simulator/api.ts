// The operations: routing by method and path (the path is the action), operation
// parameters, and the success responses. Authentication has already passed here.
import type { SimCluster } from './data';
import { ApiError, RetCode } from './errors';
import type { Operations } from './operations';
import { listItem, type Store } from './store';

export interface ApiRequest {
  method: string;
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** The body text ('' for GET). */
  body: string;
  /** deleteJobs/stopJobs act on only this many of the named ids (an injected partial success). */
  actOnFirst?: number;
  /** stopJobs: its operation fails and stops nothing (an injected fault). */
  failOperation?: boolean;
}

export interface ApiContext {
  store: Store;
  now: () => Date;
  /** A fresh asynchronous-operation id (`j-…`), as stopJobs returns. */
  operationId: () => string;
  operations: Operations;
  /** How long a stopJobs operation takes to complete. */
  stopDelayMs: number;
}

type Handler = (req: ApiRequest, ctx: ApiContext, id: string) => object;

interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** The path continues with one id segment (`/api/job/jobdetail/{hpcjob_uuid}`). */
  withId?: boolean;
  handle: Handler;
}

const ROUTES: Route[] = [
  { method: 'GET', path: '/api/cluster/list', handle: listClusters },
  { method: 'GET', path: '/api/job/list', handle: listJobs },
  { method: 'GET', path: '/api/job/jobdetail', withId: true, handle: jobDetail },
  { method: 'POST', path: '/api/job/deleteJobs', handle: deleteJobs },
  { method: 'POST', path: '/api/job/stopJobs', handle: stopJobs },
  { method: 'GET', path: '/api/operation', handle: listOperations },
];

/** The handler for `method path`, or undefined when there is no such action. */
export function findRoute(method: string, path: string): ((req: ApiRequest, ctx: ApiContext) => object) | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) {
      continue;
    }
    if (!route.withId && path === route.path) {
      return (req, ctx) => route.handle(req, ctx, '');
    }
    const id = path.slice(route.path.length + 1);
    if (route.withId && path.startsWith(route.path + '/') && id !== '' && !id.includes('/')) {
      return (req, ctx) => route.handle(req, ctx, id);
    }
  }
  return undefined;
}

const MAX_LIMIT = 100;

function listClusters(req: ApiRequest, ctx: ApiContext): object {
  const zone = required(req.query, 'zone');
  const { limit, offset } = paging(req.query);
  knownZone(ctx, zone);
  const items = ctx.store.clusterItems(zone, {
    status: optional(req.query, 'status'),
    searchWord: optional(req.query, 'search_word'),
    clusterId: optional(req.query, 'cluster_id'),
    clusterType: optional(req.query, 'cluster_type'),
  });
  return {
    action: 'HpcClusterListClusterResponse',
    ret_code: 0,
    total_count: items.length,
    cluster_set: items.slice(offset, offset + limit),
  };
}

function listJobs(req: ApiRequest, ctx: ApiContext): object {
  const zone = required(req.query, 'zone');
  const clusterId = required(req.query, 'cluster_id');
  const { limit, offset } = paging(req.query);
  const cluster = knownCluster(ctx, zone, clusterId);
  const jobs = ctx.store.jobs(cluster, {
    status: optional(req.query, 'job_status'),
    searchWord: optional(req.query, 'search_word'),
    queueName: optional(req.query, 'queue_name'),
    runUser: optional(req.query, 'run_user'),
  });
  return {
    action: 'HpcJobListJobsResponse',
    ret_code: 0,
    total_count: jobs.length,
    hpc_job_set: jobs.slice(offset, offset + limit).map(listItem),
  };
}

function jobDetail(req: ApiRequest, ctx: ApiContext, hpcjobUuid: string): object {
  const zone = required(req.query, 'zone');
  const clusterId = required(req.query, 'cluster_id');
  const cluster = knownCluster(ctx, zone, clusterId);
  const job = ctx.store.job(cluster, hpcjobUuid);
  if (!job) {
    throw new ApiError(RetCode.NotFound, `job [${hpcjobUuid}] not found in cluster [${clusterId}]`);
  }
  // The docs' response names this action HpcJobGetJobDetailResponse (table and example).
  return { action: 'HpcJobGetJobDetailResponse', ret_code: 0, hpc_job_set: [{ ...job }] };
}

function deleteJobs(req: ApiRequest, ctx: ApiContext): object {
  const { cluster, jobIds } = jobsBody(req, ctx);
  // Ids not in the cluster are ignored: the real response says nothing per job either,
  // so a client learns what went only by listing again.
  ctx.store.deleteJobs(cluster, jobIds.slice(0, req.actOnFirst));
  return { action: 'HpcJobDeleteJobsResponse', ret_code: 0 };
}

/** Answers at once with an operation id; the jobs stop only when the operation completes. */
function stopJobs(req: ApiRequest, ctx: ApiContext): object {
  const { zone, cluster, jobIds } = jobsBody(req, ctx);
  const operation = ctx.operations.startStop({
    id: ctx.operationId(),
    zone,
    cluster,
    jobIds: jobIds.slice(0, req.actOnFirst),
    now: ctx.now(),
    delayMs: ctx.stopDelayMs,
    fail: req.failOperation === true,
  });
  return { action: 'HpcJobStopJobsResponse', ret_code: 0, job_uuid: operation.job_id };
}

/**
 * The zone's operations, newest first. A list, not a lookup: an unknown id (or one of another
 * zone) matches nothing and gives an empty `job_set`, not an error.
 */
function listOperations(req: ApiRequest, ctx: ApiContext): object {
  const zone = required(req.query, 'zone');
  const { limit, offset } = paging(req.query);
  knownZone(ctx, zone);
  const items = ctx.operations.list(zone, {
    // The SDK also knows `jobs` for the id; the docs' table has `job_ids`.
    jobId: optional(req.query, 'job_ids') ?? optional(req.query, 'jobs'),
    status: optional(req.query, 'status'),
    resourceId: optional(req.query, 'resource_ids'),
    jobAction: optional(req.query, 'job_action'),
  });
  return {
    action: 'HpcOperationListOperationResponse',
    ret_code: 0,
    total_count: items.length,
    job_set: items.slice(offset, offset + limit),
  };
}

/** The `{ cluster_id, job_ids, zone }` body of deleteJobs and stopJobs. */
function jobsBody(req: ApiRequest, ctx: ApiContext): { zone: string; cluster: SimCluster; jobIds: string[] } {
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    throw new ApiError(RetCode.BadParameter, 'request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(RetCode.BadParameter, 'request body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  // POST takes zone in the body; one in the query only does not count.
  const zone = requiredString(fields, 'zone', 'zone is required in the JSON body');
  const clusterId = requiredString(fields, 'cluster_id', 'cluster_id is required in the JSON body');
  const jobIds = fields.job_ids;
  if (!Array.isArray(jobIds) || jobIds.length === 0) {
    throw new ApiError(RetCode.BadParameter, 'job_ids must be a non-empty array');
  }
  // Integer scheduler job_ids here are a client bug: the API takes hpcjob_uuid strings.
  if (!jobIds.every((id): id is string => typeof id === 'string')) {
    throw new ApiError(RetCode.BadParameter, 'job_ids must hold hpcjob_uuid strings (hpcjob-…)');
  }
  return { zone, cluster: knownCluster(ctx, zone, clusterId), jobIds };
}

function optional(query: Record<string, string>, name: string): string | undefined {
  return query[name] === '' ? undefined : query[name];
}

function required(query: Record<string, string>, name: string): string {
  const value = optional(query, name);
  if (value === undefined) {
    throw new ApiError(RetCode.BadParameter, `missing required parameter: ${name}`);
  }
  return value;
}

function requiredString(fields: Record<string, unknown>, name: string, message: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value === '') {
    throw new ApiError(RetCode.BadParameter, message);
  }
  return value;
}

/** The API never returns more than 100 items, whatever `limit` asks for. */
function paging(query: Record<string, string>): { limit: number; offset: number } {
  return {
    limit: Math.min(count(query, 'limit', 10), MAX_LIMIT),
    offset: count(query, 'offset', 0),
  };
}

function count(query: Record<string, string>, name: string, fallback: number): number {
  const value = optional(query, name);
  if (value === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(value)) {
    throw new ApiError(RetCode.BadParameter, `${name} must be a non-negative integer, got [${value}]`);
  }
  return Number(value);
}

function knownZone(ctx: ApiContext, zone: string): void {
  if (!ctx.store.hasZone(zone)) {
    throw new ApiError(RetCode.NotFound, `zone [${zone}] not found`);
  }
}

function knownCluster(ctx: ApiContext, zone: string, clusterId: string): SimCluster {
  knownZone(ctx, zone);
  const cluster = ctx.store.cluster(zone, clusterId);
  if (!cluster) {
    throw new ApiError(RetCode.NotFound, `cluster [${clusterId}] not found in zone [${zone}]`);
  }
  return cluster;
}
