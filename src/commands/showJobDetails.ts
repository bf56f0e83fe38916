import * as vscode from 'vscode';
import { Services } from '../services';
import { isJobNode } from '../tree/nodes';

/**
 * "Show Job Details" on a job row: its details, fetched now, in a read-only document of its
 * own (one per job; running it again fetches them again). Resolves the editor, for tests.
 */
export async function showJobDetails(services: Services, clicked?: unknown): Promise<vscode.TextEditor | undefined> {
  if (!isJobNode(clicked)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Right-click a job in the EHPC view to show its details.'));
    return undefined;
  }
  const uri = await services.jobDetails.load(clicked.job);
  return vscode.window.showTextDocument(uri);
}
