// The script a submit sends: the file clicked or the active editor's, read as the user sees it, checked.
import * as path from 'path';
import * as vscode from 'vscode';
import { readScriptFile } from '../batch/scriptFile';
import { checkScript, isShellScript, ScriptProblem } from '../submit/script';

/** A script to upload and run, or nothing: the form asks for a command line. */
export interface ScriptSource {
  readonly uri: vscode.Uri;
  readonly fileName: string;
  readonly text: string;
  /** The script as it is now, unsaved edits included; null: it can no longer be sent (the user was told why). */
  reread(): Promise<ScriptSource | null>;
}

/**
 * The script to submit: the file clicked (its unsaved edits included), else the active
 * editor's if it is a shell script; undefined: no script (ask for a command line); null: a
 * file that cannot be submitted (the user was told why).
 */
export async function scriptSource(resource: unknown): Promise<ScriptSource | undefined | null> {
  const uri = resource instanceof vscode.Uri ? resource : undefined;
  const editor = vscode.window.activeTextEditor;
  const script = uri ?? (editor && isShellScript(editor.document.fileName, editor.document.lineAt(0).text) ? editor.document.uri : undefined);
  return script ? readScript(script) : undefined;
}

/** The script at `uri` as the user sees it now, checked; null when it cannot be sent (the user was told why). */
export async function readScript(uri: vscode.Uri): Promise<ScriptSource | null> {
  // What the user sees, unsaved edits included; a file not open is read as it is on disk.
  const document = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
  const fileName = document?.fileName ?? uri.path;
  const checked = document ? checkScript(new TextEncoder().encode(document.getText())) : await readScriptFile(uri);
  if (!checked.ok) {
    void vscode.window.showErrorMessage(scriptProblem(path.basename(fileName), checked.reason));
    return null;
  }
  return { uri, fileName, text: checked.text, reread: () => readScript(uri) };
}

function scriptProblem(fileName: string, reason: ScriptProblem): string {
  switch (reason) {
    case 'empty':
      return vscode.l10n.t('{0} is empty: there is nothing to submit.', fileName);
    case 'tooLarge':
      return vscode.l10n.t('{0} is larger than 512 KB, the most a job script can be uploaded with. Put the data in a separate file on the cluster.', fileName);
    default:
      return vscode.l10n.t('{0} is not a text file, so it cannot be submitted as a job script.', fileName);
  }
}
