// What the chat tools share: their context, results, failures as results, and finding a
// cluster by id across the configured zones.
import * as vscode from 'vscode';
import { EhpcClient } from '../ehpc/client';
import { EhpcError } from '../ehpc/errors';
import { Cluster } from '../ehpc/types';
import { Account } from '../accounts/accounts';
import type { JobOutputs } from '../output/jobOutputs';
import { Services } from '../services';
import { readNumber } from '../settings';
import { clusterLabel, reason } from './format';
import { KnownJobs } from './knownJobs';
import { Schema, validate } from './schema';

export interface ToolContext {
  readonly services: Services;
  /** Each tool's input schema, as its manifest entry declares it. */
  readonly schemas: ReadonlyMap<string, Schema>;
  readonly known: KnownJobs;
  /** Finds a job's files on its login node, logged in (made when first used); absent where none can be read. */
  readonly outputs?: () => Pick<JobOutputs, 'locate'>;
}

export function schemaOf(context: ToolContext, toolName: string): Schema {
  const schema = context.schemas.get(toolName);
  if (!schema) {
    throw new Error(`package.json declares no inputSchema for ${toolName}`);
  }
  return schema;
}

/**
 * The refusal of input that does not match the tool's schema (one line per problem), or
 * undefined when it matches. `sends`: the tool would act, so the refusal says nothing was sent.
 */
export function refuseMalformed(context: ToolContext, toolName: string, input: unknown, sends = false): string | undefined {
  const problems = validate(schemaOf(context, toolName), input);
  return problems.length === 0 ? undefined : `Refused: the input is malformed${sends ? '; nothing was sent' : ''}.\n- ${problems.join('\n- ')}`;
}

/**
 * The question a writing tool asks the user: who asks, where (the account too, when there
 * are several), and what will be sent.
 */
export function agentConfirmation(services: Services, cluster: Cluster, title: string, detail: string, ...notes: string[]): vscode.LanguageModelToolConfirmationMessages {
  const where = services.accounts.several
    ? vscode.l10n.t('Asked by a chat agent: cluster {0} ({1}) in zone {2} of account {3}.', cluster.name, cluster.clusterId, cluster.zone, cluster.account)
    : vscode.l10n.t('Asked by a chat agent: cluster {0} ({1}) in zone {2}.', cluster.name, cluster.clusterId, cluster.zone);
  const lines = [where, '', detail, ...notes.flatMap((note) => ['', note])];
  return { title, message: new vscode.MarkdownString().appendText(lines.join('\n')) };
}

/**
 * A writing tool's checks before its question. A refusal gets no question and is kept for the
 * invoke, so that a change in between (a sign-in, a setting) cannot let it run unasked; what
 * passed comes back with the generation to keep its decision under.
 */
export async function checkBeforeAsking<D extends object, C>(
  prepared: { readonly current: number; set(input: unknown, decision: D | { readonly refusal: string }, generation: number): void },
  input: unknown,
  check: (input: unknown) => Promise<C | string>,
): Promise<{ checked: C; generation: number } | { refused: vscode.PreparedToolInvocation }> {
  const generation = prepared.current;
  const checked = await check(input);
  if (typeof checked === 'string') {
    prepared.set(input, { refusal: checked }, generation);
    return { refused: { invocationMessage: vscode.l10n.t('Request refused; nothing will be sent.') } };
  }
  return { checked, generation };
}

export function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

/**
 * Runs a tool and logs what it answered. A failure becomes the answer: a model reads results,
 * and an exception would reach it as a bare "tool failed".
 */
export async function answer(services: Services, toolName: string, input: unknown, run: () => Promise<string>): Promise<vscode.LanguageModelToolResult> {
  const json = JSON.stringify(input) ?? 'no input';
  const request = json.length > 300 ? `${json.slice(0, 297)}...` : json;
  try {
    const text = await run();
    const line = `Tool ${toolName} (${request}): ${text.split('\n')[0]}`;
    if (text.startsWith('Refused') || text.startsWith('Nothing')) {
      services.log.warn(line);
    } else {
      services.log.info(line);
    }
    return textResult(text);
  } catch (error) {
    services.log.warn(`Tool ${toolName} (${request}) failed: ${reason(error)}`);
    return textResult(`${failureText(error)} Nothing was changed.`);
  }
}

/** A failure in words for the model, with what the user can do; never asks for keys itself. */
export function failureText(error: unknown): string {
  if (error instanceof EhpcError && error.kind === 'signedOut') {
    return 'Not signed in to QingCloud EHPC. Ask the user to run the command "EHPC: Sign In" (these tools never ask for keys).';
  }
  if (error instanceof EhpcError && error.kind === 'auth') {
    return `The EHPC service rejected the stored key: ${error.message} Ask the user to run the command "EHPC: Sign In" again.`;
  }
  return `Failed: ${reason(error)}`;
}

export interface ZoneClusters {
  readonly zone: string;
  readonly clusters: readonly Cluster[];
  readonly error?: unknown;
}

/** Each zone's clusters, listed afresh (an answer must reflect the server now, not the tree's cache). */
export async function listZones(ehpc: EhpcClient, zones: readonly string[]): Promise<ZoneClusters[]> {
  return Promise.all(
    zones.map((zone) =>
      ehpc.listAllClusters(zone).then(
        (clusters): ZoneClusters => ({ zone, clusters }),
        (error: unknown): ZoneClusters => ({ zone, clusters: [], error }),
      ),
    ),
  );
}

/** What one account listed for a tool: its client and zones, or why it could not be used. */
export interface AccountListing {
  readonly account: Account;
  readonly ehpc?: EhpcClient;
  readonly zones: readonly ZoneClusters[];
  readonly error?: unknown;
}

/**
 * The accounts a tool's optional `account` names (compared without case): every account, the
 * one named, or a sentence saying there is none of that name and which there are.
 */
export function accountsNamed(services: Services, name: string | undefined): readonly Account[] | string {
  if (name === undefined) {
    return services.accounts.all;
  }
  const found = services.accounts.find(name);
  return found ? [found] : `There is no account named ${JSON.stringify(name)}. Accounts: ${services.accounts.all.map((account) => JSON.stringify(account.name)).join(', ')}.`;
}

/** Each account's clusters in its zones (or in `zone` only), listed afresh, the accounts together. */
export function listAccounts(services: Services, accounts: readonly Account[], zone?: string): Promise<AccountListing[]> {
  return Promise.all(
    accounts.map(async (account): Promise<AccountListing> => {
      try {
        const ehpc = await services.accounts.connection(account.name).client();
        return { account, ehpc, zones: await listZones(ehpc, zone === undefined ? account.zones : [zone]) };
      } catch (error) {
        return { account, zones: [], error };
      }
    }),
  );
}

/** Throws the first failure when no zone of any account could be listed: there is nothing to answer from. */
export function throwIfNothingListed(listings: readonly AccountListing[]): void {
  const zones = listings.flatMap((listing) => listing.zones);
  if (zones.some((zone) => zone.error === undefined)) {
    return;
  }
  const failure = [...listings.map((listing) => listing.error), ...zones.map((zone) => zone.error)].find((error) => error !== undefined);
  if (failure !== undefined) {
    throw failure instanceof Error ? failure : new Error(reason(failure));
  }
}

/** A cluster found for a tool, with the client of the account that lists it. */
export interface FoundCluster {
  readonly cluster: Cluster;
  readonly ehpc: EhpcClient;
  /** Every zone searched, of every account searched (for "a job of another cluster"). */
  readonly zones: readonly ZoneClusters[];
}

/**
 * The cluster with this id in a configured zone (or in `onlyZone` only) of the named account, or
 * of any account; or a sentence saying why not. An id that two accounts list is refused unless
 * the account is named: the wrong key would act on it.
 */
export async function findCluster(services: Services, clusterId: string, accountName?: string, onlyZone?: string): Promise<FoundCluster | { notFound: string }> {
  const named = accountsNamed(services, accountName);
  if (typeof named === 'string') {
    return { notFound: named };
  }
  const accounts = named.filter((account) => onlyZone === undefined || account.zones.includes(onlyZone));
  if (accounts.length === 0) {
    return { notFound: `zone ${onlyZone} is not configured. Configured zones: ${[...new Set(named.flatMap((account) => account.zones))].join(', ')}.` };
  }
  const searched = await listAccounts(services, accounts, onlyZone);
  const zones = searched.flatMap((listing) => listing.zones);
  const matches = searched.flatMap(({ ehpc, zones: listed }) =>
    ehpc ? listed.flatMap((zone) => zone.clusters).filter((cluster) => cluster.clusterId === clusterId).map((cluster) => ({ cluster, ehpc, zones })) : [],
  );
  if (matches.length > 1) {
    return { notFound: `Cluster ${clusterId} is listed by several accounts (${matches.map((match) => JSON.stringify(match.cluster.account)).join(', ')}); name the one to use in "account".` };
  }
  if (matches.length === 1) {
    return matches[0];
  }
  throwIfNothingListed(searched);
  const several = services.accounts.several;
  const where = (account: Account) => `${several ? `account ${JSON.stringify(account.name)}, ` : ''}zone${onlyZone === undefined ? `s ${account.zones.join(', ')}` : ` ${onlyZone}`}`;
  const known = zones.flatMap((zone) => zone.clusters).map(clusterLabel);
  return {
    notFound:
      `No cluster ${clusterId} in the configured ${searched.map((listing) => where(listing.account)).join('; ')}.` +
      searched.map((listing) => (listing.error !== undefined ? ` ${several ? `Account ${JSON.stringify(listing.account.name)}` : 'The account'} could not be used: ${reason(listing.error)}` : '')).join('') +
      zones.map((zone) => (zone.error !== undefined ? ` Zone ${zone.zone} could not be listed: ${reason(zone.error)}` : '')).join('') +
      (known.length ? ` Clusters there: ${known.join(', ')}.` : ' No clusters there.') +
      ' Use ehpc_listClusters for the ids.',
  };
}

/** `ehpc.agentMaxJobsPerCall`: how many jobs one delete or cancel call may name. */
export function maxJobsPerCall(): number {
  return readNumber('agentMaxJobsPerCall');
}
