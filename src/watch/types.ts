// What the watch follows and what it reports: shared by the scheduler, its planning, the
// notifications and the status bar.
import { ClusterPlace } from '../ehpc/batch';
import { Job, JobStatus } from '../ehpc/types';
import type { TickAllowance } from './budget';

export type ActiveStatus = 'pending' | 'running';
export type FinalStatus = 'finished' | 'exited' | 'cancelled' | 'stopped';

export function isActive(status: JobStatus): status is ActiveStatus {
  return status === 'pending' || status === 'running';
}

/** A job being followed, as persisted. */
export interface WatchedJob {
  /** The account whose key looks it up. */
  account: string;
  zone: string;
  clusterId: string;
  hpcjobUuid: string;
  name: string;
  status: JobStatus;
  submittedTime?: string;
  startedTime?: string;
  /** When the watch began (ms since the epoch). */
  since: number;
  /** The stop operation (`j-…`) a cancel started, while it may still fail. */
  operationId?: string;
  /** A cancel was sent and the job still runs: the tree shows "Cancelling...". */
  cancelRequested?: boolean;
  /** Answers in a row that gave a state this version does not know. */
  unknownAnswers?: number;
}

/** What a job passed to watch() must tell; a list item (Job) does. */
export type WatchableJob = Pick<Job, 'account' | 'zone' | 'clusterId' | 'hpcjobUuid' | 'name' | 'status'> & Partial<Pick<Job, 'submittedTime' | 'startedTime'>>;

export interface WatchOptions {
  /** Per hpcjob_uuid, the stop operation a cancel started. */
  operationIds?: ReadonlyMap<string, string>;
  cancelRequested?: boolean;
}

/** What a detail request tells about a job that ended. */
export interface JobEnding {
  reason?: string;
  runSeconds?: number;
  /** The scheduler's exit code, when the detail gives one. */
  exitCode?: number;
  /** Where the job's standard error went (stderr_redirect_path). */
  errorFile?: string;
}

export type WatchEvent =
  | { kind: 'ended'; job: WatchedJob; latest: Job; status: FinalStatus; ending?: JobEnding }
  | { kind: 'gone'; job: WatchedJob }
  /** The server kept answering a state this version does not know: no longer followed. */
  | { kind: 'unknownState'; job: WatchedJob; latest: Job }
  | { kind: 'cancelFailed'; job: WatchedJob; operationId: string; /** The operation's error codes, when it names any. */ errorCodes?: string };

export interface LookupResult {
  /** Asked ids answered for: the job now, or undefined when the cluster no longer has it. */
  jobs: ReadonlyMap<string, Job | undefined>;
}

/** One cluster's look-up: exactly these jobs, every request through the tick's allowance. */
export type Lookup = (cluster: ClusterPlace, hpcjobUuids: readonly string[], allowance: TickAllowance) => Promise<LookupResult>;

export interface WatchSnapshot {
  version: 1;
  jobs: WatchedJob[];
}

const STATUSES: readonly string[] = ['pending', 'running', 'finished', 'exited', 'cancelled', 'stopped', 'unknown'];

export function isWatchedJob(value: unknown): value is WatchedJob {
  const job = value as Partial<Record<keyof WatchedJob, unknown>> | null;
  return typeof job === 'object' && job !== null
    && typeof job.account === 'string' && typeof job.zone === 'string' && typeof job.clusterId === 'string' && typeof job.hpcjobUuid === 'string'
    && typeof job.name === 'string' && typeof job.status === 'string' && STATUSES.includes(job.status)
    && typeof job.since === 'number'
    && (job.operationId === undefined || typeof job.operationId === 'string');
}
