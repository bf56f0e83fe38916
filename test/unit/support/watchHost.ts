// A JobWatch on plain Node: the fake `vscode` widened with the status bar the watch keeps, a
// memento, fixed accounts and keys, and clients the test supplies.
import * as fake from './fakeVscode';
import type * as vscode from 'vscode';
import type { Account } from '../../../src/accounts/accounts';
import type { Credentials } from '../../../src/ehpc/signing';
import type { EhpcClient } from '../../../src/ehpc/client';
import { JobWatch, JobWatchDeps } from '../../../src/watch/jobWatch';
import type { WatchNotification } from '../../../src/watch/notifications';

const widened = fake as unknown as Record<string, unknown>;
widened.StatusBarAlignment ??= { Left: 1, Right: 2 };
widened.MarkdownString ??= class {
  constructor(public value = '') {}
};
widened.ProgressLocation ??= { SourceControl: 1, Window: 10, Notification: 15 };
const progress = { report: () => undefined };
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
(fake.window as Record<string, unknown>).withProgress ??= (_options: unknown, task: (p: unknown, t: unknown) => Promise<unknown>) => task(progress, token);
(fake.window as Record<string, unknown>).createStatusBarItem ??= () => ({ show() {}, hide() {}, dispose() {}, text: '', tooltip: '', name: '' });

export class Memento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      this.values.delete(key);
    } else {
      this.values.set(key, value);
    }
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
}

export const silentLog = { info: () => undefined, warn: () => undefined } as unknown as vscode.LogOutputChannel;

export function account(name: string, endpoint = 'https://api.qingcloud.com'): Account {
  return { name, endpoint, zones: ['jn1a'], secretKey: `ehpc.credentials/${name}`, implicit: false };
}

export interface WatchHostOptions {
  accounts: Account[];
  /** Per account name, its key. */
  keys: Map<string, Credentials>;
  client: (account: string) => Partial<EhpcClient>;
  state?: Memento;
  /** The global state, shared by the windows. */
  shared?: Memento;
  shown?: WatchNotification[];
}

/** A JobWatch over these accounts, keys and clients; `emit` fires the credential and account change events. */
export function makeWatch(options: WatchHostOptions): { watch: JobWatch; credentialsChanged: () => void; accountsChanged: () => void; state: Memento } {
  const credentialEvents = new fake.EventEmitter<void>();
  const accountEvents = new fake.EventEmitter<void>();
  const state = options.state ?? new Memento();
  const deps: JobWatchDeps = {
    accounts: {
      get all() {
        return options.accounts;
      },
      connection: (name: string) => ({ client: () => Promise.resolve(options.client(name) as EhpcClient) }),
      onDidChange: accountEvents.event,
    } as unknown as JobWatchDeps['accounts'],
    credentials: {
      get: (acc: Account) => Promise.resolve(options.keys.get(acc.name)),
      onDidChange: credentialEvents.event,
    } as unknown as JobWatchDeps['credentials'],
    model: { patchJob: () => false, findCluster: () => undefined },
    log: silentLog,
    state: state,
    ...(options.shared ? { shared: options.shared } : {}),
    notifier: () => ({ show: () => Promise.resolve(undefined) }),
    act: () => Promise.resolve(),
  };
  const watch = new JobWatch(deps);
  return { watch, credentialsChanged: () => credentialEvents.fire(), accountsChanged: () => accountEvents.fire(), state };
}

/** The most requests that fall in any hour (a window starting at each request). */
export function worstHour(stamps: readonly number[]): number {
  const sorted = [...stamps].sort((a, b) => a - b);
  let worst = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end] < sorted[start] + 3600_000) {
      end++;
    }
    worst = Math.max(worst, end - start);
  }
  return worst;
}
