import { Job } from '../ehpc/types';
import { ClusterModel } from '../tree/model';

/**
 * The jobs as the tree lists them: by account, zone, cluster, then job. (VS Code passes the selection
 * in the order it was clicked together.) Reads the lists the tree shows; a job they do not
 * hold goes last, in the order given.
 */
export async function inTreeOrder(model: ClusterModel, jobs: readonly Job[]): Promise<Job[]> {
  const positions = new Map<Job, number[]>();
  for (const job of jobs) {
    positions.set(job, await treePosition(model, job));
  }
  return [...jobs].sort((a, b) => compareTuples(positions.get(a)!, positions.get(b)!));
}

async function treePosition(model: ClusterModel, job: Job): Promise<number[]> {
  const account = model.accounts.findIndex((entry) => entry.name === job.account);
  const zone = model.zonesOf(job.account).indexOf(job.zone);
  if (account < 0 || zone < 0) {
    return [account < 0 ? Infinity : account, Infinity];
  }
  const clusters = await model.clusters(job.account, job.zone).catch(() => []);
  const cluster = clusters.findIndex((node) => node.cluster.clusterId === job.clusterId);
  if (cluster < 0) {
    return [account, zone, Infinity];
  }
  const index = model.loadedJobList(clusters[cluster])?.nodes.findIndex((node) => node.job.hpcjobUuid === job.hpcjobUuid) ?? -1;
  return [account, zone, cluster, index < 0 ? Infinity : index];
}

function compareTuples(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return a[i] < b[i] ? -1 : 1;
    }
  }
  return 0;
}
