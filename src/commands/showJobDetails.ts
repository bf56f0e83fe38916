import * as vscode from 'vscode';
import { Services } from '../services';
import { isJobNode } from '../tree/nodes';
import { detailJob } from '../ui/jobDetailAddress';

/**
 * "Show Job Details" on a job row: its details, fetched now, in a read-only document of its
 * own (one per job; running it again fetches them again). A row's Enter or click passes `how`
 * (the preview tab, the focus left in the tree). Resolves the editor, for tests.
 */
export async function showJobDetails(services: Services, clicked?: unknown, how?: unknown): Promise<vscode.TextEditor | undefined> {
  if (!isJobNode(clicked)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Right-click a job in the EHPC view to show its details.'));
    return undefined;
  }
  const uri = await services.jobDetails.load(clicked.job);
  // A context menu passes the selection second (an array): no options then.
  const options = typeof how === 'object' && how !== null && !Array.isArray(how) ? (how as vscode.TextDocumentShowOptions) : undefined;
  return vscode.window.showTextDocument(uri, options && { preview: options.preview === true, preserveFocus: options.preserveFocus === true });
}

/**
 * "Refresh" in a detail document's title (`target` is its URI): the job's details fetched
 * again, into the same document. Resolves its URI, for tests.
 */
export async function refreshJobDetails(services: Services, target?: unknown): Promise<vscode.Uri | undefined> {
  const job = target instanceof vscode.Uri ? detailJob(target, services.accounts) : undefined;
  if (!job || !(target instanceof vscode.Uri)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Right-click a job in the EHPC view to show its details.'));
    return undefined;
  }
  const title = vscode.l10n.t('Refreshing the details of job {0}...', job.hpcjobUuid);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => services.jobDetails.load(job, target));
}
