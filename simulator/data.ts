// Deterministic demo data: zones × clusters × jobs, shaped like the real API's items.
import { AccountMaker, type SimQueue, type SimUser } from './accounts';
import { NodeMaker, type SimNode } from './nodes';
import { nodeListOf } from './queueLoad';
import { IdMaker, Rng } from './random';

/**
 * Jobs per cluster: one number for all, an array indexed by the cluster's position in
 * the whole dataset (zone by zone; missing entries get the default), or a function of it.
 */
export type JobsPerCluster = number | readonly number[] | ((clusterIndex: number, zone: string) => number);

export interface DataOptions {
  /** Default ['jn1a', 'jn1b']. */
  zones?: readonly string[];
  /** Default 3. */
  clustersPerZone?: number;
  /** Default 12. */
  jobsPerCluster?: JobsPerCluster;
  /** Default 20210819. */
  seed?: number;
  /**
   * The last cluster of each zone of two or more made idle: active, billed by use, every job
   * ended (the demo's, for the idle warning). Off by default: the data tests know stays as it was.
   */
  idleCluster?: boolean;
}

/** A job with every field the simulator serves; list items leave out the detail-only ones. */
export interface SimJob {
  hpcjob_uuid: string;
  cluster_id: string;
  job_id: number;
  job_name: string;
  job_status: string;
  queue_name: string;
  run_user: string;
  cmd_line: string;
  core_limit: number;
  /** Only on submitted jobs that asked for a limit (MB, as sent). */
  mem_limit?: number;
  /** Only on submitted jobs that asked for a limit (minutes, as sent). */
  time_limit?: number;
  submitted_time: string;
  /** Absent while the job has not started. */
  started_time?: string;
  modified_time: string;
  exec_cwd: string;
  stdout_redirect_path: string;
  stderr_redirect_path: string;
  // Detail-only fields (GET /api/job/jobdetail/{id}).
  end_time: string | null;
  run_time: string;
  output_dir: string;
  reason: string;
  pend_reason: string;
  /**
   * The compute nodes it runs (or ran) on, from when it starts: a string holding a JSON array of
   * their names as listNodes gives them (`["计算节点1"]`); the docs type it string and show `"[]"`.
   */
  job_node_list?: string;
}

/** Cluster fields that do not depend on its jobs (the job counts are computed when listed). */
export interface SimClusterInfo {
  cluster_id: string;
  cluster_name: string;
  cluster_status: string;
  /** While a start or stop runs: `starting` / `stopping`; else ''. */
  transition_status: string;
  /** `PayForUsed` (billed while active) or `Reserved` (paid ahead). */
  paid_type: string;
  cluster_type: string;
  scheduler_type: string;
  total_node_count: number;
  create_time: string;
}

/** A cluster as the list shows it: with its current job counts and what it has used. */
export interface SimClusterItem extends SimClusterInfo {
  running_job_count: number;
  pending_job_count: number;
  finished_job_count: number;
  stopped_job_count: number;
  /** Core-hours used, growing while the cluster is active (a float, as in the docs' example). */
  cpu_hours: number;
  /** GB-hours of memory used, likewise. */
  mem_hours: number;
}

/** What a cluster had used when the simulator started, and how long it has been active since. */
export interface SimUsage {
  /** Core-hours and GB-hours before the simulator started. */
  cpuHours: number;
  memHours: number;
  /** Time active from the simulator's start up to `sinceMs`. */
  activeMs: number;
  sinceMs: number;
}

export interface SimCluster {
  zone: string;
  info: SimClusterInfo;
  /** Newest submitted first, as the API lists them. */
  jobs: SimJob[];
  /** The cluster's Linux users, `admin` first. */
  users: SimUser[];
  /** Its scheduler queues, the default one first. */
  queues: SimQueue[];
  /** Its nodes: the login node, the controller, then the compute nodes of its queues. */
  nodes: SimNode[];
  usage: SimUsage;
}

export interface Dataset {
  zones: string[];
  clusters: SimCluster[];
}

export const DEFAULT_ZONES: readonly string[] = ['jn1a', 'jn1b'];
export const DEFAULT_SEED = 20210819;

const CLUSTER_NAMES = [
  'cfd-prod', 'genomics', '分子动力学', 'weather-wrf', 'ml-training',
  'materials-vasp', 'test-hpc-kk', 'bio-gromacs', 'seismic-rtm', 'astro-nbody',
];

// Names with spaces, "/" and non-ASCII on purpose: they must survive signing and display.
const JOB_NAMES: ReadonlyArray<(n: number, rng: Rng) => string> = [
  (n) => `relax-Si${n}`,
  (n) => `md run ${n}`,
  (n) => `lammps/npt-${n}K`,
  (_n, rng) => `作业-${rng.alnum(5)}`,
  (n) => `vasp scf #${n}`,
  (n) => `wrf_d0${(n % 4) + 1}_forecast`,
  (n) => `gromacs-lysozyme-${n}`,
  (n) => `分子动力学 模拟 ${n}`,
  (n) => `Ångström scan ${n}`,
  (n) => `cfd/case ${n}/mesh-fine`,
];

const QUEUES = ['normal', 'normal', 'gpu', 'large', 'debug', 'vis'];
const USERS = ['admin', 'hpcuser', 'zhangsan', 'usr-vceaHsJu'];
const COMMANDS = [
  'sbatch run.sh', 'mpirun -np 64 lmp -in in.lj', 'srun vasp_std', 'sleep 100',
  'gmx mdrun -deffnm md', './wrf.exe', 'python train.py --epochs 50',
];
const TERMINAL_STATUSES = ['finished', 'finished', 'finished', 'finished', 'exited', 'exited', 'cancelled', 'stopped'];
const PEND_REASONS = ['Resources', 'Priority', 'QOSMaxCpuPerUserLimit'];

// A fixed "now" for the data, so generation does not depend on the wall clock.
const DATA_EPOCH = Date.UTC(2025, 5, 30, 10, 0, 0);

/** The API's UTC times with a zone suffix (timestamps, operations): `2021-08-19T16:44:40Z`. */
export function formatUtcTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The API's list times: no zone suffix, e.g. `2021-08-19T14:06:41`. */
export function formatWireTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export function generateDataset(options: DataOptions = {}): Dataset {
  const zones = [...(options.zones ?? DEFAULT_ZONES)];
  const clustersPerZone = options.clustersPerZone ?? 3;
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const ids = new IdMaker(rng);
  const accounts = new AccountMaker(options.seed ?? DEFAULT_SEED);
  const nodeMaker = new NodeMaker(options.seed ?? DEFAULT_SEED);
  // Drawn apart from the rest, so adding them left every seed's clusters and jobs as they were.
  const billing = new Rng((options.seed ?? DEFAULT_SEED) ^ 0xb111);
  const clusters: SimCluster[] = [];

  let index = 0;
  for (const zone of zones) {
    for (let i = 0; i < clustersPerZone; i++, index++) {
      // The first cluster of each zone is always active, so every zone has something to browse.
      const status = i === 0 || rng.chance(0.85) ? 'active' : rng.pick(['stopped', 'suspended']);
      const info: SimClusterInfo = {
        cluster_id: ids.make('ehpc'),
        cluster_name: clusterName(index),
        cluster_status: status,
        transition_status: '',
        // Most clusters are billed by use; the first of each zone now and then paid ahead.
        paid_type: billing.chance(i === 0 ? 0.5 : 0.15) ? 'Reserved' : 'PayForUsed',
        cluster_type: 'ehpc',
        scheduler_type: 'slurm',
        total_node_count: rng.int(2, 32),
        create_time: formatUtcTime(DATA_EPOCH - rng.int(30, 900) * 86_400_000),
      };
      const count = jobCount(options.jobsPerCluster, index, zone);
      const jobs = generateJobs(rng, ids, info, count);
      const idle = options.idleCluster === true && i > 0 && i === clustersPerZone - 1;
      if (idle) {
        // The zone's idle cluster: switched on, billed by use, and every job of it long over.
        info.cluster_status = 'active';
        info.paid_type = 'PayForUsed';
        endLiveJobs(jobs);
      }
      // Users before queues: the order they were always drawn in.
      const users = accounts.users(info, jobs);
      const queues = accounts.queues(info, jobs);
      const cluster: SimCluster = {
        zone, info, jobs, users, queues, nodes: nodeMaker.nodes(info, queues),
        usage: { cpuHours: billing.int(0, 500_000) / 100, memHours: billing.int(0, 2_000_000) / 100, activeMs: 0, sinceMs: DATA_EPOCH },
      };
      for (const job of jobs) {
        if (job.started_time !== undefined) {
          job.job_node_list = nodeListOf(cluster, job);
        }
      }
      clusters.push(cluster);
    }
  }
  return { zones, clusters };
}

/**
 * Makes the live jobs of a cluster ended ones, without drawing from the generator: the idle
 * cluster is busy no more, and the clusters generated after it stay as they were.
 */
function endLiveJobs(jobs: SimJob[]): void {
  for (const job of jobs) {
    if (job.job_status !== 'pending' && job.job_status !== 'running') {
      continue;
    }
    const submittedMs = Date.parse(`${job.submitted_time}Z`);
    const startedMs = job.started_time === undefined ? submittedMs + 60_000 : Date.parse(`${job.started_time}Z`);
    const endedMs = startedMs + 10 * 60_000;
    job.job_status = 'finished';
    job.started_time = formatWireTime(startedMs);
    job.end_time = formatWireTime(endedMs);
    job.modified_time = job.end_time;
    job.run_time = String((endedMs - startedMs) / 1000);
    job.pend_reason = '';
  }
}

function clusterName(index: number): string {
  const base = CLUSTER_NAMES[index % CLUSTER_NAMES.length];
  const round = Math.floor(index / CLUSTER_NAMES.length);
  return round === 0 ? base : `${base}-${round + 1}`;
}

function jobCount(spec: JobsPerCluster | undefined, index: number, zone: string): number {
  const count =
    spec === undefined ? 12
    : typeof spec === 'number' ? spec
    : typeof spec === 'function' ? spec(index, zone)
    : spec[index] ?? 12;
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`jobsPerCluster for cluster ${index} must be a non-negative integer, got ${count}`);
  }
  return count;
}

function generateJobs(rng: Rng, ids: IdMaker, cluster: SimClusterInfo, count: number): SimJob[] {
  const jobs: SimJob[] = [];
  const active = cluster.cluster_status === 'active';
  // The newest quarter may still be queued or running; older jobs have all ended.
  const liveCount = active ? Math.ceil(count * 0.25) : 0;
  const firstSchedulerId = rng.int(1000, 20000);
  let submitted = DATA_EPOCH - rng.int(1, 30) * 60_000;

  for (let i = 0; i < count; i++) {
    const status = i < liveCount ? rng.pick(['pending', 'running', 'running']) : rng.pick(TERMINAL_STATUSES);
    const jobId = firstSchedulerId + (count - 1 - i);
    const user = rng.pick(USERS);
    const cwd = `/public/home/${user}/job-${jobId}`;
    const started = status === 'pending' || (status === 'cancelled' && rng.chance(0.5))
      ? undefined
      : submitted + rng.int(0, 600) * 1000;
    const ended = status === 'pending' || status === 'running'
      ? undefined
      : (started ?? submitted) + rng.int(5, 36_000) * 1000;
    const runSeconds = started === undefined ? 0 : Math.round(((ended ?? DATA_EPOCH) - started) / 1000);

    jobs.push({
      hpcjob_uuid: ids.make('hpcjob'),
      cluster_id: cluster.cluster_id,
      job_id: jobId,
      job_name: rng.pick(JOB_NAMES)(rng.int(1, 999), rng),
      job_status: status,
      queue_name: rng.pick(QUEUES),
      run_user: user,
      cmd_line: rng.pick(COMMANDS),
      core_limit: rng.pick([1, 4, 16, 32, 64, 128]),
      submitted_time: formatWireTime(submitted),
      ...(started === undefined ? {} : { started_time: formatWireTime(started) }),
      modified_time: formatWireTime(ended ?? started ?? submitted),
      exec_cwd: cwd,
      stdout_redirect_path: `${cwd}/job-${jobId}.out`,
      stderr_redirect_path: `${cwd}/job-${jobId}.err`,
      end_time: ended === undefined ? null : formatWireTime(ended),
      run_time: String(runSeconds),
      output_dir: cwd,
      reason: status === 'exited' ? 'NonZeroExitCode' : '',
      pend_reason: status === 'pending' ? rng.pick(PEND_REASONS) : '',
    });
    submitted -= rng.int(1, 45) * 60_000;
  }
  return jobs;
}
