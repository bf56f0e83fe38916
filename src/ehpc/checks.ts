// What the client checks before anything is sent: the API's own limits are the client's to keep too.
import { MAX_IDS_PER_REQUEST } from './batch';
import { EhpcError } from './errors';
import { CLUSTER_ID, JOB_ID, OPERATION_ID, QUEUE_ID, ZONE_ID } from './ids';
import { JobSubmission } from './types';

/**
 * The largest file createJobFile writes, in UTF-8 bytes. The file travels inside one JSON
 * body (escaped, so it grows on the wire) that is signed, sent and held in memory whole,
 * and no retry makes up for a request a proxy cuts off: a job script fits many times over;
 * data belongs on the cluster's storage by other means.
 */
export const MAX_JOB_FILE_BYTES = 512 * 1024;

function matches(value: string, pattern: RegExp): boolean {
  return typeof value === 'string' && pattern.test(value);
}

/** A value for a message: quoted, and short (it may come from anywhere). */
function shown(value: unknown): string {
  const text = JSON.stringify(String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function checkZone(zone: string): void {
  if (!matches(zone, ZONE_ID)) {
    throw new EhpcError('badRequest', 'Not sent: {0} is not a zone id (lower-case letters, digits and "-").', [shown(zone)]);
  }
}

export function checkCluster(zone: string, clusterId: string): void {
  checkZone(zone);
  if (!matches(clusterId, CLUSTER_ID)) {
    throw new EhpcError('badRequest', 'Not sent: {0} is not a cluster id (ehpc-… or hpc-…).', [shown(clusterId)]);
  }
}

export function checkJobId(hpcjobUuid: string): void {
  if (!matches(hpcjobUuid, JOB_ID)) {
    throw new EhpcError('badRequest', 'Not sent: {0} is not a job id (hpcjob-…).', [shown(hpcjobUuid)]);
  }
}

export function checkOperationId(operationId: string): void {
  if (!matches(operationId, OPERATION_ID)) {
    throw new EhpcError('badRequest', 'Not sent: {0} is not an operation id (j-…).', [shown(operationId)]);
  }
}

/** The `job_ids` of deleteJobs and stopJobs: 1 to MAX_IDS_PER_REQUEST distinct job ids. */
export function checkJobIds(zone: string, clusterId: string, hpcjobUuids: readonly string[]): void {
  checkCluster(zone, clusterId);
  if (hpcjobUuids.length === 0) {
    throw new EhpcError('badRequest', 'Not sent: no job ids were given.');
  }
  if (hpcjobUuids.length > MAX_IDS_PER_REQUEST) {
    throw new EhpcError('badRequest', 'Not sent: {0} job ids, but one request takes at most {1}.', [hpcjobUuids.length, MAX_IDS_PER_REQUEST]);
  }
  hpcjobUuids.forEach(checkJobId);
  const repeated = hpcjobUuids.find((id, i) => hpcjobUuids.indexOf(id) !== i);
  if (repeated !== undefined) {
    throw new EhpcError('badRequest', 'Not sent: job id {0} is given more than once.', [shown(repeated)]);
  }
}

/** The `cluster_ids` of startCluster and stopCluster: 1 to MAX_IDS_PER_REQUEST distinct cluster ids of one zone. */
export function checkClusterIds(zone: string, clusterIds: readonly string[]): void {
  checkZone(zone);
  if (clusterIds.length === 0) {
    throw new EhpcError('badRequest', 'Not sent: no cluster ids were given.');
  }
  if (clusterIds.length > MAX_IDS_PER_REQUEST) {
    throw new EhpcError('badRequest', 'Not sent: {0} cluster ids, but one request takes at most {1}.', [clusterIds.length, MAX_IDS_PER_REQUEST]);
  }
  clusterIds.forEach((clusterId) => checkCluster(zone, clusterId));
  const repeated = clusterIds.find((id, i) => clusterIds.indexOf(id) !== i);
  if (repeated !== undefined) {
    throw new EhpcError('badRequest', 'Not sent: cluster id {0} is given more than once.', [shown(repeated)]);
  }
}

export function checkQueueId(queueId: string): void {
  if (!matches(queueId, QUEUE_ID)) {
    throw new EhpcError('badRequest', 'Not sent: {0} is not a queue id (ehpcq-…).', [shown(queueId)]);
  }
}

/** A job file's target and content, as createJobFile may send them. */
export function checkJobFile(targetFile: string, content: string): void {
  if (typeof targetFile !== 'string' || targetFile.trim() === '') {
    throw new EhpcError('badRequest', 'Not sent: no target file was given.');
  }
  // ".." would climb out of the folder the caller meant; NUL cuts the path short on the cluster.
  if (targetFile.includes('\0') || targetFile.split(/[/\\]/).includes('..')) {
    throw new EhpcError('badRequest', 'Not sent: the target file {0} has a ".." segment or a NUL character.', [shown(targetFile)]);
  }
  if (typeof content !== 'string') {
    throw new EhpcError('badRequest', 'Not sent: the content of {0} is not text.', [shown(targetFile)]);
  }
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_JOB_FILE_BYTES) {
    throw new EhpcError('badRequest', 'Not sent: {0} would be {1} KiB; one request writes at most {2} KiB.', [
      shown(targetFile), Math.ceil(bytes / 1024), MAX_JOB_FILE_BYTES / 1024,
    ]);
  }
}

/** What submitJob requires, and the form of what it may take. */
export function checkSubmission(job: JobSubmission): void {
  if (!isText(job.name)) {
    throw new EhpcError('badRequest', 'Not sent: the job has no name.');
  }
  if (!isText(job.runUser)) {
    throw new EhpcError('badRequest', 'Not sent: the job has no user to run as.');
  }
  if (!isText(job.cmdLine)) {
    throw new EhpcError('badRequest', 'Not sent: the job has no command line.');
  }
  if (job.queueId !== undefined && job.queueId !== '') {
    checkQueueId(job.queueId);
  }
  checkLimit('cores', job.coreLimit);
  checkLimit('memory', job.memLimitMb);
  checkLimit('time', job.timeLimitMinutes);
  for (const path of [job.stdoutPath, job.stderrPath]) {
    if (path !== undefined && typeof path !== 'string') {
      throw new EhpcError('badRequest', 'Not sent: the output path {0} is not text.', [shown(path)]);
    }
  }
}

/** A limit of submitJob: unset, or a whole number above 0 (0 is not "no limit" on the wire). */
function checkLimit(limit: 'cores' | 'memory' | 'time', value: number | undefined): void {
  if (value === undefined || (typeof value === 'number' && Number.isSafeInteger(value) && value > 0)) {
    return;
  }
  const template = limit === 'cores'
    ? 'Not sent: the number of cores must be a whole number above 0, not {0}.'
    : limit === 'memory'
      ? 'Not sent: the memory limit (MB) must be a whole number above 0, not {0}.'
      : 'Not sent: the time limit (minutes) must be a whole number above 0, not {0}.';
  throw new EhpcError('badRequest', template, [shown(value)]);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
