// A job script read from the workspace for a submit, from the command or the chat.
import { constants, promises as fs } from 'fs';
import * as vscode from 'vscode';
import { checkScript, MAX_SCRIPT_BYTES, ScriptCheck } from '../submit/script';

/**
 * A script file, checked. Only a regular file is read, and never more than one byte past
 * the limit: a link to /dev/zero or a FIFO reports a size of 0 and would be read without end.
 */
export async function readScriptFile(uri: vscode.Uri): Promise<ScriptCheck> {
  if (uri.scheme === 'file') {
    return readLocal(uri.fsPath);
  }
  // Another file system (remote, virtual): what its provider says of the file is all there is.
  const { size, type } = await vscode.workspace.fs.stat(uri);
  if ((type & vscode.FileType.File) === 0) {
    return { ok: false, reason: 'notAFile' };
  }
  if (size > MAX_SCRIPT_BYTES) {
    return { ok: false, reason: 'tooLarge' };
  }
  return checkScript(await vscode.workspace.fs.readFile(uri));
}

async function readLocal(fsPath: string): Promise<ScriptCheck> {
  // Non-blocking: opening a FIFO with no writer would otherwise wait for one.
  const file = await fs.open(fsPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = await file.stat();
    if (!stat.isFile()) {
      return { ok: false, reason: 'notAFile' };
    }
    if (stat.size > MAX_SCRIPT_BYTES) {
      return { ok: false, reason: 'tooLarge' };
    }
    // Read to one byte past the limit at most: a file grown since the look is still refused.
    const buffer = new Uint8Array(MAX_SCRIPT_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, length);
      length += bytesRead;
      if (bytesRead === 0 || length === buffer.length) {
        break;
      }
    }
    return checkScript(buffer.subarray(0, length));
  } finally {
    await file.close();
  }
}
