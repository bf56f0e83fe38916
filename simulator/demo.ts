// What `npm start` shows a newcomer: the first cluster of the first zone holds a few hundred
// jobs (so Load More... shows), and a few of its jobs run for an hour (so there is time to try
// Cancel and Watch on them). The tests' simulators keep their own, smaller data.
import type { JobsPerCluster } from './data';
import type { Simulator } from './server';

/** Jobs of the big demo cluster: three pages of the tree's 100. */
export const DEMO_BIG_CLUSTER_JOBS = 300;
/** Every other demo cluster keeps the simulator's default. */
const DEMO_OTHER_CLUSTER_JOBS = 12;

export const DEMO_JOBS_PER_CLUSTER: JobsPerCluster = (clusterIndex) => (clusterIndex === 0 ? DEMO_BIG_CLUSTER_JOBS : DEMO_OTHER_CLUSTER_JOBS);

/** How long the long demo jobs run from when the demo starts. */
export const DEMO_LONG_RUN_MS = 60 * 60_000;

const LONG_JOB_NAMES = ['md-production-1h', 'wrf_d01_spinup', 'train-resnet50-long'];

/** Adds the long-running jobs to the big cluster (the first of the first zone); returns them. */
export function addLongDemoJobs(simulator: Simulator): ReturnType<Simulator['addRunningJob']>[] {
  const zone = simulator.zones[0];
  const [cluster] = simulator.clusters(zone);
  return LONG_JOB_NAMES.map((name) => simulator.addRunningJob(zone, cluster.cluster_id, name, DEMO_LONG_RUN_MS));
}
