// The Add Account form's first three steps: a name, the endpoint, the zones (Back works); the
// key pair follows as its steps 4 and 5 (see keySteps.ts), checked before anything is kept.
import * as vscode from 'vscode';
import { AccountSetting, accountName, MAX_NAME_LENGTH, NameProblem, nameProblem } from '../accounts/accounts';
import { DEFAULT_ENDPOINT, endpointHost, endpointIdentity, endpointProblem } from '../ehpc/endpoint';
import { listOf } from '../text/punctuation';
import { ZONE_ID } from '../ehpc/ids';
import { inputStep, runSteps } from './multiStep';

/** What the form opens with when the Add Account flow comes back to it. */
export interface AccountDraft {
  setting: AccountSetting;
  /** Zones the draft's endpoint said it does not know: the form opens at the zones step, saying so (of that endpoint only). */
  unknownZones?: readonly string[];
  /** Opens at the zones step (Back from the key). */
  atZones?: boolean;
}

/** The whole Add Account flow: name, endpoint, zones, Access Key ID, secret. */
export const ACCOUNT_STEPS = 5;

export async function showAccountForm(taken: readonly { name: string }[], draft?: AccountDraft): Promise<AccountSetting | undefined> {
  const values = draft ? { ...draft.setting, zones: draft.setting.zones.join(', ') } : { name: '', endpoint: DEFAULT_ENDPOINT, zones: 'jn1a' };
  const unknown = draft?.unknownZones ?? [];
  // Learned from the draft's endpoint: another endpoint was never asked about these zones.
  const unknownAt = (endpoint: string) => (draft && endpointIdentity(endpoint) === endpointIdentity(draft.setting.endpoint) ? unknown : []);
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
        const zones = await inputStep(place, { prompt: vscode.l10n.t('The zones whose clusters to show, separated by commas, e.g. jn1a, pek3'), value: values.zones, validate: (value) => zonesMessage(value, unknownAt(values.endpoint), values.endpoint) });
        values.zones = typeof zones === 'string' ? zones : values.zones;
        return zones;
      },
    ],
    vscode.l10n.t('Add EHPC Account'),
    unknown.length > 0 || draft?.atZones ? 2 : 0,
    ACCOUNT_STEPS,
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
    case 'lookalike':
      return vscode.l10n.t('The name looks like another account\'s: it has Cyrillic or Greek letters drawn like Latin ones.');
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

/** What is wrong with the zones typed; `unknown` are zones the endpoint said it does not know. */
export function zonesMessage(value: string, unknown: readonly string[] = [], endpoint = ''): string | undefined {
  const zones = zonesIn(value);
  if (zones.length === 0) {
    return vscode.l10n.t('Enter at least one zone.');
  }
  const bad = zones.find((zone) => !ZONE_ID.test(zone));
  if (bad !== undefined) {
    return vscode.l10n.t('"{0}" is not a zone id: use lower-case letters, digits and "-", e.g. jn1a.', bad);
  }
  const missing = zones.filter((zone) => unknown.includes(zone));
  if (missing.length === 0) {
    return undefined;
  }
  const known = zones.filter((zone) => !unknown.includes(zone));
  return known.length > 0
    ? vscode.l10n.t('{0} has no zone {1}; {2} answered. Correct or remove it.', endpointHost(endpoint), listOf(missing), listOf(known))
    : vscode.l10n.t('{0} has no zone {1}. Enter the zones of your account there, e.g. jn1a.', endpointHost(endpoint), listOf(missing));
}
