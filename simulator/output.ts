// What a job writes while it runs: a line to its output file every `stepMs` of the
// simulator's clock (`step 3/40: loss 0.512`), every tenth step a warning to its error file,
// and a last line when it ends (`done: …` on output; `error: …` or slurm's cancel notice on
// error). Written when anything settles the simulator (a request, an SFTP read, a test hook),
// up to that moment, so the files grow on the simulator's clock and never by a timer.
//
// Line prefixes tests may count on: `job `, `step `, `warning: `, `done: `, `error: `, and
// `slurmstepd: error: *** JOB ` for a job cancelled or out of time.
import { posix } from 'path';
import { formatWireTime, type SimJob } from './data';
import type { SharedStorage } from './storage';

export interface JobOutputOptions {
  /** A step line every this many ms of a job's run; default `DEFAULT_STEP_MS`. */
  stepMs?: number;
  /** Each step line is padded with `.` to this many bytes (a big output: 65536 makes 64 KiB a step). */
  stepBytes?: number;
  /** Bytes of filler lines written to the output as the job starts (a big file at once). */
  firstBytes?: number;
  /** Each step line ends with bytes that are not UTF-8 (0xff 0xfe and GBK's 完成). */
  nonUtf8?: boolean;
}

export const DEFAULT_STEP_MS = 1000;
/** Steps the output of a job that ended (or stopped moving) before the simulator started shows. */
const STATIC_STEPS = 5;
const NON_UTF8 = Buffer.from([0x20, 0xff, 0xfe, 0x20, 0xcd, 0xea, 0xb3, 0xc9]);

interface Written {
  stdout: string;
  stderr: string;
  steps: number;
  ended: boolean;
}

export class JobOutput {
  private readonly written = new WeakMap<SimJob, Written>();
  private readonly perJob = new WeakMap<SimJob, JobOutputOptions>();

  constructor(
    private readonly storage: SharedStorage,
    private readonly options: JobOutputOptions = {},
  ) {
    for (const name of ['stepMs', 'stepBytes', 'firstBytes'] as const) {
      const value = options[name];
      if (value !== undefined && !(Number.isSafeInteger(value) && value >= (name === 'stepMs' ? 1 : 0))) {
        throw new RangeError(`jobOutput.${name} must be a ${name === 'stepMs' ? 'positive' : 'non-negative'} integer, got ${value}`);
      }
    }
  }

  /** This job writes as `options` say (over the simulator's), from its next line on. */
  setOptions(job: SimJob, options: JobOutputOptions): void {
    this.perJob.set(job, options);
  }

  /**
   * Brings a planned job's files to `atMs`: it runs from `startMs` (as far as this simulator
   * knows) to `endMs`; ended or cancelled, it writes its last line.
   */
  progress(job: SimJob, startMs: number, endMs: number, atMs: number): void {
    if (job.started_time === undefined || atMs < startMs) {
      return;
    }
    const opts = this.optionsOf(job);
    const stepMs = opts.stepMs ?? DEFAULT_STEP_MS;
    const live = job.job_status === 'running';
    const stoppedMs = live ? Math.min(atMs, endMs) : job.end_time ? Date.parse(`${job.end_time}Z`) : endMs;
    const total = Number.isFinite(endMs) ? Math.floor((endMs - startMs) / stepMs) : undefined;
    const written = this.written.get(job) ?? this.start(job, startMs, opts);
    if (written.ended) {
      return;
    }
    const steps = Math.max(written.steps, Math.floor((Math.min(stoppedMs, endMs) - startMs) / stepMs));
    this.writeSteps(job, written, steps, total, opts);
    if (!live) {
      this.end(job, written, stoppedMs);
    }
  }

  /** A job that started before the simulator did and does not move: a few steps, and its end if it ended. */
  staticOutput(job: SimJob): void {
    if (job.started_time === undefined || this.written.has(job)) {
      return;
    }
    const startMs = Date.parse(`${job.started_time}Z`);
    const opts = { ...this.optionsOf(job), firstBytes: 0 };
    const written = this.start(job, startMs, opts);
    this.writeSteps(job, written, STATIC_STEPS, undefined, opts);
    if (job.job_status !== 'running') {
      this.end(job, written, job.end_time ? Date.parse(`${job.end_time}Z`) : startMs);
    }
  }

  private optionsOf(job: SimJob): JobOutputOptions {
    return { ...this.options, ...this.perJob.get(job) };
  }

  /** Both files made afresh (as slurm truncates them), the first line and any filler. */
  private start(job: SimJob, startMs: number, opts: JobOutputOptions): Written {
    const written: Written = { stdout: redirectPath(job, job.stdout_redirect_path), stderr: redirectPath(job, job.stderr_redirect_path), steps: 0, ended: false };
    this.written.set(job, written);
    this.write(job, written.stdout, `job ${job.job_id} "${job.job_name}" started at ${formatWireTime(startMs)} in ${job.exec_cwd}\n`, true);
    if (written.stderr !== written.stdout) {
      this.write(job, written.stderr, '', true);
    }
    let left = opts.firstBytes ?? 0;
    for (let line = 1; left > 0; ) {
      // 1 MiB at a time, in whole 64-byte lines (the last one cut to what is left).
      const chunk: string[] = [];
      for (let bytes = 0; bytes < 1 << 20 && left > 0; line++) {
        const text = `filler ${String(line).padStart(8, '0')} `.padEnd(63, '.') + '\n';
        const part = text.slice(0, Math.min(text.length, left));
        chunk.push(part);
        bytes += part.length;
        left -= part.length;
      }
      this.write(job, written.stdout, chunk.join(''));
    }
    return written;
  }

  private writeSteps(job: SimJob, written: Written, upTo: number, total: number | undefined, opts: JobOutputOptions): void {
    const out: Buffer[] = [];
    const err: string[] = [];
    for (let k = written.steps + 1; k <= upTo; k++) {
      const of = total === undefined ? '' : `/${total}`;
      out.push(stepLine(`step ${k}${of}: loss ${(2 / (1 + k / 10)).toFixed(3)}`, opts));
      if (k % 10 === 0) {
        err.push(`warning: step ${k}${of}: checkpoint took longer than expected\n`);
      }
    }
    written.steps = Math.max(written.steps, upTo);
    if (out.length > 0) {
      this.write(job, written.stdout, Buffer.concat(out));
    }
    if (err.length > 0) {
      this.write(job, written.stderr, err.join(''));
    }
  }

  private end(job: SimJob, written: Written, atMs: number): void {
    written.ended = true;
    const time = formatWireTime(atMs);
    if (job.job_status === 'cancelled' || job.reason === 'TimeLimit') {
      const why = job.reason === 'TimeLimit' ? ' DUE TO TIME LIMIT' : '';
      this.write(job, written.stderr, `slurmstepd: error: *** JOB ${job.job_id} CANCELLED AT ${time}${why} ***\n`);
      return;
    }
    if (job.job_status === 'exited') {
      this.write(job, written.stderr, `error: job ${job.job_id} exited with a non-zero status at ${time}\n`);
    }
    this.write(job, written.stdout, `done: job ${job.job_id} ${job.job_status} at ${time}\n`);
  }

  private write(job: SimJob, clusterPath: string, data: string | Buffer, fresh = false): void {
    try {
      if (fresh) {
        this.storage.writeFile(job.cluster_id, clusterPath, data);
      } else if (data.length > 0) {
        this.storage.appendFile(job.cluster_id, clusterPath, data);
      }
    } catch {
      // A path that leads outside the cluster's storage: the job writes nothing there, as a
      // job whose output file cannot be opened writes nothing.
    }
  }
}

/**
 * The file a redirect path names: slurm's `%j` (job id), `%x` (job name), `%u` (user) and
 * `%%` replaced, and a relative path taken from the job's working directory.
 */
export function redirectPath(job: SimJob, redirect: string): string {
  const expanded = redirect.replace(/%([jxu%])/g, (_, key: string) =>
    key === 'j' ? String(job.job_id) : key === 'x' ? job.job_name : key === 'u' ? job.run_user : '%');
  return posix.resolve(job.exec_cwd || '/', expanded);
}

function stepLine(text: string, opts: JobOutputOptions): Buffer {
  const tail = opts.nonUtf8 ? NON_UTF8 : Buffer.alloc(0);
  const padding = Math.max(0, (opts.stepBytes ?? 0) - text.length - tail.length - 1);
  return Buffer.concat([Buffer.from(text + ' '.repeat(padding > 0 ? 1 : 0) + '.'.repeat(Math.max(0, padding - 1))), tail, Buffer.from('\n')]);
}
