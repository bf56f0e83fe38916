// Turns response bodies into typed values. Anything of the wrong shape becomes an
// EhpcError('badResponse'), never an exception from deep inside the tree.
import { EhpcError } from './errors';
import { JOB_ID, OPERATION_ID } from './ids';
import { Cluster, ClusterMachine, ClusterTransition, ClusterUser, Job, JOB_STATUSES, JobStatus, OperationState, OperationStatus, PaidType, Page, Queue, QueueLoad, SubmittedJob } from './types';

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

/** A whole number, sent as a number or as a string of digits (the docs show both). */
function optionalCount(item: Json, key: string): number | undefined {
  const value = item[key];
  const count = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : undefined;
}

/** An amount (hours, say): a finite number at or above 0, sent as a number or a string of one. */
function optionalAmount(item: Json, key: string): number | undefined {
  const value = item[key];
  const amount = typeof value === 'string' && /^\d{1,15}(\.\d{1,15})?$/.test(value.trim()) ? Number(value) : value;
  return typeof amount === 'number' && Number.isFinite(amount) && amount >= 0 ? amount : undefined;
}

/** `{ [key]: value }` when value is set, else nothing: a field the answer lacks stays absent. */
function ifDefined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function requiredId(item: Json, key: string, what: string): string {
  const value = item[key];
  if (typeof value !== 'string' || value === '') {
    throw badResponse(`${what} without ${key}`);
  }
  return value;
}

/** The list of a list answer (`cluster_set`, `hpc_job_set`, …). */
function setOf(body: Json, setKey: string): unknown[] {
  const set = body[setKey];
  if (!Array.isArray(set)) {
    throw badResponse(`no ${setKey}`);
  }
  return set;
}

function totalOf(body: Json): number {
  const total = body.total_count;
  // A missing or nonsensical total would make paging loop or stop early: refuse it.
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
    throw badResponse('no total_count');
  }
  return total;
}

function pageOf<T>(body: Json, setKey: string, parseItem: (item: Json) => T): Page<T> {
  const items = setOf(body, setKey).map((item) => {
    if (!isObject(item)) {
      throw badResponse(`an item of ${setKey} is not an object`);
    }
    return parseItem(item);
  });
  return { items, totalCount: totalOf(body) };
}

/**
 * A page whose unusable items are left out rather than failing the whole list. `received`
 * counts every item the answer held: the next page starts after all of them.
 */
export interface SkippingPage<T> extends Page<T> {
  received: number;
}

export function normalizeStatus(raw: string | undefined): JobStatus {
  const status = raw?.toLowerCase();
  return (JOB_STATUSES as readonly string[]).includes(status ?? '') ? (status as JobStatus) : 'unknown';
}

export function parseClusterPage(body: Json, zone: string, account = ''): Page<Cluster> {
  return pageOf(body, 'cluster_set', (item) => {
    const clusterId = requiredId(item, 'cluster_id', 'a cluster');
    return {
      account,
      zone,
      clusterId,
      name: optionalString(item, 'cluster_name') || clusterId,
      status: optionalString(item, 'cluster_status') ?? 'unknown',
      // A count that is not one (negative, text) is unknown, never 0: a stop asks on what it ends.
      runningJobCount: optionalCount(item, 'running_job_count'),
      pendingJobCount: optionalCount(item, 'pending_job_count'),
      // Only when listed, so that a cluster without them reads as before.
      ...ifDefined('finishedJobCount', optionalCount(item, 'finished_job_count')),
      ...ifDefined('paidType', paidTypeOf(item.paid_type)),
      ...ifDefined('cpuHours', optionalAmount(item, 'cpu_hours')),
      ...ifDefined('memHours', optionalAmount(item, 'mem_hours')),
      ...ifDefined('transitionStatus', transitionOf(item.transition_status)),
    };
  });
}

/** paid_type: the two the API documents, in any case; unset when empty or not text. */
function paidTypeOf(value: unknown): PaidType | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  const known: readonly PaidType[] = ['PayForUsed', 'Reserved'];
  return known.find((paid) => paid.toLowerCase() === value.trim().toLowerCase()) ?? 'unknown';
}

/** transition_status: "" (or nothing) is no transition; one not documented is 'unknown', never a guess. */
function transitionOf(value: unknown): ClusterTransition | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return undefined;
  }
  const transition = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return transition === 'starting' || transition === 'stopping' ? transition : 'unknown';
}

export function parseJobPage(body: Json, zone: string, clusterId: string, account = ''): Page<Job> {
  return pageOf(body, 'hpc_job_set', (item) => parseJob(item, zone, clusterId, account));
}

/** One job item, of a list or a detail answer. */
export function parseJob(item: Json, zone: string, clusterId: string, account = ''): Job {
  const hpcjobUuid = requiredId(item, 'hpcjob_uuid', 'a job');
  return {
    account,
    zone,
    clusterId,
    hpcjobUuid,
    jobId: optionalNumber(item, 'job_id'),
    name: optionalString(item, 'job_name') || hpcjobUuid,
    status: normalizeStatus(optionalString(item, 'job_status')),
    queueName: optionalString(item, 'queue_name'),
    runUser: optionalString(item, 'run_user'),
    cmdLine: optionalString(item, 'cmd_line'),
    coreLimit: optionalCount(item, 'core_limit'),
    submittedTime: optionalString(item, 'submitted_time'),
    startedTime: optionalString(item, 'started_time'),
    modifiedTime: optionalString(item, 'modified_time'),
    ...nodeListOf(item),
  };
}

/** job_node_list kept as sent, read only when a Nodes row shows the jobs on a node; absent when empty or of another type. */
function nodeListOf(item: Json): { nodeList?: string | string[] } {
  const value = item.job_node_list;
  if (typeof value === 'string' && value.trim() !== '' && value.length <= 64 * 1024) {
    return { nodeList: value };
  }
  return Array.isArray(value) && value.length > 0 && value.every((name) => typeof name === 'string') ? { nodeList: value } : {};
}

/**
 * A page of GET /api/user. The set is `users_set` in the docs' example and the SDK,
 * `user_set` in the docs' table: either is read. A user without a username cannot run a
 * job: it is left out, and the rest of the list still shows.
 */
export function parseUserPage(body: Json): SkippingPage<ClusterUser> {
  const setKey = Array.isArray(body.users_set) || !Array.isArray(body.user_set) ? 'users_set' : 'user_set';
  const set = setOf(body, setKey);
  const items = set.flatMap((item: unknown): ClusterUser[] => {
    const username = isObject(item) ? optionalString(item, 'username') : undefined;
    if (!isObject(item) || !username) {
      return [];
    }
    return [{ username, role: optionalString(item, 'role') || undefined, homeDir: optionalString(item, 'nas_mount_point') || undefined }];
  });
  return { items, totalCount: totalOf(body), received: set.length };
}

/** A page of GET /api/queue/ehpc/getQueueList. */
export function parseQueuePage(body: Json): Page<Queue> {
  return pageOf(body, 'hpc_queue_set', (item) => {
    const queueId = requiredId(item, 'hpcqueue_id', 'a queue');
    const spec = isObject(item.spec_detail) ? item.spec_detail : {};
    const isDefault = item.default_queue;
    const coresPerNode = optionalCount(spec, 'unit_cpu_num') || undefined;
    const memPerNodeGb = optionalAmount(spec, 'unit_mem_size') || undefined;
    const gpusPerNode = optionalCount(spec, 'unit_gpu_num');
    const nodeCount = Array.isArray(item.node_info) && item.node_info.length > 0 ? item.node_info.length : undefined;
    return {
      queueId,
      name: optionalString(item, 'name') || queueId,
      partitionName: optionalString(item, 'partition_name') || undefined,
      // 1 in the docs; "1" and true are read the same, anything else is not the default.
      isDefault: isDefault === 1 || isDefault === '1' || isDefault === true,
      cpuNum: optionalNumber(spec, 'cpu_num'),
      memSizeGb: optionalNumber(spec, 'mem_size'),
      gpuNum: optionalNumber(spec, 'gpu_num'),
      // Only when listed, so that a queue without them reads as before.
      ...(coresPerNode !== undefined ? { coresPerNode } : {}),
      ...ifDefined('memPerNodeGb', memPerNodeGb),
      ...ifDefined('gpusPerNode', gpusPerNode),
      ...(nodeCount !== undefined ? { nodeCount } : {}),
    };
  });
}

/**
 * A page of GET /api/cluster/listNodes. `eip` is a string in the docs (empty when none is
 * bound); an object carrying `eip_addr`, as other QingCloud resources send it, is read too.
 */
export function parseMachinePage(body: Json): Page<ClusterMachine> {
  return pageOf(body, 'hpc_app_nodes_set', (item) => {
    const nodeId = requiredId(item, 'node_id', 'a node');
    const eip = isObject(item.eip) ? optionalString(item.eip, 'eip_addr') : optionalString(item, 'eip');
    return {
      nodeId,
      name: optionalString(item, 'name') || nodeId,
      role: optionalString(item, 'role') ?? '',
      status: optionalString(item, 'status') || undefined,
      privateIp: optionalString(item, 'private_ip') || undefined,
      eip: eip || undefined,
      ...ifDefined('health', optionalString(item, 'health_status') || undefined),
      ...ifDefined('cores', optionalCount(item, 'cpu')),
      ...ifDefined('memoryMb', optionalCount(item, 'memory')),
      ...ifDefined('gpus', optionalCount(item, 'gpu')),
    };
  });
}

/**
 * The answer of describeQueue: `detail[0]` (the docs' example; a bare object is read too),
 * which must be the queue asked for when it names one. Each figure of its load only when
 * sent as a count: the example sends "" for free_slots, and then avail_slots is what is free.
 */
export function parseQueueLoad(body: Json, queueId: string): QueueLoad {
  const detail: unknown = Array.isArray(body.detail) ? body.detail[0] : body.detail;
  if (!isObject(detail) || (detail.hpcqueue_id !== undefined && detail.hpcqueue_id !== queueId)) {
    throw badResponse('no such queue in the answer');
  }
  return {
    queueId,
    name: optionalString(detail, 'name') || queueId,
    ...ifDefined('runningJobs', optionalCount(detail, 'nrun')),
    ...ifDefined('pendingJobs', optionalCount(detail, 'npend')),
    ...ifDefined('freeSlots', optionalCount(detail, 'free_slots') ?? optionalCount(detail, 'avail_slots')),
    ...ifDefined('totalSlots', optionalCount(detail, 'total_slots')),
  };
}

/** What a job's detail says of its files (the fields as the extension names them) and its state. */
export function parseJobFiles(detail: Json): {
  jobId?: number; name?: string; runUser?: string; stdoutPath?: string; stderrPath?: string; execCwd?: string; outputDir?: string; status: JobStatus;
} {
  const text = (key: string) => optionalString(detail, key) || undefined;
  return {
    jobId: optionalCount(detail, 'job_id'),
    name: text('job_name'),
    runUser: text('run_user'),
    stdoutPath: text('stdout_redirect_path'),
    stderrPath: text('stderr_redirect_path'),
    execCwd: text('exec_cwd'),
    outputDir: text('output_dir'),
    status: normalizeStatus(optionalString(detail, 'job_status')),
  };
}

/**
 * The answer of submitJob. Without a valid hpcjob_uuid the new job cannot be followed (nor
 * told apart from a job submitted twice): that is an error, even with ret_code 0.
 */
export function parseSubmittedJob(body: Json): SubmittedJob {
  const hpcjobUuid = body.hpcjob_uuid;
  if (typeof hpcjobUuid !== 'string' || !JOB_ID.test(hpcjobUuid)) {
    throw new EhpcError(
      'badResponse',
      'The EHPC service sent an unexpected answer to the job submission (no valid hpcjob_uuid). The job may have been submitted: look at the cluster\'s jobs before submitting it again.',
    );
  }
  return { hpcjobUuid, jobId: optionalCount(body, 'job_id'), status: normalizeStatus(optionalString(body, 'job_status')) };
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
 * The operation a startCluster or stopCluster answer names: `job_id` in the docs' examples,
 * `job_ids` (a string) in their tables, and a one-element array of it is read too. Without a
 * usable one the start or stop cannot be followed: that is an error, even with ret_code 0.
 */
export function parseClusterOperationId(body: Json): string {
  const usable = (value: unknown): value is string => typeof value === 'string' && OPERATION_ID.test(value);
  const id = [body.job_id, body.job_ids].map((ids: unknown): unknown => (Array.isArray(ids) && ids.length === 1 ? (ids[0] as unknown) : ids)).find(usable);
  if (id === undefined) {
    throw new EhpcError(
      'badResponse',
      'The EHPC service sent an unexpected answer to the start or stop request (no valid operation id). The clusters may be starting or stopping: refresh the view before trying again.',
    );
  }
  return id;
}

/**
 * The status of the operation asked for, from `job_set[0]` of an /api/operation answer.
 * No such operation, or a state the API does not document: 'unknown', never a guess.
 */
export function parseOperation(body: Json, operationId: string): OperationState {
  const set = body.job_set;
  if (!Array.isArray(set)) {
    throw badResponse('no job_set');
  }
  const item: unknown = set[0];
  if (item === undefined) {
    return { status: 'unknown' };
  }
  if (!isObject(item) || (item.job_id !== undefined && item.job_id !== operationId)) {
    throw badResponse('no such operation in the answer');
  }
  const status = optionalString(item, 'status')?.toLowerCase();
  const codes = item.error_codes;
  const errorCodes = typeof codes === 'string' ? codes.trim() : typeof codes === 'number' ? String(codes) : '';
  return { status: OPERATION_STATUSES.find((known) => known === status) ?? 'unknown', ...(errorCodes ? { errorCodes } : {}) };
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
