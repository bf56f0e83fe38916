// Which watched jobs a tick looks up: the clusters looked up longest ago first (so that each
// gets its turn when the budget does not reach them all), and within a cluster the jobs
// answered for longest ago first (so that a cluster's detail look-ups spread over ticks).
import { clusterKey } from '../ehpc/batch';
import { WATCH_BUDGET_PER_HOUR } from './budget';
import { isActive, WatchedJob } from './types';

/** A tick looks up at most this many clusters (a quarter of the hourly budget); more take turns. */
export const MAX_CLUSTERS_PER_TICK = WATCH_BUDGET_PER_HOUR / 4;

export class LookupPlan {
  private tickCount = 0;
  /** Per cluster (zone/cluster_id), the tick that last had an answer for it. */
  private readonly clusterSeen = new Map<string, number>();
  /** Per job, the tick that last had an answer for it. */
  private readonly jobSeen = new Map<string, number>();

  /** The jobs to look up this tick, per cluster, in the order they should go out. */
  next(watched: Iterable<WatchedJob>): WatchedJob[][] {
    this.tickCount++;
    const byCluster = activeByCluster(watched);
    this.forget(byCluster);
    const seen = (map: Map<string, number>, key: string) => map.get(key) ?? 0;
    return [...byCluster.entries()]
      .sort(([a], [b]) => seen(this.clusterSeen, a) - seen(this.clusterSeen, b))
      .slice(0, MAX_CLUSTERS_PER_TICK)
      .map(([, jobs]) => [...jobs].sort((a, b) => seen(this.jobSeen, a.hpcjobUuid) - seen(this.jobSeen, b.hpcjobUuid)));
  }

  /** The look-up of a cluster answered for these jobs (perhaps not all it was asked for). */
  answered(cluster: string, hpcjobUuids: Iterable<string>): void {
    let any = false;
    for (const id of hpcjobUuids) {
      this.jobSeen.set(id, this.tickCount);
      any = true;
    }
    if (any) {
      this.clusterSeen.set(cluster, this.tickCount);
    }
  }

  /** Forgets clusters and jobs no longer followed. */
  private forget(byCluster: Map<string, WatchedJob[]>): void {
    const ids = new Set([...byCluster.values()].flat().map((job) => job.hpcjobUuid));
    [...this.clusterSeen.keys()].filter((key) => !byCluster.has(key)).forEach((key) => this.clusterSeen.delete(key));
    [...this.jobSeen.keys()].filter((id) => !ids.has(id)).forEach((id) => this.jobSeen.delete(id));
  }
}

/** The pending and running jobs, per cluster. */
export function activeByCluster(watched: Iterable<WatchedJob>): Map<string, WatchedJob[]> {
  const byCluster = new Map<string, WatchedJob[]>();
  for (const job of watched) {
    if (isActive(job.status)) {
      const key = clusterKey(job);
      byCluster.set(key, [...(byCluster.get(key) ?? []), job]);
    }
  }
  return byCluster;
}
