// Wire shapes of the EHPC API, trimmed to the fields the extension reads.
// Every field is optional on the wire: parsers check what they use.

export type JobStatus = 'pending' | 'running' | 'finished' | 'exited' | 'cancelled' | 'stopped' | 'unknown';

export const JOB_STATUSES: readonly JobStatus[] = [
  'pending', 'running', 'finished', 'exited', 'cancelled', 'stopped',
];

/** Where an asynchronous operation (stopJobs) stands; a state the API does not document is 'unknown'. */
export type OperationStatus = 'pending' | 'successful' | 'failed' | 'unknown';

export interface Cluster {
  zone: string;
  clusterId: string;
  name: string;
  status: string;
  runningJobCount?: number;
  pendingJobCount?: number;
}

export interface Job {
  zone: string;
  clusterId: string;
  /** `hpcjob-…`: the id deleteJobs takes. */
  hpcjobUuid: string;
  /** The scheduler's integer id. */
  jobId?: number;
  name: string;
  status: JobStatus;
  queueName?: string;
  runUser?: string;
  cmdLine?: string;
  submittedTime?: string;
  startedTime?: string;
}

/** One page of a list call. */
export interface Page<T> {
  items: T[];
  totalCount: number;
}

/** The raw job item as the API sends it (also what the simulator serves). */
export interface WireJob {
  hpcjob_uuid: string;
  job_id?: number;
  job_name?: string;
  job_status?: string;
  queue_name?: string;
  run_user?: string;
  cmd_line?: string;
  core_limit?: number;
  submitted_time?: string;
  started_time?: string;
  modified_time?: string;
}

export interface WireCluster {
  cluster_id: string;
  cluster_name?: string;
  cluster_status?: string;
  cluster_type?: string;
  scheduler_type?: string;
  total_node_count?: number;
  running_job_count?: number;
  pending_job_count?: number;
  finished_job_count?: number;
  create_time?: string;
}
