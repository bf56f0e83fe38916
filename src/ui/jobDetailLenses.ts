// The actions over a job's detail document: Copy Path and Open Output / Open Error above its
// output and error files, and which documents' jobs have ended (their title offers Resubmit...).
// Loaded with the first document, not at activation.
import * as vscode from 'vscode';
import { detailJob, JOB_DETAIL_SCHEME, JobDetailPages } from './jobDetailAddress';
import { withoutIcons } from '../text/punctuation';
import type { JobDetailPage } from './jobDetailText';

/** The context key the editor title's Resubmit... reads: the file names of the documents of ended jobs. */
export const ENDED_JOB_DETAILS = 'ehpc.endedJobDetails';

export function registerJobDetailLenses(documents: JobDetailPages): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider({ scheme: JOB_DETAIL_SCHEME }, { provideCodeLenses: (document) => jobDetailLenses(documents, document) });
}

/**
 * Every argument is the document's URI (and which file): the command finds the path and the
 * job from it, so nothing the server sent travels in a command.
 */
function jobDetailLenses(documents: JobDetailPages, document: vscode.TextDocument): vscode.CodeLens[] {
  const page = documents.page(document.uri);
  // Lines of another text would put the lenses in the wrong place: VS Code asks again once
  // the document has the page's text.
  if (!page || page.text !== document.getText()) {
    return [];
  }
  // A URI from before accounts names none; Copy Path needs none.
  const opens = detailJob(document.uri) !== undefined;
  const lenses: vscode.CodeLens[] = [];
  for (const stream of ['output', 'error'] as const) {
    const shown = page.paths[stream];
    if (!shown) {
      continue;
    }
    const range = new vscode.Range(shown.line, 0, shown.line, 0);
    lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Copy Path'), command: 'ehpc.copyJobDetailPath', arguments: [document.uri, stream] }));
    if (opens) {
      const open = stream === 'output' ? { title: vscode.l10n.t('Open Output'), command: 'ehpc.openOutput' } : { title: vscode.l10n.t('Open Error'), command: 'ehpc.openError' };
      lenses.push(new vscode.CodeLens(range, { ...open, arguments: [document.uri] }));
    }
  }
  return lenses;
}

/** Tells the editor title which documents are of ended jobs, by file name (`resourceFilename`). */
export function showEndedJobDetails(pages: ReadonlyMap<string, JobDetailPage>): void {
  const ended = [...pages].filter(([, page]) => page.ended).map(([uri]) => vscode.Uri.parse(uri).path.replace(/^.*\//, ''));
  void vscode.commands.executeCommand('setContext', ENDED_JOB_DETAILS, ended);
}

/**
 * "Copy Path" over a detail document's output or error file: the path exactly as the server
 * sent it. Resolves what was copied, for tests.
 */
export async function copyJobDetailPath(documents: JobDetailPages, uri: unknown, stream: unknown): Promise<string | undefined> {
  const page = uri instanceof vscode.Uri ? documents.page(uri) : undefined;
  const shown = stream === 'output' || stream === 'error' ? page?.paths[stream] : undefined;
  if (!page || !shown) {
    return undefined;
  }
  await vscode.env.clipboard.writeText(shown.path);
  const name = withoutIcons(page.name);
  vscode.window.setStatusBarMessage(stream === 'output' ? vscode.l10n.t('Copied the output path of "{0}"', name) : vscode.l10n.t('Copied the error path of "{0}"', name), 3000);
  return shown.path;
}
