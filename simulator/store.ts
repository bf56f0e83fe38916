// The simulator's mutable state: clusters and their current jobs, and the operations on them.
import { formatWireTime, type Dataset, type SimCluster, type SimClusterItem, type SimJob } from './data';

/** What a cluster has used by now (see clusterPower.ts). */
export type UsageOf = (cluster: SimCluster) => { cpu_hours: number; mem_hours: number };

export interface ClusterFilter {
  status?: string;
  searchWord?: string;
  clusterId?: string;
  clusterType?: string;
}

export interface JobFilter {
  status?: string;
  searchWord?: string;
  queueName?: string;
  runUser?: string;
}

export class Store {
  /** The scheduler's next job id per cluster: ids only grow, even when the newest job is deleted. */
  private readonly nextJobIds = new Map<SimCluster, number>();

  constructor(private readonly dataset: Dataset) {}

  /** Every cluster, zone by zone. */
  allClusters(): readonly SimCluster[] {
    return this.dataset.clusters;
  }

  hasZone(zone: string): boolean {
    return this.dataset.zones.includes(zone);
  }

  cluster(zone: string, clusterId: string): SimCluster | undefined {
    return this.dataset.clusters.find((c) => c.zone === zone && c.info.cluster_id === clusterId);
  }

  /** Cluster items as listed, with job counts computed from the current jobs. */
  clusterItems(zone: string, filter: ClusterFilter, usage: UsageOf): SimClusterItem[] {
    const word = filter.searchWord?.toLowerCase();
    return this.dataset.clusters
      .filter((c) => c.zone === zone)
      .filter((c) => filter.status === undefined || c.info.cluster_status === filter.status)
      .filter((c) => filter.clusterId === undefined || c.info.cluster_id === filter.clusterId)
      .filter((c) => filter.clusterType === undefined || c.info.cluster_type === filter.clusterType)
      .filter((c) => word === undefined || c.info.cluster_name.toLowerCase().includes(word))
      .map((c) => ({
        ...c.info,
        running_job_count: countStatus(c, 'running'),
        pending_job_count: countStatus(c, 'pending'),
        finished_job_count: countStatus(c, 'finished'),
        stopped_job_count: countStatus(c, 'stopped'),
        ...usage(c),
      }));
  }

  /** The cluster's jobs matching `filter`, newest first (page them, then map `listItem`). */
  jobs(cluster: SimCluster, filter: JobFilter = {}): SimJob[] {
    const word = filter.searchWord?.toLowerCase();
    return cluster.jobs
      .filter((j) => filter.status === undefined || j.job_status === filter.status)
      .filter((j) => filter.queueName === undefined || j.queue_name === filter.queueName)
      .filter((j) => filter.runUser === undefined || j.run_user === filter.runUser)
      .filter((j) => word === undefined || j.job_name.toLowerCase().includes(word));
  }

  /** Takes the scheduler's next integer job id of the cluster. */
  takeJobId(cluster: SimCluster): number {
    const next = this.nextJobIds.get(cluster) ?? cluster.jobs.reduce((max, j) => Math.max(max, j.job_id), 0) + 1;
    this.nextJobIds.set(cluster, next + 1);
    return next;
  }

  /** Whether any cluster has a job with this id. */
  hasJobId(hpcjobUuid: string): boolean {
    return this.dataset.clusters.some((c) => c.jobs.some((j) => j.hpcjob_uuid === hpcjobUuid));
  }

  job(cluster: SimCluster, hpcjobUuid: string): SimJob | undefined {
    return cluster.jobs.find((j) => j.hpcjob_uuid === hpcjobUuid);
  }

  /** Removes the named jobs; ids not in the cluster are ignored. Returns how many went. */
  deleteJobs(cluster: SimCluster, jobIds: readonly string[]): number {
    const doomed = new Set(jobIds);
    const before = cluster.jobs.length;
    cluster.jobs = cluster.jobs.filter((j) => !doomed.has(j.hpcjob_uuid));
    return before - cluster.jobs.length;
  }

  /**
   * Cancels one job if it is still pending or running: what the scheduler does when a stop
   * operation completes. Says how it went: `missing` (deleted meanwhile), `ended` (nothing to stop).
   */
  stopJob(cluster: SimCluster, hpcjobUuid: string, now: Date): 'stopped' | 'ended' | 'missing' {
    const job = this.job(cluster, hpcjobUuid);
    if (!job) {
      return 'missing';
    }
    if (job.job_status !== 'pending' && job.job_status !== 'running') {
      return 'ended';
    }
    const time = formatWireTime(now.getTime());
    job.job_status = 'cancelled';
    job.modified_time = time;
    job.end_time = time;
    job.pend_reason = '';
    if (job.started_time !== undefined) {
      job.run_time = String(Math.max(0, Math.floor((now.getTime() - Date.parse(`${job.started_time}Z`)) / 1000)));
    }
    return 'stopped';
  }
}

function countStatus(cluster: SimCluster, status: string): number {
  return cluster.jobs.reduce((n, j) => (j.job_status === status ? n + 1 : n), 0);
}

/** A job as the list shows it: the detail-only fields left out. */
export type SimJobItem = Omit<SimJob, 'end_time' | 'run_time' | 'output_dir' | 'reason' | 'pend_reason'>;

export function listItem(job: SimJob): SimJobItem {
  const { end_time, run_time, output_dir, reason, pend_reason, ...item } = job;
  return item;
}
