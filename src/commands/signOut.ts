import * as vscode from 'vscode';
import { Services } from '../services';

export async function signOut(services: Services): Promise<void> {
  await services.credentials.delete();
  services.log.info('Signed out.');
  void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of QingCloud EHPC. Your key was removed from this computer.'));
}
