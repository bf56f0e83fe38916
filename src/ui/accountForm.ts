// The Add Account form: a name, the endpoint, the zones (Back works); the key pair is asked
// afterwards by Sign In, and checked with one call before anything is kept.
import * as vscode from 'vscode';
import { AccountSetting, accountName, MAX_NAME_LENGTH, NameProblem, nameProblem } from '../accounts/accounts';
import { DEFAULT_ENDPOINT, endpointProblem } from '../ehpc/endpoint';
import { ZONE_ID } from '../ehpc/ids';
import { inputStep, runSteps } from './multiStep';

export async function showAccountForm(taken: readonly { name: string }[]): Promise<AccountSetting | undefined> {
  const values = { name: '', endpoint: DEFAULT_ENDPOINT, zones: 'jn1a' };
  const done = await runSteps(
    [
      async (place) => {
        const name = await inputStep(place, { prompt: vscode.l10n.t('A name for the account, e.g. "Personal" or "Shanhe project"'), value: values.name, validate: (value) => nameMessage(nameProblem(value, taken)) });
        values.name = typeof name === 'string' ? accountName(name) : values.name;
        return name;
      },
      async (place) => {
        const endpoint = await inputStep(place, { prompt: vscode.l10n.t('The EHPC API endpoint (QingCloud\'s, a supercomputing centre\'s, or a private deployment\'s)'), value: values.endpoint, validate: endpointMessage });
        values.endpoint = typeof endpoint === 'string' ? endpoint.trim() : values.endpoint;
        return endpoint;
      },
      async (place) => {
        const zones = await inputStep(place, { prompt: vscode.l10n.t('The zones whose clusters to show, separated by commas, e.g. jn1a, pek3'), value: values.zones, validate: zonesMessage });
        values.zones = typeof zones === 'string' ? zones : values.zones;
        return zones;
      },
    ],
    vscode.l10n.t('Add EHPC Account'),
  );
  return done ? { name: values.name, endpoint: values.endpoint, zones: zonesIn(values.zones) } : undefined;
}

export function nameMessage(problem: NameProblem | undefined): string | undefined {
  switch (problem) {
    case undefined:
      return undefined;
    case 'empty':
      return vscode.l10n.t('Enter a name.');
    case 'tooLong':
      return vscode.l10n.t('Use at most {0} characters.', MAX_NAME_LENGTH);
    case 'control':
      return vscode.l10n.t('The name cannot hold control characters.');
    case 'invisible':
      return vscode.l10n.t('The name cannot hold invisible characters (zero-width spaces, joiners, direction marks).');
    case 'taken':
      return vscode.l10n.t('Another account has that name.');
  }
}

/** What is wrong with the endpoint typed, said for the form: what to type instead. */
export function endpointMessage(value: string): string | undefined {
  if (value.trim() === '') {
    return vscode.l10n.t('Enter the endpoint.');
  }
  switch (endpointProblem(value)) {
    case undefined:
      return undefined;
    case 'invalid':
      return vscode.l10n.t('"{0}" is not a valid address. Enter an endpoint that starts with https://, e.g. {1}.', value.trim(), DEFAULT_ENDPOINT);
    case 'insecure':
      return vscode.l10n.t('Use https:// (http:// is accepted only for localhost): with http:// your requests would go unencrypted.');
    case 'scheme':
      return vscode.l10n.t('The endpoint must start with https://.');
    case 'extras':
      return vscode.l10n.t('The endpoint must be a plain https:// address, without credentials or query.');
  }
}

function zonesIn(value: string): string[] {
  return [...new Set(value.split(/[\s,，、]+/u).filter((zone) => zone !== ''))];
}

function zonesMessage(value: string): string | undefined {
  const zones = zonesIn(value);
  if (zones.length === 0) {
    return vscode.l10n.t('Enter at least one zone.');
  }
  const bad = zones.find((zone) => !ZONE_ID.test(zone));
  return bad === undefined ? undefined : vscode.l10n.t('"{0}" is not a zone id: use lower-case letters, digits and "-", e.g. jn1a.', bad);
}
