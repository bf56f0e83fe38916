import * as vscode from 'vscode';
import { Services } from '../services';
import { jobsFromTree } from '../tree/nodes';
import { inTreeOrder } from './selection';

/**
 * "Copy Job ID": the hpcjob_uuid of the clicked job, or of each selected job, one a line.
 * Resolves what was copied, for tests.
 */
export async function copyJobIds(services: Services, clicked?: unknown, selection?: unknown): Promise<string | undefined> {
  const jobs = await inTreeOrder(services.model, jobsFromTree(clicked, selection));
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select one or more jobs to copy their IDs.'));
    return undefined;
  }
  const text = jobs.map((job) => job.hpcjobUuid).join('\n');
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(
    jobs.length === 1 ? vscode.l10n.t('Copied job ID {0}', jobs[0].hpcjobUuid) : vscode.l10n.t('Copied {0} job IDs', jobs.length),
    3000,
  );
  return text;
}
