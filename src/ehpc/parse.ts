// Turns response bodies into typed values. Anything of the wrong shape becomes an
// EhpcError('badResponse'), never an exception from deep inside the tree.
import { EhpcError } from './errors';
import { OPERATION_ID } from './ids';
import { Cluster, Job, JOB_STATUSES, JobStatus, OperationStatus, Page } from './types';

type Json = Record<string, unknown>;

function badResponse(what: string): EhpcError {
  return new EhpcError('badResponse', 'The EHPC service sent an unexpected answer ({0}). Try again; if it persists, check the "ehpc.endpoint" setting.', [what]);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(item: Json, key: string): string | undefined {
  const value = item[key];
  return typeof value === 'string' ? value : undefined;
}

function optionalNumber(item: Json, key: string): number | undefined {
  const value = item[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function requiredId(item: Json, key: string, what: string): string {
  const value = item[key];
  if (typeof value !== 'string' || value === '') {
    throw badResponse(`${what} without ${key}`);
  }
  return value;
}

function pageOf<T>(body: Json, setKey: string, parseItem: (item: Json) => T): Page<T> {
  const set = body[setKey];
  if (!Array.isArray(set)) {
    throw badResponse(`no ${setKey}`);
  }
  const items = set.map((item) => {
    if (!isObject(item)) {
      throw badResponse(`an item of ${setKey} is not an object`);
    }
    return parseItem(item);
  });
  const total = body.total_count;
  // A missing or nonsensical total would make paging loop or stop early: refuse it.
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
    throw badResponse('no total_count');
  }
  return { items, totalCount: total };
}

export function normalizeStatus(raw: string | undefined): JobStatus {
  const status = raw?.toLowerCase();
  return (JOB_STATUSES as readonly string[]).includes(status ?? '') ? (status as JobStatus) : 'unknown';
}

export function parseClusterPage(body: Json, zone: string): Page<Cluster> {
  return pageOf(body, 'cluster_set', (item) => {
    const clusterId = requiredId(item, 'cluster_id', 'a cluster');
    return {
      zone,
      clusterId,
      name: optionalString(item, 'cluster_name') || clusterId,
      status: optionalString(item, 'cluster_status') ?? 'unknown',
      runningJobCount: optionalNumber(item, 'running_job_count'),
      pendingJobCount: optionalNumber(item, 'pending_job_count'),
    };
  });
}

export function parseJobPage(body: Json, zone: string, clusterId: string): Page<Job> {
  return pageOf(body, 'hpc_job_set', (item) => parseJob(item, zone, clusterId));
}

/** One job item, of a list or a detail answer. */
export function parseJob(item: Json, zone: string, clusterId: string): Job {
  const hpcjobUuid = requiredId(item, 'hpcjob_uuid', 'a job');
  return {
    zone,
    clusterId,
    hpcjobUuid,
    jobId: optionalNumber(item, 'job_id'),
    name: optionalString(item, 'job_name') || hpcjobUuid,
    status: normalizeStatus(optionalString(item, 'job_status')),
    queueName: optionalString(item, 'queue_name'),
    runUser: optionalString(item, 'run_user'),
    cmdLine: optionalString(item, 'cmd_line'),
    submittedTime: optionalString(item, 'submitted_time'),
    startedTime: optionalString(item, 'started_time'),
  };
}

/** The first item of a jobdetail answer, which must be the job asked for. */
export function parseJobDetail(body: Json, hpcjobUuid: string): Json {
  const set = body.hpc_job_set;
  const job: unknown = Array.isArray(set) ? set[0] : undefined;
  if (!isObject(job) || job.hpcjob_uuid !== hpcjobUuid) {
    throw badResponse('no such job in the detail answer');
  }
  return job;
}

const OPERATION_STATUSES: readonly OperationStatus[] = ['pending', 'successful', 'failed'];

/** The operation id (`job_uuid`, `j-…`) of a stopJobs answer; undefined when it names none usable. */
export function parseOperationId(body: Json): string | undefined {
  const id = body.job_uuid;
  return typeof id === 'string' && OPERATION_ID.test(id) ? id : undefined;
}

/**
 * The status of the operation asked for, from `job_set[0]` of an /api/operation answer.
 * No such operation, or a state the API does not document: 'unknown', never a guess.
 */
export function parseOperationStatus(body: Json, operationId: string): OperationStatus {
  const set = body.job_set;
  if (!Array.isArray(set)) {
    throw badResponse('no job_set');
  }
  const item: unknown = set[0];
  if (item === undefined) {
    return 'unknown';
  }
  if (!isObject(item) || (item.job_id !== undefined && item.job_id !== operationId)) {
    throw badResponse('no such operation in the answer');
  }
  const status = optionalString(item, 'status')?.toLowerCase();
  return OPERATION_STATUSES.find((known) => known === status) ?? 'unknown';
}

/** Parses the raw text of an answer; returns the JSON object or throws badResponse. */
export function parseBody(text: string): Json {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badResponse('not JSON');
  }
  if (!isObject(body)) {
    throw badResponse('not a JSON object');
  }
  return body;
}
