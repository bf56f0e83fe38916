import * as vscode from 'vscode';
import { EhpcError } from '../ehpc/errors';
import { userMessage } from '../text/messages';
import { sentences, unlinked } from '../text/punctuation';

/**
 * Wraps a command so that every failure reaches the user once, as a notification with the
 * action that helps, and the log. A command that returns normally after a cancel stays silent.
 */
export function registerCommand(
  id: string,
  log: vscode.LogOutputChannel,
  handler: (...args: unknown[]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      log.error(`${id}: ${error instanceof Error ? error.message : String(error)}`);
      void showError(error, () => vscode.commands.executeCommand(id, ...args));
      return undefined;
    }
  });
}

/**
 * The error's sentence (after `lead`, what did or did not happen), with the one action that
 * helps: sign in, open settings, or retry.
 */
export async function showError(error: unknown, retry: () => Thenable<unknown>, lead?: string): Promise<void> {
  // The reason may carry the server's words: never a link in the notification.
  const message = unlinked(lead === undefined ? userMessage(error) : sentences(lead, userMessage(error)));
  const kind = error instanceof EhpcError ? error.kind : undefined;
  const signIn = vscode.l10n.t('Sign In');
  const openSettings = vscode.l10n.t('Open Settings');
  const again = vscode.l10n.t('Retry');
  const action =
    kind === 'auth' || kind === 'signedOut' ? signIn
    : kind === 'config' || kind === 'tls' ? openSettings
    : error instanceof EhpcError && error.transient ? again
    : undefined;
  const choice = await vscode.window.showErrorMessage(message, ...(action ? [action] : []));
  if (choice === signIn) {
    await vscode.commands.executeCommand('ehpc.signIn');
  } else if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'ehpc.endpoint');
  } else if (choice === again) {
    await retry();
  }
}
