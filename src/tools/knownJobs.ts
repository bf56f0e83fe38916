// Where a job id was last seen, to tell an agent that names a job of another cluster which
// cluster that is. Fed by the tools' own listings; the tree's loaded jobs are asked too.
import { clusterKey } from '../ehpc/batch';
import { Cluster, Job } from '../ehpc/types';
import { ClusterModel } from '../tree/model';
import { clusterLabel } from './format';

/** Enough for the listings of a chat session; the oldest entries go first. */
const MAX_ENTRIES = 10_000;

export class KnownJobs {
  private readonly seen = new Map<string, Pick<Cluster, 'account' | 'zone' | 'clusterId' | 'name'>>();

  constructor(private readonly model: ClusterModel) {}

  remember(cluster: Cluster, jobs: readonly Job[]): void {
    const where = { account: cluster.account, zone: cluster.zone, clusterId: cluster.clusterId, name: cluster.name };
    for (const job of jobs) {
      this.seen.delete(job.hpcjobUuid); // re-inserted as the newest
      this.seen.set(job.hpcjobUuid, where);
    }
    for (const oldest of this.seen.keys()) {
      if (this.seen.size <= MAX_ENTRIES) {
        break;
      }
      this.seen.delete(oldest);
    }
  }

  /** Forgets every job (the signed-in key changed: they may be another account's). */
  clear(): void {
    this.seen.clear();
  }

  /** "cluster "x" (ehpc-…)" where the job was last listed other than in `except`; undefined if nowhere. */
  elsewhere(hpcjobUuid: string, except: Cluster, clusters: readonly Cluster[]): string | undefined {
    const isExcept = (c: Pick<Cluster, 'account' | 'zone' | 'clusterId'>) => clusterKey(c) === clusterKey(except);
    // The account is named when it is not the one asked about.
    const place = (c: Pick<Cluster, 'account' | 'zone' | 'clusterId' | 'name'>) =>
      `cluster ${clusterLabel(c)} in zone ${c.zone}${c.account !== except.account ? ` of account ${JSON.stringify(c.account)}` : ''}`;
    const seen = this.seen.get(hpcjobUuid);
    if (seen && !isExcept(seen)) {
      return place(seen);
    }
    for (const cluster of clusters.filter((c) => !isExcept(c))) {
      const node = this.model.findCluster(cluster);
      const loaded = node && this.model.loadedJobList(node);
      if (loaded?.nodes.some((job) => job.job.hpcjobUuid === hpcjobUuid)) {
        return place(cluster);
      }
    }
    return undefined;
  }
}
