// What the chat tools share: their context, results, failures as results, and finding a
// cluster by id across the configured zones.
import * as vscode from 'vscode';
import { EhpcClient } from '../ehpc/client';
import { EhpcError } from '../ehpc/errors';
import { Cluster } from '../ehpc/types';
import { Account } from '../accounts/accounts';
import { Services } from '../services';
import { clusterLabel, reason } from './format';
import { KnownJobs } from './knownJobs';
import { Schema, validate } from './schema';

export interface ToolContext {
  readonly services: Services;
  /** Each tool's input schema, as its manifest entry declares it. */
  readonly schemas: ReadonlyMap<string, Schema>;
  readonly known: KnownJobs;
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

/** A cluster found for a tool, with the client of the account that lists it. */
export interface FoundCluster {
  readonly cluster: Cluster;
  readonly ehpc: EhpcClient;
  /** Every zone searched, of every account searched (for "a job of another cluster"). */
  readonly zones: readonly ZoneClusters[];
}

/**
 * The cluster with this id in a configured zone of the named account, or of any account; or
 * a sentence saying why not. An id that two accounts list is refused unless the account is
 * named: the wrong key would act on it.
 */
export async function findCluster(services: Services, clusterId: string, accountName?: string): Promise<FoundCluster | { notFound: string }> {
  const several = services.accounts.several;
  const named = accountName === undefined ? undefined : services.accounts.find(accountName);
  if (accountName !== undefined && !named) {
    return { notFound: `There is no account named ${JSON.stringify(accountName)}. Accounts: ${services.accounts.all.map((account) => JSON.stringify(account.name)).join(', ')}.` };
  }
  const searched = await Promise.all(
    (named ? [named] : services.accounts.all).map(async (account) => {
      try {
        const ehpc = await services.accounts.connection(account.name).client();
        return { account, ehpc, zones: await listZones(ehpc, account.zones) };
      } catch (error) {
        return { account, error };
      }
    }),
  );
  const zones = searched.flatMap((entry) => entry.zones ?? []);
  const matches = searched.flatMap((entry) => (entry.ehpc && entry.zones ? entry.zones.flatMap((zone) => zone.clusters).filter((c) => c.clusterId === clusterId).map((cluster) => ({ cluster, ehpc: entry.ehpc, zones })) : []));
  if (matches.length > 1) {
    return { notFound: `Cluster ${clusterId} is listed by several accounts (${matches.map((match) => JSON.stringify(match.cluster.account)).join(', ')}); name the one to use in "account".` };
  }
  if (matches.length === 1) {
    return matches[0];
  }
  const failures = [...searched.flatMap((entry) => (entry.error !== undefined ? [entry.error] : [])), ...zones.flatMap((zone) => (zone.error !== undefined ? [zone.error] : []))];
  if (zones.every((zone) => zone.error !== undefined) && failures.length > 0) {
    throw failures[0] instanceof Error ? failures[0] : new Error(reason(failures[0]));
  }
  const where = (account: Account) => `${several ? `account ${JSON.stringify(account.name)}, ` : ''}zones ${account.zones.join(', ')}`;
  const known = zones.flatMap((zone) => zone.clusters).map(clusterLabel);
  return {
    notFound:
      `No cluster ${clusterId} in the configured ${searched.map((entry) => where(entry.account)).join('; ')}.` +
      searched.map((entry) => (entry.error !== undefined ? ` ${several ? `Account ${JSON.stringify(entry.account.name)}` : 'The account'} could not be used: ${reason(entry.error)}` : '')).join('') +
      zones.map((zone) => (zone.error !== undefined ? ` Zone ${zone.zone} could not be listed: ${reason(zone.error)}` : '')).join('') +
      (known.length ? ` Clusters there: ${known.join(', ')}.` : ' No clusters there.') +
      ' Use ehpc_listClusters for the ids.',
  };
}

/** `ehpc.agentMaxJobsPerCall`: how many jobs one delete or cancel call may name. */
export function maxJobsPerCall(): number {
  const value = vscode.workspace.getConfiguration('ehpc').get<number>('agentMaxJobsPerCall', 50);
  return Number.isInteger(value) && value >= 1 ? value : 50;
}
