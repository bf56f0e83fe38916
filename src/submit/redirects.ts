// The job's output and error paths (stdout_redirect_path, stderr_redirect_path). A path the
// user chose is sent: a script's #SBATCH -o/-e, or an earlier run's own path when it is
// resubmitted. An earlier run's path gets a new name, so that the new run never writes over
// the output it is often resubmitted to compare with. An uploaded script that names no path
// gets one beside it, as unique as its upload, so its output is always where the detail says.
import { JobSubmission } from '../ehpc/types';

export type Redirects = Pick<JobSubmission, 'stdoutPath' | 'stderrPath'>;

/**
 * The paths of an earlier run worth carrying over to its rerun, each renamed for the rerun
 * (see rerunPath). A file named as the server names the earlier job's output by default is
 * not the user's choice: it is left out, so that the server names the new job's own.
 */
export function carriedRedirects(detail: { stdoutPath?: string; stderrPath?: string; jobId?: number }, now: Date): Redirects {
  const carried = (path: string | undefined) => (path === undefined || path.trim() === '' || isDefaultPath(path, detail.jobId) ? undefined : rerunPath(path, now));
  const result: Redirects = {};
  const stdoutPath = carried(detail.stdoutPath);
  const stderrPath = carried(detail.stderrPath);
  if (stdoutPath !== undefined) {
    result.stdoutPath = stdoutPath;
  }
  if (stderrPath !== undefined) {
    result.stderrPath = stderrPath;
  }
  return result;
}

/**
 * The files a job running an uploaded script writes when the script names none: beside the
 * script, named after it (`…/train-20260304-050607-k3x9q2.sh` → `….out`, `….err`). The upload
 * path is new for every submit, so these never name an earlier job's files.
 */
export function besideScript(target: string): Required<Redirects> {
  const slash = target.lastIndexOf('/');
  const dot = target.lastIndexOf('.');
  const stem = dot > slash + 1 ? target.slice(0, dot) : target;
  return { stdoutPath: `${stem}.out`, stderrPath: `${stem}.err` };
}

const RERUN_STAMP = /-rerun-\d{8}-\d{6}(?=(\.[^./]*)?$)/;

/**
 * A path for a rerun: `-rerun-<YYYYMMDD-HHMMSS>` (UTC) before the file's extension, in place of
 * an earlier rerun's stamp: `/home/a/train.out` → `/home/a/train-rerun-20260304-050607.out`.
 */
export function rerunPath(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2}).*$/, '-rerun-$1$2$3-$4$5$6');
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const file = path.slice(slash + 1).replace(RERUN_STAMP, '');
  const dot = file.lastIndexOf('.');
  // A leading dot (`.out`) is a name, not an extension.
  return dot > 0 ? `${dir}${file.slice(0, dot)}${stamp}${file.slice(dot)}` : `${dir}${file}${stamp}`;
}

/**
 * Whether the file's whole name is a default for job `jobId`: the cluster's `job-<id>.out` and
 * `job-<id>.err`, or Slurm's `slurm-<id>.out` (`.err` too). A chosen name that merely holds the
 * id (`run7.out`, `v2.log`) is kept.
 */
function isDefaultPath(path: string, jobId: number | undefined): boolean {
  const file = path.trim().slice(path.trim().lastIndexOf('/') + 1);
  return jobId !== undefined && [`job-${jobId}.out`, `job-${jobId}.err`, `slurm-${jobId}.out`, `slurm-${jobId}.err`].includes(file);
}
