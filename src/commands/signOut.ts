import * as vscode from 'vscode';
import { Services } from '../services';
import { tellInStatusBar } from '../watch/notifications';
import { accountOf } from './accountTarget';

/**
 * Removes one account's key; the others stay signed in. From an account's row it acts on
 * that row's account. Otherwise (the view's title, the palette) the account is the only one
 * or the one picked, and the user is asked first, the account named: the key is a secret the
 * user has to type again.
 */
export async function signOut(services: Services, target?: unknown): Promise<void> {
  const account = await accountOf(services, target, vscode.l10n.t('Sign Out'));
  if (!account) {
    return;
  }
  const named = services.accounts.several || !account.implicit ? account.name : undefined;
  if (target === undefined) {
    const confirmed = await services.prompts.confirm(
      named ? vscode.l10n.t('Sign out of the EHPC account {0}?', named) : vscode.l10n.t('Sign out of QingCloud EHPC?'),
      vscode.l10n.t('Its key will be removed from this computer. To use the account again, sign in with its key.'),
      vscode.l10n.t('Sign Out'),
    );
    if (!confirmed) {
      return;
    }
  }
  await services.credentials.delete(account);
  services.log.info(`Signed out${named ? ` of ${JSON.stringify(named)}` : ''}.`);
  // The view shows the account signed out, and the question said where the key goes.
  tellInStatusBar(
    services.notifier,
    named
      ? vscode.l10n.t('Signed out of the EHPC account {0}. Its key was removed from this computer.', named)
      : vscode.l10n.t('Signed out of QingCloud EHPC. Your key was removed from this computer.'),
  );
}
