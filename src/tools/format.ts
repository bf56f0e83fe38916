// Lines of the tools' results. Results are read by the language model, not shown as UI, so
// they are English (not vscode.l10n.t) and compact: one `key=value` line per cluster or job,
// names as JSON strings so that spaces, quotes and non-ASCII stay unambiguous.
import { JobRef } from '../ehpc/batch';
import { Cluster, Job } from '../ehpc/types';

export function clusterLabel(cluster: Pick<Cluster, 'name' | 'clusterId'>): string {
  return `${JSON.stringify(cluster.name)} (${cluster.clusterId})`;
}

export function clusterLine(cluster: Cluster): string {
  const counts = [
    cluster.runningJobCount === undefined ? '' : ` running_jobs=${cluster.runningJobCount}`,
    cluster.pendingJobCount === undefined ? '' : ` pending_jobs=${cluster.pendingJobCount}`,
  ].join('');
  return `cluster_id=${cluster.clusterId} name=${JSON.stringify(cluster.name)} zone=${cluster.zone} status=${cluster.status}${counts}`;
}

export function jobLine(job: Job): string {
  return (
    `hpcjob_uuid=${job.hpcjobUuid} name=${JSON.stringify(job.name)} status=${job.status}` +
    (job.queueName ? ` queue=${job.queueName}` : '') +
    (job.submittedTime ? ` submitted=${job.submittedTime}` : '')
  );
}

/** `hpcjob-… "name"`, comma-separated: enough for the model to tell which jobs. */
export function jobList(jobs: readonly Pick<JobRef, 'hpcjobUuid' | 'name'>[]): string {
  return jobs.map((job) => `${job.hpcjobUuid} ${JSON.stringify(job.name)}`).join(', ');
}

/** The error's English sentence (EhpcError messages are English templates filled in). */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
