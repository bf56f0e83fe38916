// What the chat tools need beyond fakeVscode (tool results, progress), and a small set of
// Services around a real EhpcClient, so that the tools run under plain-Node mocha against the
// simulator. Import this file before any module that imports `vscode`.
import * as fakeVscode from './fakeVscode';
import { Account, findAccount, LEGACY_SECRET_KEY } from '../../../src/accounts/accounts';
import { Accounts } from '../../../src/accounts/registry';
import { Connection, removedError } from '../../../src/accounts/connection';
import { EhpcClient } from '../../../src/ehpc/client';
import { DEFAULT_ENDPOINT } from '../../../src/ehpc/endpoint';
import { EhpcError } from '../../../src/ehpc/errors';
import { Services } from '../../../src/services';
import { BusyMarks } from '../../../src/tree/busyMarks';
import { ClusterModel } from '../../../src/tree/model';

class LanguageModelTextPart {
  constructor(readonly value: string) {}
}

class LanguageModelToolResult {
  constructor(readonly content: unknown[]) {}
}

const noToken = { isCancellationRequested: false, onCancellationRequested: () => new fakeVscode.Disposable(() => undefined) };

// The `vscode` module the sources get is fakeVscode's exports object: add to it.
Object.assign(fakeVscode as unknown as Record<string, unknown>, {
  LanguageModelTextPart,
  LanguageModelToolResult,
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
});
Object.assign(fakeVscode.window, {
  withProgress: <R>(_options: unknown, task: (progress: { report(): void }, token: typeof noToken) => Promise<R>) => task({ report: () => undefined }, noToken),
});

/** The text of a tool's result. */
export function resultText(result: unknown): string {
  const content = (result as LanguageModelToolResult | undefined)?.content ?? [];
  return content.map((part) => (part instanceof LanguageModelTextPart ? part.value : '')).join('');
}

export const cancellationToken = noToken as unknown as import('vscode').CancellationToken;

export interface ToolHost {
  readonly services: Services;
  /** Every line the tools logged, "level: text". */
  readonly logged: string[];
  /** The one account, implicit (its key where a single account's always was). */
  readonly account: Account;
  /** Fires the credential store's change event (a sign-in or sign-out). */
  changeCredentials(): void;
  /** The client the tools get; undefined: signed out. */
  client: EhpcClient | undefined;
}

/**
 * One account over `client` (named as the client is, so that the clusters it lists are that
 * account's), its zones `zones`.
 */
export function toolHost(zones: readonly string[], client?: EhpcClient): ToolHost {
  const logged: string[] = [];
  const changed = new fakeVscode.EventEmitter<string>();
  const account: Account = { name: client?.account ?? 'QingCloud', endpoint: DEFAULT_ENDPOINT, zones, secretKey: LEGACY_SECRET_KEY, implicit: true };
  let generation = 0;
  const line = (level: string) => (text: string) => void logged.push(`${level}: ${text}`);
  const log = { trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'), show: () => undefined };
  const host: ToolHost = {
    logged,
    client,
    account,
    changeCredentials: () => {
      generation++;
      changed.fire(account.secretKey);
    },
    services: undefined as unknown as Services,
  };
  const connection = {
    client: () => {
      if (!host.client) {
        return Promise.reject(new EhpcError('signedOut', 'You are not signed in to QingCloud EHPC. Run "EHPC: Sign In".'));
      }
      return Promise.resolve(host.client);
    },
    isSignedIn: () => Promise.resolve(host.client !== undefined),
    session: async () => {
      const started = generation;
      return { client: await connection.client(), isCurrent: () => generation === started };
    },
  } as unknown as Connection;
  const accounts = {
    all: [account],
    several: false,
    find: (name: string) => findAccount([account], name),
    connection: (name: string) => {
      if (!findAccount([account], name)) {
        throw removedError(name);
      }
      return connection;
    },
  } as unknown as Accounts;
  const services = {
    log,
    credentials: { onDidChange: changed.event },
    accounts,
    model: new ClusterModel({ client: (name) => accounts.connection(name).client() }, [account]),
    busy: new BusyMarks(),
    // Nothing is watched here: a batch's done jobs are unwatched, its stopping ones watched.
    watch: { watch: () => 0, unwatch: () => 0, isWatched: () => false, isCancelling: () => false },
    prompts: {},
  } as unknown as Services;
  return Object.assign(host, { services });
}
