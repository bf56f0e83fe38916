// Writing job files and submitting jobs, checked as a strict server checks them: every field's
// type, the run user and queue against the cluster's, the cores against the queue's. A field
// the client does not mean to set is omitted, as the SDK does; sent empty it is refused.
import type { SimCluster, SimJob } from './data';
import { formatWireTime } from './data';
import { ApiError, RetCode } from './errors';
import { checkTargetFile, FILE_TYPES, type FileType } from './files';
import type { SimQueue } from './accounts';
import { bodyCluster, jsonBody, requiredString, type ApiContext, type ApiRequest } from './request';

/** POST /api/job/createJobFile: keeps the file on the cluster (see files.ts for the path rules). */
export function createJobFile(req: ApiRequest, ctx: ApiContext): object {
  const fields = jsonBody(req);
  const { cluster } = bodyCluster(ctx, fields);
  const fileType = requiredString(fields, 'file_type');
  if (!(FILE_TYPES as readonly string[]).includes(fileType)) {
    throw new ApiError(RetCode.BadParameter, `file_type must be one of ${FILE_TYPES.join(', ')}, got [${fileType}]`);
  }
  // An empty file is a file; a missing or non-string content is a client bug.
  const content = fields.file_value;
  if (typeof content !== 'string') {
    throw new ApiError(RetCode.BadParameter, 'file_value is required in the JSON body (a string)');
  }
  const path = requiredString(fields, 'target_file');
  checkTargetFile(path);
  try {
    ctx.storage.writeFile(cluster.info.cluster_id, path, content);
  } catch (err) {
    throw new ApiError(RetCode.AccessDenied, `cannot write target_file [${path}]: ${(err as Error).message}`);
  }
  ctx.files.write(cluster, { path, content, fileType: fileType as FileType });
  return { action: 'HpcJobCreateJobFileResponse', ret_code: 0 };
}

const OPTIONAL_STRINGS = [
  'hpcqueue_id', 'scheduler_queue_name', 'input_file', 'stdout_redirect_path', 'stderr_redirect_path',
  'resource_limit', 'cmd_line_type',
] as const;

/** POST /api/job/submitJob: a pending job that then runs and ends on the simulator's clock. */
export function submitJob(req: ApiRequest, ctx: ApiContext): object {
  const fields = jsonBody(req);
  const { cluster } = bodyCluster(ctx, fields);
  const name = requiredText(fields, 'name');
  const runUser = requiredText(fields, 'run_user');
  const cmdLine = requiredText(fields, 'cmd_line');
  for (const field of OPTIONAL_STRINGS) {
    optionalString(fields, field);
  }
  const coreLimit = optionalInt(fields, 'core_limit', 1);
  const memLimit = optionalInt(fields, 'mem_limit', 1);
  const timeLimit = optionalInt(fields, 'time_limit', 1);
  optionalInt(fields, 'priority');
  const submitType = optionalInt(fields, 'submit_type', 0);
  if (submitType !== undefined && submitType > 1) {
    throw new ApiError(RetCode.BadParameter, `submit_type must be 0 (console) or 1 (CLI), got [${submitType}]`);
  }

  const clusterId = cluster.info.cluster_id;
  if (cluster.info.cluster_status !== 'active') {
    throw new ApiError(RetCode.AccessDenied, `cluster [${clusterId}] is ${cluster.info.cluster_status}: jobs are submitted to active clusters only`);
  }
  if (cluster.info.transition_status !== '') {
    throw new ApiError(RetCode.AccessDenied, `cluster [${clusterId}] is ${cluster.info.transition_status}: jobs are submitted to active clusters only`);
  }
  const user = cluster.users.find((u) => u.username === runUser);
  if (!user) {
    const names = cluster.users.map((u) => u.username).join(', ');
    throw new ApiError(RetCode.BadParameter, `run_user [${runUser}] is not a user of cluster [${clusterId}] (its users: ${names})`);
  }
  const queue = chosenQueue(cluster, optionalString(fields, 'hpcqueue_id'), optionalString(fields, 'scheduler_queue_name'));
  // A job may span the queue's nodes (an MPI job): the cores of all of them together.
  const cores = coreLimit ?? 1;
  const queueCores = queue.spec_detail.unit_cpu_num * queue.node_info.length;
  if (cores > queueCores) {
    throw new ApiError(
      RetCode.BadParameter,
      `core_limit [${cores}] is more than queue [${queue.partition_name}] has (${queue.node_info.length} nodes of ${queue.spec_detail.unit_cpu_num} cores)`,
    );
  }
  const pending = cluster.jobs.reduce((n, j) => (j.job_status === 'pending' ? n + 1 : n), 0);
  if (ctx.pendingJobQuota !== undefined && pending >= ctx.pendingJobQuota) {
    throw new ApiError(RetCode.QuotaExceeded, `quota exceeded: cluster [${clusterId}] already has ${pending} pending jobs (at most ${ctx.pendingJobQuota})`);
  }

  const nowMs = ctx.now().getTime();
  const time = formatWireTime(nowMs);
  const jobId = ctx.store.takeJobId(cluster);
  const cwd = user.nas_mount_point;
  const job: SimJob = {
    hpcjob_uuid: ctx.hpcjobUuid(),
    cluster_id: clusterId,
    job_id: jobId,
    job_name: name,
    job_status: 'pending',
    queue_name: queue.partition_name,
    run_user: runUser,
    cmd_line: cmdLine,
    core_limit: cores,
    ...(memLimit === undefined ? {} : { mem_limit: memLimit }),
    ...(timeLimit === undefined ? {} : { time_limit: timeLimit }),
    submitted_time: time,
    modified_time: time,
    exec_cwd: cwd,
    stdout_redirect_path: optionalString(fields, 'stdout_redirect_path') ?? `${cwd}/job-${jobId}.out`,
    stderr_redirect_path: optionalString(fields, 'stderr_redirect_path') ?? `${cwd}/job-${jobId}.err`,
    end_time: null,
    run_time: '0',
    output_dir: cwd,
    reason: '',
    pend_reason: 'Priority',
  };
  cluster.jobs.unshift(job);
  ctx.lifecycle.submitted(job, nowMs, (path) => {
    const file = ctx.files.read(cluster, path);
    return file?.fileType === 'plain' ? file.content : undefined;
  });
  // A string, as the docs' table and example have it (the list's job_id is a number).
  return { action: 'HpcJobSubmitJobResponse', ret_code: 0, hpcjob_uuid: job.hpcjob_uuid, job_id: String(jobId), job_status: 'pending' };
}

/** The queue a job goes to: by hpcqueue_id, else by scheduler partition name, else the default. */
function chosenQueue(cluster: SimCluster, queueId: string | undefined, partition: string | undefined): SimQueue {
  const id = cluster.info.cluster_id;
  const byId = queueId === undefined ? undefined : cluster.queues.find((q) => q.hpcqueue_id === queueId);
  if (queueId !== undefined && !byId) {
    throw new ApiError(RetCode.BadParameter, `hpcqueue_id [${queueId}] is not a queue of cluster [${id}]`);
  }
  const byName = partition === undefined ? undefined : cluster.queues.find((q) => q.partition_name === partition);
  if (partition !== undefined && !byName) {
    throw new ApiError(RetCode.BadParameter, `scheduler_queue_name [${partition}] is not a queue of cluster [${id}]`);
  }
  if (byId && byName && byId !== byName) {
    throw new ApiError(RetCode.BadParameter, `hpcqueue_id [${queueId}] and scheduler_queue_name [${partition}] name different queues`);
  }
  const queue = byId ?? byName ?? cluster.queues.find((q) => q.default_queue === 1);
  if (!queue) {
    throw new ApiError(RetCode.BadParameter, `cluster [${id}] has no default queue: name one with hpcqueue_id`);
  }
  return queue;
}

/** A required string that is not blank. */
function requiredText(fields: Record<string, unknown>, name: string): string {
  const value = requiredString(fields, name);
  if (value.trim() === '') {
    throw new ApiError(RetCode.BadParameter, `${name} must not be blank`);
  }
  return value;
}

function optionalString(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || value === '') {
    throw new ApiError(RetCode.BadParameter, `${name} must be a non-empty string when sent (omit it otherwise)`);
  }
  return value;
}

/** An integer field, at least `min` when given; `4.0` is an integer in JSON, `"4"` and `4.5` are not. */
function optionalInt(fields: Record<string, unknown>, name: string, min?: number): number | undefined {
  const value = fields[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ApiError(RetCode.BadParameter, `${name} must be an integer, got [${JSON.stringify(value)}]`);
  }
  if (min !== undefined && value < min) {
    throw new ApiError(RetCode.BadParameter, `${name} must be at least ${min}, got [${value}]`);
  }
  return value;
}
