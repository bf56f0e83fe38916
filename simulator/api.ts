// The operations: routing by method and path (the path is the action), operation
// parameters, and the success responses. Authentication has already passed here.
import type { SimCluster } from './data';
import { ApiError, RetCode } from './errors';
import {
  jsonBody, knownCluster, knownZone, optional, paging, required, requiredString, type ApiContext, type ApiRequest,
} from './request';
import { startCluster, stopCluster, usageAt } from './clusterPower';
import { describeQueue } from './queueLoad';
import { listItem } from './store';
import { createJobFile, submitJob } from './submit';

export type { ApiContext, ApiRequest } from './request';

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
  { method: 'GET', path: '/api/user', handle: listUsers },
  // The docs' page says POST; the SDK sends GET, and so does every client here.
  { method: 'GET', path: '/api/queue/ehpc/getQueueList', handle: listQueues },
  { method: 'GET', path: '/api/cluster/listNodes', handle: listNodes },
  { method: 'POST', path: '/api/cluster/startCluster', handle: startCluster },
  { method: 'POST', path: '/api/cluster/stopCluster', handle: stopCluster },
  { method: 'GET', path: '/api/queue/describeQueue', handle: describeQueue },
  { method: 'POST', path: '/api/job/createJobFile', handle: createJobFile },
  { method: 'POST', path: '/api/job/submitJob', handle: submitJob },
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

function listClusters(req: ApiRequest, ctx: ApiContext): object {
  const zone = required(req.query, 'zone');
  const { limit, offset } = paging(req.query);
  knownZone(ctx, zone);
  const items = ctx.store.clusterItems(zone, {
    status: optional(req.query, 'status'),
    searchWord: optional(req.query, 'search_word'),
    clusterId: optional(req.query, 'cluster_id'),
    clusterType: optional(req.query, 'cluster_type'),
  }, (cluster) => usageAt(cluster, ctx.now().getTime()));
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
  }, ctx.store);
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

/** The cluster named, or without cluster_id every cluster of the zone. */
function clustersAsked(ctx: ApiContext, zone: string, clusterId: string | undefined): SimCluster[] {
  knownZone(ctx, zone);
  return clusterId === undefined ? ctx.store.allClusters().filter((c) => c.zone === zone) : [knownCluster(ctx, zone, clusterId)];
}

/**
 * The cluster's users (or, without cluster_id, those of every cluster of the zone), paged;
 * `search_word` matches the user name, ignoring case.
 */
function listUsers(req: ApiRequest, ctx: ApiContext): object {
  const zone = required(req.query, 'zone');
  const clusterId = optional(req.query, 'cluster_id');
  const { limit, offset } = paging(req.query);
  const clusters = clustersAsked(ctx, zone, clusterId);
  const word = optional(req.query, 'search_word')?.toLowerCase();
  const userId = optional(req.query, 'user_id');
  const users = clusters
    .flatMap((c) => c.users)
    .filter((u) => word === undefined || u.username.toLowerCase().includes(word))
    .filter((u) => userId === undefined || u.user_id === userId);
  return {
    action: 'HpcUserListUsersResponse',
    ret_code: 0,
    total_count: users.length,
    users_set: users.slice(offset, offset + limit).map((u) => ({ ...u })),
  };
}

/** The EHPC cluster's queues, the default first, paged; `search_word` matches the name. */
function listQueues(req: ApiRequest, ctx: ApiContext): object {
  const zone = required(req.query, 'zone');
  const cluster = knownCluster(ctx, zone, required(req.query, 'cluster_id'));
  const { limit, offset } = paging(req.query);
  const word = optional(req.query, 'search_word')?.toLowerCase();
  const queues = cluster.queues.filter((q) => word === undefined || q.name.toLowerCase().includes(word));
  return {
    action: 'HpcQueueGetEhpcQueueListResponse',
    ret_code: 0,
    total_count: queues.length,
    hpc_queue_set: queues.slice(offset, offset + limit).map((q) => structuredClone(q)),
  };
}

/**
 * The cluster's nodes (or, without cluster_id, those of every cluster of the zone), paged;
 * `status` matches exactly, `search_word` the node's name, ignoring case.
 */
function listNodes(req: ApiRequest, ctx: ApiContext): object {
  const zone = required(req.query, 'zone');
  const clusterId = optional(req.query, 'cluster_id');
  const { limit, offset } = paging(req.query);
  const clusters = clustersAsked(ctx, zone, clusterId);
  const status = optional(req.query, 'status');
  const word = optional(req.query, 'search_word')?.toLowerCase();
  const nodes = clusters
    .flatMap((c) => c.nodes)
    .filter((n) => status === undefined || n.status === status)
    .filter((n) => word === undefined || n.name.toLowerCase().includes(word));
  return {
    action: 'HpcClusterGetClusterNodesResponse',
    ret_code: 0,
    total_count: nodes.length,
    hpc_app_nodes_set: nodes.slice(offset, offset + limit).map((n) => ({ ...n })),
  };
}

/** The `{ cluster_id, job_ids, zone }` body of deleteJobs and stopJobs. */
function jobsBody(req: ApiRequest, ctx: ApiContext): { zone: string; cluster: SimCluster; jobIds: string[] } {
  const fields = jsonBody(req);
  // POST takes zone in the body; one in the query only does not count.
  const zone = requiredString(fields, 'zone');
  const clusterId = requiredString(fields, 'cluster_id');
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
