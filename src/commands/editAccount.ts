// Edit Zones... and Change Endpoint... of an account, from its row, a zone's row, the row of a
// zone the endpoint does not know, or the palette. They write the user's settings for the user:
// `ehpc.accounts` for a listed account, `ehpc.zones` / `ehpc.endpoint` for the one account
// those settings describe. A new endpoint signs the account out there: its key is never sent
// to another endpoint than the one it was entered for.
import * as vscode from 'vscode';
import { Account, editedSettings, splitZones } from '../accounts/accounts';
import { endpointHost } from '../ehpc/endpoint';
import { Services } from '../services';
import { endpointMessage, zonesMessage } from '../ui/accountForm';
import { accountOf } from './accountTarget';

export async function editZones(services: Services, target?: unknown): Promise<boolean> {
  const account = await accountOf(services, target, vscode.l10n.t('Edit Zones'));
  if (!account) {
    return false;
  }
  const missing = zoneIn(target);
  const unknown = missing === undefined ? [] : [missing];
  const typed = await vscode.window.showInputBox({
    title: named(services, account) ? vscode.l10n.t('Edit Zones of {0}', account.name) : vscode.l10n.t('Edit Zones'),
    // From a zone's error row, what is wrong is said at once: VS Code checks the value only once edited.
    prompt: zonesMessage(account.zones.join(', '), unknown, account.endpoint) ?? vscode.l10n.t('The zones whose clusters to show, separated by commas, e.g. jn1a, pek3'),
    value: account.zones.join(', '),
    ignoreFocusOut: true,
    validateInput: (value) => zonesMessage(value, unknown, account.endpoint),
  });
  if (typed === undefined || zonesMessage(typed, unknown, account.endpoint) !== undefined) {
    return false;
  }
  const zones = splitZones(typed);
  if (zones.join(',') === account.zones.join(',')) {
    return false;
  }
  await write(services, account, { zones });
  services.log.info(`The zones of ${JSON.stringify(account.name)} are now ${zones.join(', ')}.`);
  return true;
}

export async function changeEndpoint(services: Services, target?: unknown): Promise<boolean> {
  const account = await accountOf(services, target, vscode.l10n.t('Change Endpoint'));
  if (!account) {
    return false;
  }
  const typed = await vscode.window.showInputBox({
    title: named(services, account) ? vscode.l10n.t('Change Endpoint of {0}', account.name) : vscode.l10n.t('Change Endpoint'),
    prompt: vscode.l10n.t('The EHPC API endpoint. Its key is not sent to a new endpoint: you sign in there again.'),
    value: account.endpoint,
    ignoreFocusOut: true,
    validateInput: endpointMessage,
  });
  const endpoint = typed?.trim();
  if (endpoint === undefined || endpointMessage(endpoint) !== undefined || endpoint === account.endpoint) {
    return false;
  }
  await write(services, account, { endpoint });
  services.log.info(`The endpoint of ${JSON.stringify(account.name)} is now ${endpointHost(endpoint)}.`);
  return true;
}

/** The account's entry of `ehpc.accounts`, or for the one account, its own setting; then the list is read again. */
async function write(services: Services, account: Account, edit: { zones: string[] } | { endpoint: string }): Promise<void> {
  if (account.implicit) {
    const [key, value] = 'zones' in edit ? ['zones', edit.zones] : ['endpoint', edit.endpoint];
    await vscode.workspace.getConfiguration('ehpc').update(key, value, vscode.ConfigurationTarget.Global);
    services.accounts.reload();
    return;
  }
  await services.accounts.save(editedSettings(services.accounts.all, account.name, edit));
}

/** Titles name the account when there are several, or when the user named it. */
function named(services: Services, account: Account): boolean {
  return services.accounts.several || !account.implicit;
}

/** The zone of the row the command came from: one the endpoint does not know. */
function zoneIn(target: unknown): string | undefined {
  const zone = typeof target === 'object' && target !== null ? (target as { kind?: unknown; zone?: unknown }) : {};
  return zone.kind === 'message' && typeof zone.zone === 'string' ? zone.zone : undefined;
}
