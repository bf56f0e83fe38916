import * as vscode from 'vscode';
import { Account } from '../accounts/accounts';
import { EhpcError } from '../ehpc/errors';
import { Services } from '../services';
import { accountOf } from './accountTarget';

/**
 * Asks for the account's key pair, checks it with one real call, and only then stores it.
 * The account is the row's (Sign In Again), the only one, or the one the user picks.
 */
export async function signIn(services: Services, target?: unknown): Promise<boolean> {
  const account = await accountOf(services, target, vscode.l10n.t('Sign In'));
  return account ? signInTo(services, account) : false;
}

/**
 * For a command that needs a key (Submit Job...): without any, Sign In first, then the
 * command goes on. False when the user gave up signing in.
 */
export async function signedInFirst(services: Services): Promise<boolean> {
  const signedIn = await services.accounts.requireSignedIn().then(() => true, () => false);
  return signedIn || signIn(services);
}

export async function signInTo(services: Services, account: Account): Promise<boolean> {
  const named = services.accounts.several || !account.implicit ? account.name : undefined;
  const accessKeyId = (await services.prompts.accessKeyId(named))?.trim();
  if (!accessKeyId) {
    return false;
  }
  const secretAccessKey = (await services.prompts.secretAccessKey(named))?.trim();
  if (!secretAccessKey) {
    return false;
  }
  const credentials = { accessKeyId, secretAccessKey };
  const connection = services.accounts.connection(account.name);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the key with QingCloud EHPC…') },
    () => connection.clientFor(credentials).listClusters(account.zones[0]),
  );
  // Removed, or moved to another endpoint, while the key was checked: not kept for it.
  const now = services.accounts.find(account.name);
  if (now?.endpoint !== account.endpoint || now.secretKey !== account.secretKey) {
    throw new EhpcError('config', 'The account {0} was removed or changed while its key was checked, so the key was not kept.', [account.name]);
  }
  await services.credentials.store(account, credentials);
  services.log.info(`Signed in${named ? ` to ${JSON.stringify(named)}` : ''}.`);
  void vscode.window.showInformationMessage(named ? vscode.l10n.t('Signed in to the EHPC account {0}.', named) : vscode.l10n.t('Signed in to QingCloud EHPC.'));
  return true;
}
