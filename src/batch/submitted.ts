// After a submit, from the command or the chat: the new jobs shown, listed once, watched and revealed.
import { Cluster, Job } from '../ehpc/types';
import { Services } from '../services';
import { userMessage } from '../text/messages';
import { revealJob } from '../tree/reveal';

/**
 * Lists the cluster once, watches the jobs, and reveals and selects the first (`reveal`: the
 * chat's submits leave the focus where it is; `watch`: false for jobs only possibly the one
 * submitted). Where the cluster's rows are loaded, the new rows show and are selected at
 * once, and the list that confirms them follows.
 */
export async function showSubmitted(services: Services, cluster: Cluster, jobs: Job[], { reveal = true, watch = true }: { reveal?: boolean; watch?: boolean } = {}): Promise<Job[]> {
  const shownAlready = services.model.showNew(cluster, jobs);
  if (reveal && shownAlready) {
    await revealJob(services, cluster, jobs[0].hpcjobUuid, { select: true });
  }
  const listed = await services.model.reloadJobs(cluster).catch((error: unknown) => {
    services.log.warn(`Listing ${cluster.clusterId} after the submit failed: ${userMessage(error)}`);
    return [] as Job[];
  });
  const current = jobs.map((job) => listed.find((item) => item.hpcjobUuid === job.hpcjobUuid) ?? job);
  if (watch) {
    services.watch.watch(current);
  }
  if (reveal && !shownAlready) {
    await revealJob(services, cluster, current[0].hpcjobUuid, { select: true });
  }
  return current;
}
