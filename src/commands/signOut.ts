import * as vscode from 'vscode';
import { Services } from '../services';
import { accountOf } from './accountTarget';

/** Removes one account's key (the row's, the only one, or the one picked); the others stay signed in. */
export async function signOut(services: Services, target?: unknown): Promise<void> {
  const account = await accountOf(services, target, vscode.l10n.t('Sign Out'));
  if (!account) {
    return;
  }
  await services.credentials.delete(account);
  const named = services.accounts.several ? account.name : undefined;
  services.log.info(`Signed out${named ? ` of ${JSON.stringify(named)}` : ''}.`);
  void vscode.window.showInformationMessage(
    named
      ? vscode.l10n.t('Signed out of the EHPC account {0}. Its key was removed from this computer.', named)
      : vscode.l10n.t('Signed out of QingCloud EHPC. Your key was removed from this computer.'),
  );
}
