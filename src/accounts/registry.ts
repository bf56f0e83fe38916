// The accounts of the settings, each with its Connection; one log and one request count for all.
import * as vscode from 'vscode';
import { CredentialStore } from './credentialStore';
import { Connection, removedError, Session } from './connection';
import { EhpcClient } from '../ehpc/client';
import { RequestRecord } from '../ehpc/transport';
import { EhpcError } from '../ehpc/errors';
import { Credentials } from '../ehpc/signing';
import { readAccountSettings } from '../settings';
import { clauses, withAside } from '../text/punctuation';
import { Account, AccountSetting, findAccount, LeftOut, MAX_NAME_LENGTH, NameProblem, readAccounts } from './accounts';

export class Accounts implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** The list changed: an account added, removed, renamed or moved to another endpoint or zones. */
  readonly onDidChange = this.changed.event;
  private connections = new Map<string, Connection>();
  private list: Account[] = [];
  private sent = 0;
  private reported = '';

  constructor(
    private readonly store: CredentialStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.reload(false);
    store.bindEarlierEntries(this.list);
  }

  get all(): readonly Account[] {
    return this.list;
  }

  /** With one account the tree shows no account rows, and messages name none. */
  get several(): boolean {
    return this.list.length > 1;
  }

  find(name: string): Account | undefined {
    return findAccount(this.list, name);
  }

  /** The account's connection; an account that is not there (any more) stops the caller. */
  connection(name: string): Connection {
    const connection = this.connections.get(this.find(name)?.name ?? '');
    if (!connection) {
      throw removedError(name);
    }
    return connection;
  }

  /** A client for the account and a key pair, its requests logged and counted. */
  clientFor(account: Account, credentials: Credentials): EhpcClient {
    return new EhpcClient({ endpoint: account.endpoint, account: account.name, credentials, onRequest: (record) => this.logRequest(record, account) });
  }

  /** Stops the command, saying to sign in, unless some account has a key. */
  async requireSignedIn(): Promise<void> {
    const states = await Promise.all(this.list.map((account) => this.connection(account.name).isSignedIn().catch(() => false)));
    if (!states.includes(true)) {
      throw new EhpcError('signedOut', 'You are not signed in to QingCloud EHPC. Run "EHPC: Sign In".');
    }
  }

  /** A session for each account with a key (see Connection.session); accounts without one are left out. */
  async sessions(): Promise<Map<string, Session>> {
    const sessions = new Map<string, Session>();
    await Promise.all(
      this.list.map(async (account) => {
        const connection = this.connection(account.name);
        if (await connection.isSignedIn().catch(() => false)) {
          sessions.set(account.name, await connection.session());
        }
      }),
    );
    return sessions;
  }

  /** API requests sent so far, every account and attempt counted (the quota counts them all). */
  get requestsSent(): number {
    return this.sent;
  }

  /**
   * Reads the settings again. An account whose endpoint or key entry changed gets a new
   * connection; the old one ends its sessions, so a batch under way sends nothing more. Any
   * other edit (its zones, another account) leaves the connection and its work alone.
   */
  reload(fire = true): void {
    // User settings only: an opened folder must not send signed requests elsewhere.
    const { accounts, problems } = readAccounts(readAccountSettings());
    this.reportProblems(problems);
    const before = this.connections;
    this.connections = new Map();
    const next: Account[] = [];
    for (const account of accounts) {
      const old = before.get(account.name);
      if (old?.adopt(same(old.account, account) ? old.account : account)) {
        // Zones edited, or nothing: the connection goes on, and work under way with it.
        next.push(old.account);
        this.connections.set(account.name, old);
        before.delete(account.name);
      } else {
        next.push(account);
        this.connections.set(account.name, new Connection(account, this.store, (of, credentials) => this.clientFor(of, credentials)));
      }
    }
    const changed = before.size > 0 || next.length !== this.list.length || next.some((account, i) => account !== this.list[i]);
    for (const gone of before.values()) {
      gone.dispose();
    }
    this.list = next;
    if (fire && changed) {
      this.changed.fire();
    }
  }

  /** Writes `ehpc.accounts` to the user's settings; the configuration event reloads the list. */
  async save(settings: readonly AccountSetting[]): Promise<void> {
    await vscode.workspace.getConfiguration('ehpc').update('accounts', settings, vscode.ConfigurationTarget.Global);
    this.reload();
  }

  dispose(): void {
    for (const connection of this.connections.values()) {
      connection.dispose();
    }
    this.changed.dispose();
  }

  /** In the log in English; in the warning in the user's language. */
  private reportProblems(problems: readonly LeftOut[]): void {
    const text = problems.map(({ index, problem }) => `ehpc.accounts[${index}]: ${ENGLISH_REASONS[problem]}`).join('; ');
    if (text !== '' && text !== this.reported) {
      this.log.warn(`Some entries of the ehpc.accounts setting were left out: ${text}.`);
      const entries = problems.map(({ index, problem }) => withAside(`ehpc.accounts[${index}]`, leftOutReason(problem)));
      void vscode.window.showWarningMessage(vscode.l10n.t('Some entries of the "ehpc.accounts" setting were left out: {0}.', clauses(entries)));
    }
    this.reported = text;
  }

  private logRequest(record: RequestRecord, account: Account): void {
    this.sent++;
    const outcome = record.error
      ? `failed: ${record.error.kind}${record.retCode !== undefined ? ` ret_code=${record.retCode}` : ''}${record.httpStatus ? ` http=${record.httpStatus}` : ''}`
      : `ret_code=${record.retCode ?? '?'}`;
    const where = this.several ? ` account=${JSON.stringify(account.name)}` : '';
    const line = `${record.method} ${record.path} zone=${record.zone}${where} ${outcome} ${record.durationMs}ms`;
    if (record.error) {
      this.log.warn(line);
    } else {
      this.log.info(line);
    }
  }
}

const ENGLISH_REASONS: Record<NameProblem, string> = {
  empty: 'it has no name',
  tooLong: `its name is longer than ${MAX_NAME_LENGTH} characters`,
  control: 'its name holds control characters',
  invisible: 'its name holds invisible characters',
  taken: 'its name is taken by an earlier entry',
  lookalike: 'its name looks like an earlier entry\'s, with Cyrillic or Greek letters drawn like Latin ones',
};

function leftOutReason(problem: NameProblem): string {
  switch (problem) {
    case 'empty':
      return vscode.l10n.t('it has no name');
    case 'tooLong':
      return vscode.l10n.t('its name is longer than {0} characters', MAX_NAME_LENGTH);
    case 'control':
      return vscode.l10n.t('its name holds control characters');
    case 'invisible':
      return vscode.l10n.t('its name holds invisible characters');
    case 'taken':
      return vscode.l10n.t('its name is taken by an earlier entry');
    case 'lookalike':
      return vscode.l10n.t('its name looks like an earlier entry\'s, with Cyrillic or Greek letters drawn like Latin ones');
  }
}

function same(a: Account, b: Account): boolean {
  return a.name === b.name && a.endpoint === b.endpoint && a.secretKey === b.secretKey && a.implicit === b.implicit && a.zones.join(',') === b.zones.join(',');
}
