import * as vscode from 'vscode';
import { Account } from './accounts/accounts';
import { CredentialStore } from './auth/credentialStore';
import { EhpcClient } from './ehpc/client';
import { EhpcError } from './ehpc/errors';
import { Credentials } from './ehpc/signing';

/** A client together with a check that it may still be used (see Connection.session). */
export interface Session {
  client: EhpcClient;
  isCurrent: () => boolean;
}

/** Hands out an EHPC client for one account's endpoint and key; the key is cached in memory. */
export class Connection implements vscode.Disposable {
  private credentials: Promise<Credentials | undefined> | undefined;
  /** One client per key, so that its quota pause holds across commands. */
  private cached: { client: EhpcClient; credentials: Credentials } | undefined;
  private readonly subscription: vscode.Disposable;
  private retired = false;

  constructor(
    readonly account: Account,
    private readonly store: CredentialStore,
    private readonly newClient: (account: Account, credentials: Credentials) => EhpcClient,
  ) {
    this.subscription = store.onDidChange((secretKey) => {
      if (secretKey === account.secretKey) {
        this.forgetKey();
      }
    });
  }

  async isSignedIn(): Promise<boolean> {
    return (await this.currentCredentials()) !== undefined;
  }

  /**
   * A client together with a check that the key it signs with is still the account's stored
   * one, and the account still there as it was. Long work (a batch) asks before every
   * request, so that nothing goes out after a sign-out or the account's removal.
   */
  async session(): Promise<Session> {
    const generation = this.store.generation(this.account);
    const client = await this.client();
    return { client, isCurrent: () => !this.retired && this.store.generation(this.account) === generation };
  }

  async client(): Promise<EhpcClient> {
    if (this.retired) {
      throw removedError(this.account.name);
    }
    const credentials = await this.currentCredentials();
    if (!credentials) {
      throw new EhpcError('signedOut', 'You are not signed in to the EHPC account {0}. Run "EHPC: Sign In".', [this.account.name]);
    }
    if (this.cached?.credentials !== credentials) {
      this.cached = { client: this.clientFor(credentials), credentials };
    }
    return this.cached.client;
  }

  /** A client for keys not stored yet (sign-in checks them with it). */
  clientFor(credentials: Credentials): EhpcClient {
    return this.newClient(this.account, credentials);
  }

  /** The account was removed or changed: nothing more is sent for it, and sessions end. */
  dispose(): void {
    this.retired = true;
    this.subscription.dispose();
    this.forgetKey();
  }

  private forgetKey(): void {
    // The old key's reads and retries stop at once rather than answer for an account gone.
    this.cached?.client.dispose();
    this.credentials = undefined;
    this.cached = undefined;
  }

  private currentCredentials(): Promise<Credentials | undefined> {
    // A failed read is not kept: the next call asks the keyring again.
    this.credentials ??= this.store.get(this.account).catch((error: unknown) => {
      this.credentials = undefined;
      throw error;
    });
    return this.credentials;
  }
}

export function removedError(name: string): EhpcError {
  return new EhpcError('config', 'There is no EHPC account named {0} any more. Refresh the view, or add the account again.', [name]);
}
