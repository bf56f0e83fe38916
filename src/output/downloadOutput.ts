// Download Output…: the whole file of a job, saved where the user picks, with progress and
// cancel, then Open or Reveal. A file already at the picked name is replaced only when the user
// said so; one that appears there during the download is never replaced.
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SshLease } from '../ssh/connections';
import { download, TargetExistsError } from '../ssh/download';
import { SshError } from '../ssh/errors';
import { byteSize } from '../text/sizes';

/**
 * Saves `remotePath` (read over `lease`, which stays the caller's) as a file the user picks,
 * `suggestedName` proposed. Resolves to the saved file, or undefined when the user stopped.
 */
export async function downloadOutput(lease: SshLease, remotePath: string, suggestedName: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri ?? vscode.Uri.file(os.homedir());
  const picked = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, suggestedName),
    saveLabel: vscode.l10n.t('Download'),
    title: vscode.l10n.t('Download Output'),
  });
  if (!picked) {
    return undefined;
  }
  if (picked.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Output can only be saved to a folder of this computer.'));
    return undefined;
  }
  const target = picked.fsPath;
  const name = path.basename(target);
  const existed = await exists(target);
  if (existed && !saveDialogAsksToReplace()) {
    const replace = vscode.l10n.t('Replace');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('“{0}” already exists. Replace it?', name), { modal: true }, replace);
    if (choice !== replace) {
      return undefined;
    }
  }
  let bytes: number;
  try {
    bytes = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading “{0}”', name), cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        return download(lease, remotePath, target, {
          signal: controller.signal,
          replace: existed, // the user agreed to replace it, in the save dialog or above
          onProgress: (done, total) => {
            const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
            if (percent > shown || done === 0) {
              progress.report({ increment: percent - shown, message: vscode.l10n.t('{0}% ({1} of {2})', percent, byteSize(done), byteSize(total)) });
              shown = percent;
            }
          },
        });
      },
    );
  } catch (error) {
    if (error instanceof SshError && error.kind === 'cancelled') {
      return undefined;
    }
    void vscode.window.showErrorMessage(failure(error, name, remotePath));
    return undefined;
  }
  void offerToOpen(picked, name, bytes);
  return picked;
}

async function offerToOpen(file: vscode.Uri, name: string, bytes: number): Promise<void> {
  const open = vscode.l10n.t('Open');
  const reveal = revealLabel();
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Saved “{0}” ({1}).', name, byteSize(bytes)), open, reveal);
  if (choice === open) {
    await vscode.commands.executeCommand('vscode.open', file);
  } else if (choice === reveal) {
    await vscode.commands.executeCommand('revealFileInOS', file);
  }
}

function failure(error: unknown, name: string, remotePath: string): string {
  if (error instanceof TargetExistsError) {
    return vscode.l10n.t('A file named “{0}” appeared while downloading. It was kept, and the download was not saved.', name);
  }
  if (error instanceof SshError && error.kind === 'file' && error.code === 2) {
    return vscode.l10n.t('{0} is not on the login node.', remotePath);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return vscode.l10n.t('Could not download {0}: {1}', remotePath, reason);
}

/**
 * Whether the save dialog itself asked before a file there is picked: the Windows and macOS
 * dialogs and VS Code's own do; a Linux one may not, so we ask there ourselves.
 */
function saveDialogAsksToReplace(): boolean {
  return process.platform !== 'linux' || vscode.workspace.getConfiguration('files').get<boolean>('simpleDialog.enable', false);
}

/** What VS Code calls revealing a file on this system. */
function revealLabel(): string {
  return process.platform === 'darwin' ? vscode.l10n.t('Reveal in Finder')
    : process.platform === 'win32' ? vscode.l10n.t('Reveal in File Explorer')
    : vscode.l10n.t('Open Containing Folder');
}


async function exists(file: string): Promise<boolean> {
  return fsp.lstat(file).then(() => true, () => false);
}
