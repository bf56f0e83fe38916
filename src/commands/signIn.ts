import * as vscode from 'vscode';
import { Account } from '../accounts/accounts';
import { EhpcError } from '../ehpc/errors';
import { endpointHost } from '../ehpc/endpoint';
import { Credentials } from '../ehpc/signing';
import { Services } from '../services';
import { KeyPlace } from '../ui/keySteps';
import { BACK } from '../ui/multiStep';
import { Prompts } from '../ui/prompts';
import { tellInStatusBar } from '../watch/notifications';
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
  let draft: KeyDraft | undefined;
  for (;;) {
    const credentials = await askKeyPair(services.prompts, named, draft);
    if (credentials === undefined || credentials === BACK) {
      return false;
    }
    const connection = services.accounts.connection(account.name);
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the key with QingCloud EHPC…') },
        () => connection.clientFor(credentials).listClusters(account.zones[0]),
      );
    } catch (error) {
      if (!(error instanceof EhpcError && error.kind === 'auth')) {
        throw error;
      }
      // The secret is asked again at once, saying why; the id is kept (Back changes it).
      draft = { accessKeyId: credentials.accessKeyId, problem: rejectedKey(account.endpoint), atSecret: true };
      continue;
    }
    // Removed, or moved to another endpoint, while the key was checked: not kept for it.
    const now = services.accounts.find(account.name);
    if (now?.endpoint !== account.endpoint || now.secretKey !== account.secretKey) {
      throw new EhpcError('config', 'The account {0} was removed or changed while its key was checked, so the key was not kept.', [account.name]);
    }
    await services.credentials.store(account, credentials);
    services.log.info(`Signed in${named ? ` to ${JSON.stringify(named)}` : ''}.`);
    // The view lists the account's clusters now: a passing word is enough.
    tellInStatusBar(services.notifier, named ? vscode.l10n.t('Signed in to the EHPC account {0}.', named) : vscode.l10n.t('Signed in to QingCloud EHPC.'));
    return true;
  }
}

/** The key pair typed before, when the flow asks again: the id to offer, why it asks, and whether it starts at the secret. */
export interface KeyDraft {
  accessKeyId: string;
  problem?: string;
  atSecret?: boolean;
}

/** The words for a key pair the endpoint refused. */
export function rejectedKey(endpoint: string): string {
  return vscode.l10n.t('{0} rejected this key pair. Check the secret, or go Back to change the Access Key ID.', endpointHost(endpoint));
}

/**
 * The id, then the secret, with Back from the secret to the id. BACK from the id when it is
 * not its form's first step (`places`); undefined when the user closes a step. `typedId` hears
 * each id typed, so that a form coming back here offers it again.
 */
export async function askKeyPair(
  prompts: Prompts,
  account: string | undefined,
  draft?: KeyDraft,
  places?: readonly [KeyPlace, KeyPlace],
  typedId?: (accessKeyId: string) => void,
): Promise<Credentials | typeof BACK | undefined> {
  let accessKeyId = draft?.accessKeyId;
  let atSecret = draft?.atSecret === true && accessKeyId !== undefined;
  for (;;) {
    if (!atSecret) {
      const typed = await prompts.accessKeyId(account, accessKeyId === undefined ? undefined : { accessKeyId, problem: draft?.problem }, places?.[0]);
      if (typed === BACK || typed === undefined || !typed.trim()) {
        return typed === BACK ? BACK : undefined;
      }
      accessKeyId = typed.trim();
      typedId?.(accessKeyId);
    }
    // Shown once: after Back and forth the secret step opens plain.
    const problem = atSecret ? draft?.problem : undefined;
    const secret = await prompts.secretAccessKey(account, problem, places?.[1]);
    if (secret === BACK) {
      atSecret = false;
      continue;
    }
    return secret?.trim() && accessKeyId ? { accessKeyId, secretAccessKey: secret.trim() } : undefined;
  }
}
