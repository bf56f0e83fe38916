// The chat (language model) tools: built from the services and the manifest's schemas,
// registered with vscode.lm. Their manifest entries are in package.json (languageModelTools).
import * as vscode from 'vscode';
import { cancelAction, deleteAction } from '../batch/actions';
import { Services } from '../services';
import { clusterPowerTool, START_CLUSTER, STOP_CLUSTER } from './clusterPowerTool';
import { ToolContext } from './common';
import { GET_JOB, getJobTool } from './getJob';
import { jobActionTool } from './jobActionTool';
import { KnownJobs } from './knownJobs';
import { LIST_CLUSTERS, listClustersTool } from './listClusters';
import { LIST_JOBS, listJobsTool } from './listJobs';
import type { JobOutputs } from '../output/jobOutputs';
import { READ_JOB_OUTPUT, readJobOutputTool } from './readJobOutput';
import { manifestSchemas } from './schema';
import { SUBMIT_JOB, submitJobTool } from './submitJob';

export const TOOL_NAMES = {
  listClusters: LIST_CLUSTERS,
  listJobs: LIST_JOBS,
  deleteJobs: 'ehpc_deleteJobs',
  cancelJobs: 'ehpc_cancelJobs',
  submitJob: SUBMIT_JOB,
  getJob: GET_JOB,
  readJobOutput: READ_JOB_OUTPUT,
  startCluster: START_CLUSTER,
  stopCluster: STOP_CLUSTER,
} as const;

export type EhpcTools = { readonly [K in keyof typeof TOOL_NAMES]: vscode.LanguageModelTool<unknown> };

/** `outputs`: the job output side, for reading a job's files (made on first use). */
export function createTools(services: Services, manifest: unknown, outputs?: () => Pick<JobOutputs, 'locate'>): EhpcTools {
  const context: ToolContext = { services, schemas: manifestSchemas(manifest), known: new KnownJobs(services.model), outputs };
  // Another key may be another account: what the tools learnt with the old one is forgotten.
  services.credentials.onDidChange(() => context.known.clear());
  return {
    listClusters: listClustersTool(context),
    listJobs: listJobsTool(context),
    deleteJobs: jobActionTool(context, TOOL_NAMES.deleteJobs, deleteAction),
    cancelJobs: jobActionTool(context, TOOL_NAMES.cancelJobs, cancelAction),
    submitJob: submitJobTool(context),
    getJob: getJobTool(context),
    readJobOutput: readJobOutputTool(context),
    startCluster: clusterPowerTool(context, START_CLUSTER, 'start'),
    stopCluster: clusterPowerTool(context, STOP_CLUSTER, 'stop'),
  };
}

export function registerTools(tools: EhpcTools): vscode.Disposable[] {
  return (Object.keys(TOOL_NAMES) as (keyof typeof TOOL_NAMES)[]).map((key) => vscode.lm.registerTool(TOOL_NAMES[key], tools[key]));
}
