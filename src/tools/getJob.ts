// ehpc_getJob: one job's detail, every field the server tells, read afresh. Read-only.
import * as vscode from 'vscode';
import { EhpcError } from '../ehpc/errors';
import { parseJob } from '../ehpc/parse';
import { answer, findCluster, refuseMalformed, ToolContext } from './common';
import { clusterLabel } from './format';

export const GET_JOB = 'ehpc_getJob';

interface Input {
  cluster_id: string;
  /** The account whose cluster it is; needed only when two accounts list that id. */
  account?: string;
  hpcjob_uuid: string;
}

export function getJobTool(context: ToolContext): vscode.LanguageModelTool<unknown> {
  const { services } = context;
  return {
    prepareInvocation: ({ input }) => {
      const id = (input as Partial<Input> | undefined)?.hpcjob_uuid;
      return { invocationMessage: vscode.l10n.t('Reading job {0}...', typeof id === 'string' ? id : '?') };
    },
    invoke: ({ input }) =>
      answer(services, GET_JOB, input, async () => {
        const refusal = refuseMalformed(context, GET_JOB, input);
        if (refusal) {
          return refusal;
        }
        const { cluster_id: clusterId, hpcjob_uuid: id, account } = input as Input;
        const found = await findCluster(services, clusterId, account);
        if ('notFound' in found) {
          return `Refused: ${found.notFound}`;
        }
        const { cluster, ehpc } = found;
        const detail = await ehpc.jobDetail(cluster.zone, cluster.clusterId, id).catch((error: unknown) => {
          if (error instanceof EhpcError && error.kind === 'notFound') {
            return undefined;
          }
          throw error;
        });
        // An answer about a job of another cluster is no answer about this one.
        if (!detail || (typeof detail.cluster_id === 'string' && detail.cluster_id !== cluster.clusterId)) {
          return `Refused: cluster ${clusterLabel(cluster)} has no job ${id}. Use ehpc_listJobs for the ids.`;
        }
        context.known.remember(cluster, [parseJob(detail, cluster.zone, cluster.clusterId, cluster.account)]);
        const fields = Object.entries(detail)
          .filter(([, value]) => value !== null && value !== '' && typeof value !== 'object')
          .map(([key, value]) => `${key}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
        return [`Job ${id} of cluster ${clusterLabel(cluster)}, zone ${cluster.zone}, as the server tells it now:`, ...fields].join('\n');
      }),
  };
}
