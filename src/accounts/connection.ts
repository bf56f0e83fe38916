// One account's client: its endpoint and its key from the credential store, cached in memory.
import * as vscode from 'vscode';
import { Account } from './accounts';
import { CredentialStore } from './credentialStore';
import { EhpcClient } from '../ehpc/client';
import { endpointHost, endpointIdentity } from '../ehpc/endpoint';
import { EhpcError } from '../ehpc/errors';
import { Credentials } from '../ehpc/signing';

/** A client together with a check that it may still be used (see Connection.session). */
export interface Session {
  client: EhpcClient;
  isCurrent: () => boolean;
}

/** Hands out an EHPC client for one account's endpoint and key; the key is cached in memory. */
export class Connection implements vscode.Disposable {
  private credentials: { read: Promise<Credentials | undefined>; generation: number } | undefined;
  /** One client per key, so that its quota pause holds across commands. */
  private cached: { client: EhpcClient; credentials: Credentials } | undefined;
  private readonly subscription: vscode.Disposable;
  private retired = false;

  constructor(
    private current: Account,
    private readonly store: CredentialStore,
    private readonly newClient: (account: Account, credentials: Credentials) => EhpcClient,
  ) {
    this.subscription = store.onDidChange((secretKey) => {
      if (secretKey === this.current.secretKey) {
        this.forgetKey();
      }
    });
  }

  get account(): Account {
    return this.current;
  }

  /**
   * Whether the connection can stand for `account` as the settings give it now: the same
   * name, key entry and endpoint. Then it takes the rest (the zones) and its sessions go on,
   * for nothing it signs with changed.
   */
  adopt(account: Account): boolean {
    const bound = this.current;
    if (this.retired || account.name !== bound.name || account.secretKey !== bound.secretKey || endpointIdentity(account.endpoint) !== endpointIdentity(bound.endpoint)) {
      return false;
    }
    this.current = account;
    return true;
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
      if (await this.keyElsewhere()) {
        throw new EhpcError('signedOut', 'Sign in to {0} at {1}: its key was entered for another endpoint, and is not sent to this one.', [this.account.name, endpointHost(this.account.endpoint)]);
      }
      throw new EhpcError('signedOut', 'You are not signed in to the EHPC account {0}. Run "EHPC: Sign In".', [this.account.name]);
    }
    if (this.cached?.credentials !== credentials) {
      this.cached = { client: this.clientFor(credentials), credentials };
    }
    return this.cached.client;
  }

  /** Whether the account's stored key was entered for another endpoint than the account's now. */
  async keyElsewhere(): Promise<boolean> {
    return (await this.store.boundElsewhere(this.account).catch(() => undefined)) !== undefined;
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
    // The key read is kept for the generation it was read in. The store moves the generation
    // before anyone hears of a sign-in or sign-out, so a listener that runs before this
    // connection's own (one made after it) never gets the key that was just removed.
    const generation = this.store.generation(this.account);
    if (this.credentials?.generation !== generation) {
      this.forgetKey();
      // A failed read is not kept: the next call asks the keyring again.
      const read = this.store.get(this.account).catch((error: unknown) => {
        if (this.credentials?.read === read) {
          this.credentials = undefined;
        }
        throw error;
      });
      this.credentials = { read, generation };
    }
    return this.credentials.read;
  }
}

export function removedError(name: string): EhpcError {
  return new EhpcError('config', 'There is no EHPC account named {0} any more. Refresh the view, or add the account again.', [name]);
}
