import * as vscode from 'vscode';
import { readSettings } from '../config';
import { Services } from '../services';

/** Asks for the key pair, checks it with one real call, and only then stores it. */
export async function signIn(services: Services): Promise<boolean> {
  const accessKeyId = (await services.prompts.accessKeyId())?.trim();
  if (!accessKeyId) {
    return false;
  }
  const secretAccessKey = (await services.prompts.secretAccessKey())?.trim();
  if (!secretAccessKey) {
    return false;
  }
  const credentials = { accessKeyId, secretAccessKey };
  const zone = readSettings().zones[0];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the key with QingCloud EHPC…') },
    () => services.connection.clientFor(credentials).listClusters(zone),
  );
  await services.credentials.store(credentials);
  services.log.info('Signed in.');
  void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to QingCloud EHPC.'));
  return true;
}
