// ehpc_listJobs: one page of a cluster's jobs, filtered through the API as the tree's filter is.
import * as vscode from 'vscode';
import { JobFilter } from '../ehpc/client';
import { answer, findCluster, refuseMalformed, ToolContext } from './common';
import { clusterLabel, jobLine } from './format';

export const LIST_JOBS = 'ehpc_listJobs';

interface Input {
  cluster_id: string;
  /** The account whose cluster it is; needed only when two accounts list that id. */
  account?: string;
  job_status?: string;
  search_word?: string;
  limit?: number;
  offset?: number;
}

const DEFAULT_LIMIT = 50;

export function listJobsTool(context: ToolContext): vscode.LanguageModelTool<unknown> {
  const { services } = context;
  return {
    prepareInvocation: ({ input }) => {
      const clusterId = (input as Partial<Input> | undefined)?.cluster_id;
      return { invocationMessage: vscode.l10n.t('Listing the jobs of cluster {0}...', typeof clusterId === 'string' ? clusterId : '?') };
    },
    invoke: ({ input }) =>
      answer(services, LIST_JOBS, input, async () => {
        const refusal = refuseMalformed(context, LIST_JOBS, input);
        if (refusal) {
          return refusal;
        }
        const { cluster_id: clusterId, job_status: status, search_word: searchWord, limit = DEFAULT_LIMIT, offset = 0, account } = input as Input;
        const found = await findCluster(services, clusterId, account);
        if ('notFound' in found) {
          return `Refused: ${found.notFound}`;
        }
        const { cluster, ehpc } = found;
        const filter: JobFilter = { status, searchWord };
        // One API page holds up to 100 jobs, as many as `limit` may ask for.
        const page = await ehpc.listJobs(cluster.zone, cluster.clusterId, offset, filter);
        const jobs = page.items.slice(0, limit);
        context.known.remember(cluster, jobs);
        const filterText = [status && `job_status=${status}`, searchWord && `search_word=${JSON.stringify(searchWord)}`].filter(Boolean).join(', ');
        const head =
          `Cluster ${clusterLabel(cluster)}, zone ${cluster.zone}: ${page.totalCount} job(s)` +
          (filterText ? ` matching ${filterText}` : '') +
          (jobs.length > 0 ? `; jobs ${offset + 1}-${offset + jobs.length}, newest first:` : offset > 0 ? `; none from offset ${offset}.` : '.');
        const more = offset + jobs.length < page.totalCount && jobs.length > 0 ? [`More: call again with offset=${offset + jobs.length}.`] : [];
        return [head, ...jobs.map(jobLine), ...more].join('\n');
      }),
  };
}
