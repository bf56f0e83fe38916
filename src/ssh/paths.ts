// Which file on the cluster holds a job's output or its errors. The API gives the paths as the
// job was submitted with (or the cluster's defaults), maybe relative, maybe with Slurm's
// filename patterns; this turns them into absolute paths on the login node, in the order to try.
import { posix } from 'path';

// One quoting for every shell command built from a path or a name, here and in the submit.
export { shellQuote } from '../submit/script';

/** What a job's detail tells about its files (the API's fields, as the extension names them). */
export interface JobFiles {
  /** The scheduler's integer id. */
  jobId?: number;
  name?: string;
  runUser?: string;
  /** stdout_redirect_path */
  stdoutPath?: string;
  /** stderr_redirect_path */
  stderrPath?: string;
  /** exec_cwd: the job's working directory. */
  execCwd?: string;
  /** output_dir */
  outputDir?: string;
}

export type JobStream = 'output' | 'error';

/** A file that may hold the stream. */
export interface OutputCandidate {
  /** An absolute POSIX path. */
  readonly path: string;
  /**
   * Slurm patterns left in the path as written (`%N`, `%a`, …): the job does not tell their
   * value, so this path names no file as it stands.
   */
  readonly unknownPatterns: readonly string[];
  /** An error candidate that is the output file: Slurm writes errors there when no error file is named. */
  readonly mergedIntoOutput: boolean;
}

/**
 * The files that may hold a job's output or errors, in the order to try, each path once.
 * `home` is the run user's home (the login node's answer for `.`, or the user's nas_mount_point).
 * A relative path is tried in the job's working directory (and its output_dir), then from the
 * home. Without a path of its own a stream is looked for under the scheduler's default names
 * (the cluster's `job-<id>.out`/`.err`, Slurm's `slurm-<id>.out`), and errors also in the
 * output file, which Slurm writes them to when the job names no error file.
 */
export function outputCandidates(job: JobFiles, stream: JobStream, home?: string): OutputCandidate[] {
  const homeDir = home !== undefined && posix.isAbsolute(home) ? posix.normalize(home) : undefined;
  const output = streamCandidates(job, 'output', homeDir);
  const candidates = stream === 'output' ? output : [
    ...streamCandidates(job, 'error', homeDir),
    ...(given(job.stderrPath) === undefined ? output.map((candidate) => ({ ...candidate, mergedIntoOutput: true })) : []),
  ];
  const seen = new Set<string>();
  return candidates.filter((candidate) => !seen.has(candidate.path) && seen.add(candidate.path));
}

function streamCandidates(job: JobFiles, stream: JobStream, home: string | undefined): OutputCandidate[] {
  const path = given(stream === 'output' ? job.stdoutPath : job.stderrPath);
  if (path === undefined) {
    return defaultCandidates(job, stream, home);
  }
  const expanded = expandSlurmPatterns(path, job);
  return resolveAgainstJob(expanded.path, job, home).map((absolute) => ({ path: absolute, unknownPatterns: expanded.unknown, mergedIntoOutput: false }));
}

function defaultCandidates(job: JobFiles, stream: JobStream, home: string | undefined): OutputCandidate[] {
  if (job.jobId === undefined) {
    return [];
  }
  const names = stream === 'output' ? [`job-${job.jobId}.out`, `slurm-${job.jobId}.out`] : [`job-${job.jobId}.err`];
  const dirs = [...directories(job.execCwd, home), ...directories(job.outputDir, home), ...(home === undefined ? [] : [home])];
  return dirs.flatMap((dir) => names.map((name) => ({ path: posix.join(dir, name), unknownPatterns: [], mergedIntoOutput: false })));
}

/** A path of the job's as absolute paths: itself, or joined to the job's directories, then to the home. */
function resolveAgainstJob(path: string, job: JobFiles, home: string | undefined): string[] {
  if (posix.isAbsolute(path) || isHomePath(path)) {
    return directories(path, home);
  }
  // A relative path that starts with the relative working directory is relative to where
  // that directory is, not inside it (the API writes both from the storage's root).
  const joined = [job.execCwd, job.outputDir].flatMap((dir) => {
    const base = given(dir);
    return base === undefined || startsWithDir(path, base) ? [] : directories(base, home).map((absolute) => posix.join(absolute, path));
  });
  return [...joined, ...fromHome(path, home)];
}

/** Where the job's working directory may be, absolute, in the order to try (it may be given relative). */
export function workingDirectories(job: Pick<JobFiles, 'execCwd'>, home: string | undefined): string[] {
  return directories(job.execCwd, home);
}

/** A directory (or file) as absolute paths: itself when absolute, else the ways it can stand under the home. */
function directories(dir: string | undefined, home: string | undefined): string[] {
  const path = given(dir);
  if (path === undefined) {
    return [];
  }
  if (posix.isAbsolute(path)) {
    return [posix.normalize(path)];
  }
  if (isHomePath(path)) {
    return home === undefined ? [] : [posix.join(home, path.slice(1))];
  }
  return fromHome(path, home);
}

/**
 * A relative path under the home: where the home's last folders begin it (the API's
 * `home/admin/output/…` for the home `/public/home/admin`), and joined to the home.
 */
function fromHome(path: string, home: string | undefined): string[] {
  if (home === undefined) {
    return [];
  }
  const homeParts = home.split('/').filter((part) => part !== '');
  const pathParts = posix.normalize(path).split('/').filter((part) => part !== '');
  const results: string[] = [];
  for (let shared = Math.min(homeParts.length, pathParts.length); shared > 0; shared--) {
    if (homeParts.slice(-shared).join('/') === pathParts.slice(0, shared).join('/')) {
      results.push(posix.join('/', ...homeParts.slice(0, -shared), ...pathParts));
      break;
    }
  }
  results.push(posix.join(home, path));
  return results;
}

function given(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function isHomePath(path: string): boolean {
  return path === '~' || path.startsWith('~/');
}

function startsWithDir(path: string, dir: string): boolean {
  const base = posix.normalize(dir).replace(/\/+$/, '');
  return base !== '.' && posix.normalize(path).startsWith(`${base}/`);
}

// The patterns whose value the job's detail gives, and those it does not (the node the job
// ran on first, array job and task ids).
const KNOWN_PATTERNS = new Set(['J', 'j', 'u', 'x', 'n', 't', 's']);
const UNKNOWN_PATTERNS = new Set(['A', 'a', 'b', 'N']);

/**
 * A path with Slurm's filename patterns replaced as Slurm replaces them for a batch job:
 * `%j`/`%J` the job id, `%u` the user, `%x` the job name, `%n`/`%t` 0, `%s` `batch`, `%%` a
 * `%`, with an optional zero-padding width (`%4j`, at most 10). A pattern whose value is not
 * known (`%N`, `%A`, `%a`, `%b`, or a missing id, user or name) stays as written and is listed.
 * As in Slurm, a path with a backslash has no patterns: its backslashes are dropped.
 */
export function expandSlurmPatterns(path: string, job: Pick<JobFiles, 'jobId' | 'runUser' | 'name'>): { path: string; unknown: string[] } {
  if (path.includes('\\')) {
    return { path: path.replace(/\\/g, ''), unknown: [] };
  }
  const unknown: string[] = [];
  const expanded = path.replace(/%(%|(\d*)(.)?)/g, (written: string, escape: string, digits: string, letter: string | undefined) => {
    if (escape === '%') {
      return '%';
    }
    if (letter === undefined) {
      // A trailing %, or one ending in digits: Slurm drops the % (and all digits but the last).
      return digits.slice(-1);
    }
    if (!KNOWN_PATTERNS.has(letter) && !UNKNOWN_PATTERNS.has(letter)) {
      // Not a pattern: Slurm keeps the text, but of a width only its last digit.
      return digits === '' ? written : digits.slice(-1) + letter;
    }
    const value = patternValue(letter, job);
    if (value === undefined) {
      unknown.push(written);
      return written;
    }
    const width = Math.min(Number(digits || '0'), 10);
    return /^\d+$/.test(value) ? value.padStart(width, '0') : value;
  });
  return { path: expanded, unknown: [...new Set(unknown)] };
}

function patternValue(letter: string, job: Pick<JobFiles, 'jobId' | 'runUser' | 'name'>): string | undefined {
  switch (letter) {
    case 'j':
    case 'J':
      return job.jobId === undefined ? undefined : String(job.jobId);
    case 'u':
      return given(job.runUser);
    case 'x':
      return given(job.name);
    case 'n':
    case 't':
      return '0';
    case 's':
      return 'batch';
    default:
      return undefined;
  }
}

/** The paths a "nothing found" message names, in the order they were tried, each once. */
export function describeTried(candidates: readonly Pick<OutputCandidate, 'path'>[]): string[] {
  return [...new Set(candidates.map((candidate) => candidate.path))];
}
