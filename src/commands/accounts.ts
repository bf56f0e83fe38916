// Add Account, Rename Account, Remove Account. Where things live: `ehpc.accounts` in the
// user's settings holds name, endpoint and zones; each key stays in SecretStorage under the
// account's name. The first Add turns the single-account settings into the first entry and
// moves its key along, so an upgrading user stays signed in.
import * as vscode from 'vscode';
import { Account, accountName, nameProblem, secretKeyFor, toSettings } from '../accounts/accounts';
import { Credentials } from '../ehpc/signing';
import { ACCOUNT_STEPS, AccountDraft } from '../ui/accountForm';
import { BACK } from '../ui/multiStep';
import { userMessage } from '../text/messages';
import { listOf, withAside } from '../text/punctuation';
import { EhpcError } from '../ehpc/errors';
import { endpointHost, endpointIdentity, parseEndpoint } from '../ehpc/endpoint';
import { Services } from '../services';
import { nameMessage } from '../ui/accountForm';
import { tellInStatusBar } from '../watch/notifications';
import { accountOf } from './accountTarget';
import { askKeyPair, KeyDraft, rejectedKey } from './signIn';

/**
 * Add Account: one form of five steps (name, endpoint, zones, then the key pair), Back
 * throughout; the key is checked by listing every zone before anything is kept. A rejected
 * key asks for the secret again, saying so; a zone the endpoint does not know goes back to
 * the zones step, saying which; any other failure offers to retry with everything typed so far.
 * A key belongs to the endpoint it was typed for: when the form comes back with another
 * endpoint, the key is asked again (the id offered back, never the secret).
 */
export async function addAccount(services: Services): Promise<boolean> {
  const form = async (draft?: AccountDraft) => {
    const answered = await services.prompts.accountForm(services.accounts.all, draft);
    return answered && { ...answered, name: accountName(answered.name) };
  };
  const title = vscode.l10n.t('Add EHPC Account');
  const places = [
    { title, step: 4, totalSteps: ACCOUNT_STEPS },
    { title, step: 5, totalSteps: ACCOUNT_STEPS },
  ] as const;
  let typed: KeyDraft | undefined;
  let credentials: Credentials | undefined;
  const formAgain = async (draft: AccountDraft) => {
    const answered = await form(draft);
    if (answered && endpointIdentity(answered.endpoint) !== endpointIdentity(draft.setting.endpoint)) {
      const accessKeyId = credentials?.accessKeyId ?? typed?.accessKeyId;
      credentials = undefined;
      typed = accessKeyId === undefined ? undefined : { accessKeyId };
    }
    return answered;
  };
  let setting = await form();
  for (;;) {
    if (!setting) {
      return false;
    }
    parseEndpoint(setting.endpoint); // the form checked it; a stand-in answering for it may not have
    const account: Account = { ...setting, secretKey: secretKeyFor(setting.name), implicit: false };
    if (!credentials) {
      const asked = await askKeyPair(services.prompts, account.name, typed, places, (accessKeyId) => (typed = { accessKeyId }));
      if (asked === BACK) {
        // Back from the key to the zones, the id kept for when the form comes back here.
        setting = await formAgain({ setting, atZones: true });
        continue;
      }
      if (!asked) {
        return false;
      }
      credentials = asked;
      typed = { accessKeyId: asked.accessKeyId };
    }
    const problem = await checkKey(services, account, credentials);
    if (!problem) {
      break;
    }
    if (problem.kind === 'key') {
      // Asked again at once at the secret, the id kept and the form's answers too.
      typed = { accessKeyId: credentials.accessKeyId, problem: rejectedKey(setting.endpoint), atSecret: true };
      credentials = undefined;
    } else if (problem.kind === 'zones') {
      // Back to the zones step, the key kept while the endpoint stays.
      setting = await formAgain({ setting, unknownZones: problem.zones });
    } else {
      const retry = vscode.l10n.t('Retry Add Account...');
      const choice = await vscode.window.showErrorMessage(withAside(vscode.l10n.t('Could not add the account {0}.', setting.name), userMessage(problem.error)), retry);
      if (choice !== retry) {
        return false;
      }
      typed = { accessKeyId: credentials.accessKeyId };
      credentials = undefined;
      setting = await formAgain({ setting });
    }
  }
  const newAccount: Account = { ...setting, secretKey: secretKeyFor(setting.name), implicit: false };
  // Asked for again: another window may have added an account of that name meanwhile.
  if (nameProblem(setting.name, services.accounts.all)) {
    throw new EhpcError('config', 'An account named {0} was added meanwhile. Add this one under another name.', [setting.name]);
  }
  // While the single-account settings stand for the one account (the implicit one), the first
  // Add writes it as the first entry and moves its key under its name; without a key (QingCloud's
  // default account, never signed in to) it is left out.
  const implicit = services.accounts.all.find((account) => account.implicit);
  const implicitKey = implicit ? await services.credentials.get(implicit) : undefined;
  const kept = services.accounts.all.filter((account) => !account.implicit || implicitKey);
  await services.credentials.store(newAccount, credentials);
  if (implicit && implicitKey) {
    await services.credentials.store({ secretKey: secretKeyFor(implicit.name), endpoint: implicit.endpoint }, implicitKey);
  }
  try {
    await services.accounts.save([...toSettings(kept), setting]);
  } catch (error) {
    await services.credentials.delete(newAccount).catch(() => undefined);
    throw error;
  }
  if (implicit && implicitKey) {
    await services.credentials.delete(implicit); // the old entry, now that the settings name the account
  }
  services.log.info(`Added the account ${JSON.stringify(setting.name)} (${new URL(setting.endpoint).host}).`);
  // Its row in the view says so: a passing word is enough.
  tellInStatusBar(services.notifier, vscode.l10n.t('Added the EHPC account {0}.', setting.name));
  return true;
}

export async function renameAccount(services: Services, target?: unknown): Promise<boolean> {
  const account = await accountOf(services, target, vscode.l10n.t('Rename Account'));
  if (!account) {
    return false;
  }
  const others = services.accounts.all.filter((other) => other.name !== account.name);
  const answer = await services.prompts.accountName(account.name, (name) => nameMessage(nameProblem(name, others)));
  const typed = answer === undefined ? undefined : accountName(answer);
  if (!typed || typed === account.name) {
    return false;
  }
  if (nameProblem(typed, others) || !services.accounts.find(account.name)) {
    throw new EhpcError('config', 'The account {0} cannot be renamed to {1}: another account has that name, or the account is gone.', [account.name, typed]);
  }
  // The key moves to the new name: stored there before the settings name it, removed from
  // the old name (for the implicit account, the single-account entry) after.
  const credentials = await services.credentials.get(account);
  const renamed: Account = { ...account, name: typed, secretKey: secretKeyFor(typed), implicit: false };
  if (credentials) {
    await services.credentials.store(renamed, credentials);
  }
  // The watched jobs follow the name before the settings change (which drops an account's gone).
  services.watch.renameAccount(account.name, typed);
  try {
    await services.accounts.save(toSettings(services.accounts.all).map((entry) => (entry.name === account.name ? { ...entry, name: typed } : entry)));
  } catch (error) {
    services.watch.renameAccount(typed, account.name);
    await services.credentials.delete(renamed).catch(() => undefined);
    throw error;
  }
  await services.credentials.delete(account);
  services.log.info(`Renamed the account ${JSON.stringify(account.name)} to ${JSON.stringify(typed)}.`);
  return true;
}

export async function removeAccount(services: Services, target?: unknown): Promise<boolean> {
  const account = await accountOf(services, target, vscode.l10n.t('Remove Account'));
  if (!account) {
    return false;
  }
  // Its watched jobs stop being watched with it: say so, and which.
  const watched = services.watch.jobs().filter((job) => job.account === account.name);
  const names = watched.slice(0, 3).map((job) => vscode.l10n.t('"{0}"', job.name));
  const more = watched.length - names.length;
  const stopsWatching =
    watched.length === 0
      ? undefined
      : watched.length === 1
        ? vscode.l10n.t('The job {0} is no longer watched.', names[0])
        : more > 0
          ? vscode.l10n.t('{0} watched jobs are no longer watched: {1} and {2} more.', watched.length, listOf(names), more)
          : vscode.l10n.t('{0} watched jobs are no longer watched: {1}.', watched.length, listOf(names));
  const detail = vscode.l10n.t('Its key is removed from this computer and its clusters leave the view. Its jobs on {0} are not touched.', account.endpoint);
  const confirmed = await services.prompts.confirm(
    vscode.l10n.t('Remove the EHPC account {0}?', account.name),
    stopsWatching ? `${detail}\n\n${stopsWatching}` : detail,
    vscode.l10n.t('Remove'),
  );
  if (!confirmed) {
    return false;
  }
  // The key goes first: a batch under way sends nothing more with it from this moment.
  await services.credentials.delete(account);
  if (!account.implicit) {
    const rest = services.accounts.all.filter((entry) => entry.name !== account.name);
    await services.accounts.save(toSettings(rest));
  }
  services.log.info(`Removed the account ${JSON.stringify(account.name)}.`);
  // Its row leaves the view, and the question said what goes with it.
  tellInStatusBar(services.notifier, vscode.l10n.t('Removed the EHPC account {0}. Its key was removed from this computer.', account.name));
  return true;
}

type KeyProblem = { kind: 'key' } | { kind: 'zones'; zones: string[] } | { kind: 'other'; error: unknown };

/** Lists every zone with the new key: undefined when all answer, else what to ask again. */
async function checkKey(services: Services, account: Account, credentials: Credentials): Promise<KeyProblem | undefined> {
  const client = services.accounts.clientFor(account, credentials);
  try {
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the key with {0}…', endpointHost(account.endpoint)) },
      () => Promise.allSettled(account.zones.map((zone) => client.listClusters(zone))),
    );
    const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (errors.some((error) => error instanceof EhpcError && error.kind === 'auth')) {
      return { kind: 'key' };
    }
    // A cluster list answers "not found" only for its zone.
    const unknown = account.zones.filter((_, i) => {
      const result = results[i];
      return result.status === 'rejected' && result.reason instanceof EhpcError && result.reason.kind === 'notFound';
    });
    if (unknown.length > 0) {
      return { kind: 'zones', zones: unknown };
    }
    return errors.length > 0 ? { kind: 'other', error: errors[0] } : undefined;
  } finally {
    client.dispose();
  }
}
