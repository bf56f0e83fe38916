// Wire shapes of the EHPC API, trimmed to the fields the extension reads.
// Every field is optional on the wire: parsers check what they use.

export type JobStatus = 'pending' | 'running' | 'finished' | 'exited' | 'cancelled' | 'stopped' | 'unknown';

export const JOB_STATUSES: readonly JobStatus[] = [
  'pending', 'running', 'finished', 'exited', 'cancelled', 'stopped',
];

/** Where an asynchronous operation (stopJobs) stands; a state the API does not document is 'unknown'. */
export type OperationStatus = 'pending' | 'successful' | 'failed' | 'unknown';

/** An operation as /api/operation tells it: its status, and why it failed when it did. */
export interface OperationState {
  status: OperationStatus;
  /** error_codes, as sent, when the answer names any. */
  errorCodes?: string;
}

export interface Cluster {
  /** The account (by name) whose key lists it: every later request about it is signed with that key. */
  account: string;
  zone: string;
  clusterId: string;
  name: string;
  status: string;
  runningJobCount?: number;
  pendingJobCount?: number;
  /** Jobs ended so far: a count that grew between two lists means a job ran in between. */
  finishedJobCount?: number;
  /** How it is billed; a value the API does not document is 'unknown'. Unset when not listed. */
  paidType?: PaidType;
  /** Core-hours used so far, as the list tells them. */
  cpuHours?: number;
  /** Memory-hours used so far, as the list tells them. */
  memHours?: number;
  /** A start or stop under way; 'unknown' for a transition the API does not document. Unset: none. */
  transitionStatus?: ClusterTransition;
}

/** paid_type: PayForUsed is billed while it runs and not while stopped; Reserved is paid ahead. */
export type PaidType = 'PayForUsed' | 'Reserved' | 'unknown';

/** transition_status, when a cluster is on its way from one state to another. */
export type ClusterTransition = 'starting' | 'stopping' | 'unknown';

export interface Job {
  /** The account (by name) whose key lists it: every later request about it is signed with that key. */
  account: string;
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
  /** Cores the job asked for. */
  coreLimit?: number;
  submittedTime?: string;
  startedTime?: string;
  /** When the scheduler last changed the job (a finished job: about when it ended). */
  modifiedTime?: string;
  /** job_node_list as sent (text or a list), when sent: the nodes it runs on (read by parseNodeList). */
  nodeList?: string | string[];
}

/** A Linux user of a cluster: who a job runs as. */
export interface ClusterUser {
  username: string;
  /** `boss`, `admin` or `member`. */
  role?: string;
  /** nas_mount_point: the user's home on the shared storage */
  homeDir?: string;
}

/** A scheduler queue of an EHPC cluster. */
export interface Queue {
  /** hpcqueue_id, `ehpcq-…`: what submitJob takes. */
  queueId: string;
  name: string;
  /** The scheduler's partition: what jobs list as queue_name and #SBATCH -p names. */
  partitionName?: string;
  /** The queue a job without hpcqueue_id goes to. */
  isDefault: boolean;
  cpuNum?: number;
  /**
   * spec_detail.mem_size as sent. The API names no unit; the docs' examples (80 beside 26
   * cores, 4 in another) read as GB.
   */
  memSizeGb?: number;
  gpuNum?: number;
  /** spec_detail.unit_cpu_num: the cores of one of its nodes. */
  coresPerNode?: number;
  /** spec_detail.unit_mem_size: the memory of one of its nodes, read as GB like memSizeGb. */
  memPerNodeGb?: number;
  /** spec_detail.unit_gpu_num: the GPUs of one of its nodes. */
  gpusPerNode?: number;
  /** How many nodes node_info lists for it. */
  nodeCount?: number;
}

/** A machine of a cluster, as listNodes tells it. */
export interface ClusterMachine {
  nodeId: string;
  name: string;
  /** `login`, `controller` or `compute`. */
  role: string;
  status?: string;
  privateIp?: string;
  /** The public IP bound to it, when one is. */
  eip?: string;
  /** health_status as sent (`healthy`, …), when listed. */
  health?: string;
  cores?: number;
  memoryMb?: number;
  gpus?: number;
}

/** How busy a queue is, as describeQueue tells it; each figure only when the answer gives it. */
export interface QueueLoad {
  queueId: string;
  name: string;
  /** nrun: jobs running in it. */
  runningJobs?: number;
  /** npend: jobs waiting in it. */
  pendingJobs?: number;
  /** Slots (cores) free now: free_slots, else avail_slots. */
  freeSlots?: number;
  totalSlots?: number;
}

/**
 * What submitJob sends. Units chosen (the API does not document them): memory in MB, time
 * in minutes (Slurm's own units for --mem and -t).
 */
export interface JobSubmission {
  name: string;
  /** A user of the cluster (ClusterUser.username). */
  runUser: string;
  cmdLine: string;
  /** Without it, the cluster's default queue. */
  queueId?: string;
  coreLimit?: number;
  memLimitMb?: number;
  timeLimitMinutes?: number;
  stdoutPath?: string;
  stderrPath?: string;
}

/** What submitJob answers. */
export interface SubmittedJob {
  /** `hpcjob-…`: how the job is followed from now on. */
  hpcjobUuid: string;
  /** The scheduler's integer id. */
  jobId?: number;
  status: JobStatus;
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
