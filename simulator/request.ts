// What every operation handler gets: the request, the simulator's state, and readers of the
// operation's parameters that answer bad ones as the real API does (1100, 2100).
import type { SimCluster } from './data';
import { ApiError, RetCode } from './errors';
import type { JobFiles } from './files';
import type { Lifecycle } from './lifecycle';
import type { Operations } from './operations';
import type { SharedStorage } from './storage';
import type { Store } from './store';

export interface ApiRequest {
  method: string;
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** The body text ('' for GET). */
  body: string;
  /** deleteJobs/stopJobs act on only this many of the named ids (an injected partial success). */
  actOnFirst?: number;
  /** stopJobs, startCluster, stopCluster: its operation fails (an injected fault). */
  failOperation?: boolean;
  /** startCluster/stopCluster with `failOperation`: only this cluster's part fails; undefined: all. */
  failCluster?: string;
}

export interface ApiContext {
  store: Store;
  now: () => Date;
  /** A fresh asynchronous-operation id (`j-…`), as stopJobs returns. */
  operationId: () => string;
  operations: Operations;
  /** How long a stopJobs operation takes to complete. */
  stopDelayMs: number;
  /** How long a startCluster or stopCluster operation takes to complete. */
  clusterPowerMs: number;
  /** Told when a start or stop completes: the cluster is now on (active) or off (stopped). */
  onPowered?: (cluster: SimCluster, on: boolean) => void;
  /** Files written by createJobFile. */
  files: JobFiles;
  /** The clusters' shared file system, where createJobFile's files are written too. */
  storage: SharedStorage;
  /** Moves submitted jobs along. */
  lifecycle: Lifecycle;
  /** A fresh `hpcjob-…` id for a submitted job. */
  hpcjobUuid: () => string;
  /** submitJob refuses (2500) while the cluster has this many pending jobs; undefined: no limit. */
  pendingJobQuota?: number;
}

/** The API never returns more than 100 items, whatever `limit` asks for. */
export const MAX_LIMIT = 100;

export function optional(query: Record<string, string>, name: string): string | undefined {
  return query[name] === '' ? undefined : query[name];
}

export function required(query: Record<string, string>, name: string): string {
  const value = optional(query, name);
  if (value === undefined) {
    throw new ApiError(RetCode.BadParameter, `missing required parameter: ${name}`);
  }
  return value;
}

/** `limit` (default 10, at most 100) and `offset` from the query. */
export function paging(query: Record<string, string>): { limit: number; offset: number } {
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

/** A POST's JSON object body (1100 when it is not one). */
export function jsonBody(req: ApiRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    throw new ApiError(RetCode.BadParameter, 'request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(RetCode.BadParameter, 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** A non-empty string field of a JSON body. */
export function requiredString(fields: Record<string, unknown>, name: string, message = `${name} is required in the JSON body`): string {
  const value = fields[name];
  if (typeof value !== 'string' || value === '') {
    throw new ApiError(RetCode.BadParameter, message);
  }
  return value;
}

/** The `zone` and `cluster_id` of a POST body, the cluster known. */
export function bodyCluster(ctx: ApiContext, fields: Record<string, unknown>): { zone: string; cluster: SimCluster } {
  // POST takes zone in the body; one in the query only does not count.
  const zone = requiredString(fields, 'zone');
  const clusterId = requiredString(fields, 'cluster_id');
  return { zone, cluster: knownCluster(ctx, zone, clusterId) };
}

export function knownZone(ctx: ApiContext, zone: string): void {
  if (!ctx.store.hasZone(zone)) {
    throw new ApiError(RetCode.NotFound, `zone [${zone}] not found`);
  }
}

export function knownCluster(ctx: ApiContext, zone: string, clusterId: string): SimCluster {
  knownZone(ctx, zone);
  const cluster = ctx.store.cluster(zone, clusterId);
  if (!cluster) {
    throw new ApiError(RetCode.NotFound, `cluster [${clusterId}] not found in zone [${zone}]`);
  }
  return cluster;
}
