// A job script read from the workspace for a submit, from the command or the chat.
import * as vscode from 'vscode';
import { checkScript, MAX_SCRIPT_BYTES, ScriptCheck } from '../submit/script';

/** A script file on disk, checked; its size is looked at before it is read, so a huge file is never read whole. */
export async function readScriptFile(uri: vscode.Uri): Promise<ScriptCheck> {
  const { size } = await vscode.workspace.fs.stat(uri);
  if (size > MAX_SCRIPT_BYTES) {
    return { ok: false, reason: 'tooLarge' };
  }
  return checkScript(await vscode.workspace.fs.readFile(uri));
}
