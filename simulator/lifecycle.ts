// Jobs move on their own, as a scheduler moves them: pending → running `startAfterMs` after
// submission, then ended `runMs` later, by the simulator's clock. Like operations, jobs are
// settled when anything looks (a request, a test hook), never by a timer.
//
// How a job ends is decided when it is submitted, deterministically:
// - `exited`, reason `TimeLimit`, when it asked for a `time_limit` (minutes) shorter than `runMs`;
//   it ends when the limit runs out;
// - else `exited`, reason `NonZeroExitCode`, when its cmd_line, or a plain file kept by
//   createJobFile that the cmd_line names (absolute, or relative to the job's exec_cwd), holds
//   `exit N` with N a non-zero exit status (N mod 256 ≠ 0), e.g. `bash -c "exit 3"`;
// - else `finished`.
import { posix } from 'path';
import { formatWireTime, type SimCluster, type SimJob } from './data';

export interface LifecycleOptions {
  /** How long a submitted job stays pending, in ms; default `DEFAULT_START_AFTER_MS`. `Infinity`: it never starts. */
  startAfterMs?: number;
  /** How long it runs once started, in ms; default `DEFAULT_RUN_MS`. `Infinity`: it never ends. */
  runMs?: number;
  /**
   * The generated (and `addJob`) pending and running jobs move too, one after another, from
   * when the simulator starts; default false: they stay as generated.
   */
  moveGeneratedJobs?: boolean;
}

export const DEFAULT_START_AFTER_MS = 4_000;
export const DEFAULT_RUN_MS = 20_000;

export interface JobEnd {
  status: 'finished' | 'exited';
  reason: string;
}

interface Plan {
  job: SimJob;
  startMs: number;
  endMs: number;
  end: JobEnd;
  /** When it really started: `startMs`, or a generated running job's started_time (read once). */
  startedMs?: number;
}

/** Told, at each advance, where a planned job stands: it runs from `startMs` to `endMs`. */
export type ProgressListener = (job: SimJob, startMs: number, endMs: number, atMs: number) => void;

export class Lifecycle {
  readonly startAfterMs: number;
  readonly runMs: number;
  readonly moveGeneratedJobs: boolean;
  /** Called for every planned job at each advance, and once more after it ended (the job's output). */
  onProgress?: ProgressListener;
  /** Called when a pending job starts running (to place it on nodes). */
  onStart?: (job: SimJob) => void;
  private plans: Plan[] = [];

  constructor(options: LifecycleOptions = {}) {
    this.startAfterMs = duration('startAfterMs', options.startAfterMs ?? DEFAULT_START_AFTER_MS);
    this.runMs = duration('runMs', options.runMs ?? DEFAULT_RUN_MS);
    this.moveGeneratedJobs = options.moveGeneratedJobs === true;
  }

  /** A job submitted at `submittedMs` (pending): it starts, runs and ends as planned. */
  submitted(job: SimJob, submittedMs: number, readFile: (path: string) => string | undefined): void {
    const startMs = submittedMs + this.startAfterMs;
    const limitMs = job.time_limit === undefined ? Infinity : job.time_limit * 60_000;
    const end: JobEnd = limitMs < this.runMs ? { status: 'exited', reason: 'TimeLimit' } : endOf(job, readFile);
    this.plans.push({ job, startMs, endMs: startMs + Math.min(this.runMs, limitMs), end });
  }

  /**
   * The cluster's live generated jobs, oldest first, each `startAfterMs` (pending) or `runMs`
   * (running) after the one before, from `nowMs`: the demo's jobs end one by one.
   */
  generated(cluster: SimCluster, nowMs: number): void {
    let pending = 0;
    let running = 0;
    for (const job of [...cluster.jobs].reverse()) {
      if (job.job_status === 'pending') {
        const startMs = nowMs + this.startAfterMs * ++pending;
        this.plans.push({ job, startMs, endMs: startMs + this.runMs, end: endOf(job, () => undefined) });
      } else if (job.job_status === 'running') {
        const startedMs = job.started_time === undefined ? nowMs : Date.parse(`${job.started_time}Z`);
        this.plans.push({ job, startMs: nowMs, startedMs, endMs: nowMs + this.runMs * ++running, end: endOf(job, () => undefined) });
      }
    }
  }

  /** A job running from `nowMs` that ends `runMs` later, whatever this lifecycle's `runMs`. */
  runningFor(job: SimJob, nowMs: number, runMs: number): void {
    this.plans.push({ job, startMs: nowMs, startedMs: nowMs, endMs: nowMs + duration('runMs', runMs), end: endOf(job, () => undefined) });
  }

  /** Whether the job moves on its own. */
  isPlanned(job: SimJob): boolean {
    return this.plans.some((plan) => plan.job === job);
  }

  /** Moves every planned job to where it is at `atMs`; forgets the ones no longer live. */
  advance(atMs: number): void {
    let someEnded = false;
    for (const plan of this.plans) {
      const { job } = plan;
      if (job.job_status === 'pending' && plan.startMs <= atMs) {
        const started = formatWireTime(plan.startMs);
        job.job_status = 'running';
        job.started_time = started;
        job.modified_time = started;
        job.pend_reason = '';
        this.onStart?.(job);
      }
      if (job.job_status === 'running') {
        const endMs = Math.min(plan.endMs, atMs);
        plan.startedMs ??= plan.startMs;
        job.run_time = String(Math.max(0, Math.floor((endMs - plan.startedMs) / 1000)));
        if (plan.endMs <= atMs) {
          const ended = formatWireTime(plan.endMs);
          job.job_status = plan.end.status;
          job.reason = plan.end.reason;
          job.end_time = ended;
          job.modified_time = ended;
        }
      }
      this.onProgress?.(job, plan.startMs, plan.endMs, atMs);
      someEnded ||= job.job_status !== 'pending' && job.job_status !== 'running';
    }
    if (someEnded) {
      this.plans = this.plans.filter((p) => p.job.job_status === 'pending' || p.job.job_status === 'running');
    }
  }
}

/** The exit status the rule above finds in `text`: the first non-zero `exit N`, or 0. */
export function exitStatusIn(text: string): number {
  for (const match of text.matchAll(/\bexit\s+(\d+)\b/g)) {
    const status = Number(match[1]) % 256;
    if (status !== 0) {
      return status;
    }
  }
  return 0;
}

function endOf(job: SimJob, readFile: (path: string) => string | undefined): JobEnd {
  const texts = [job.cmd_line, ...scriptsNamed(job).map(readFile)];
  const failed = texts.some((text) => text !== undefined && exitStatusIn(text) !== 0);
  return failed ? { status: 'exited', reason: 'NonZeroExitCode' } : { status: 'finished', reason: '' };
}

/** Every word of the cmd_line as a path: absolute, or relative to the job's working directory. */
function scriptsNamed(job: SimJob): string[] {
  return job.cmd_line
    .split(/\s+/)
    .map((word) => word.replace(/^['"]|['"]$/g, ''))
    .filter((word) => word !== '' && !word.startsWith('-'))
    .map((word) => posix.resolve(job.exec_cwd || '/', word));
}

function duration(name: string, ms: number): number {
  if (Number.isNaN(ms) || ms < 0) {
    throw new RangeError(`lifecycle.${name} must be a non-negative number of milliseconds, got ${ms}`);
  }
  return ms;
}
