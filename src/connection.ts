import * as vscode from 'vscode';
import { CredentialStore } from './auth/credentialStore';
import { readSettings } from './config';
import { EhpcClient, RequestRecord } from './ehpc/client';
import { EhpcError } from './ehpc/errors';
import { Credentials } from './ehpc/signing';

/** Hands out an EHPC client for the current settings and key; the key is cached in memory. */
export class Connection {
  private credentials: Promise<Credentials | undefined> | undefined;
  /** One client per key and endpoint, so that its quota pause holds across commands. */
  private cached: { client: EhpcClient; credentials: Credentials; endpoint: string } | undefined;
  private sent = 0;

  constructor(
    private readonly store: CredentialStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    store.onDidChange(() => {
      // The old key's reads and retries stop at once rather than answer for an account gone.
      this.cached?.client.dispose();
      this.credentials = undefined;
      this.cached = undefined;
    });
  }

  async isSignedIn(): Promise<boolean> {
    return (await this.currentCredentials()) !== undefined;
  }

  /**
   * A client together with a check that the key it signs with is still the stored one. Long
   * work (a batch) asks before every request, so that nothing goes out after a sign-out.
   */
  async session(): Promise<{ client: EhpcClient; isCurrent: () => boolean }> {
    const generation = this.store.generation;
    const client = await this.client();
    return { client, isCurrent: () => this.store.generation === generation };
  }

  async client(): Promise<EhpcClient> {
    const credentials = await this.currentCredentials();
    if (!credentials) {
      throw new EhpcError('signedOut', 'You are not signed in to QingCloud EHPC. Run "EHPC: Sign In".');
    }
    const endpoint = readSettings().endpoint;
    if (this.cached?.credentials !== credentials || this.cached.endpoint !== endpoint) {
      this.cached = { client: this.clientFor(credentials), credentials, endpoint };
    }
    return this.cached.client;
  }

  /** A client for keys not stored yet (sign-in checks them with it). */
  clientFor(credentials: Credentials): EhpcClient {
    return new EhpcClient({
      endpoint: readSettings().endpoint,
      credentials,
      onRequest: (record) => this.logRequest(record),
    });
  }

  private currentCredentials(): Promise<Credentials | undefined> {
    // A failed read is not kept: the next call asks the keyring again.
    this.credentials ??= this.store.get().catch((error: unknown) => {
      this.credentials = undefined;
      throw error;
    });
    return this.credentials;
  }

  /** API requests sent so far, every attempt counted (the quota counts them all). */
  get requestsSent(): number {
    return this.sent;
  }

  private logRequest(record: RequestRecord): void {
    this.sent++;
    const outcome = record.error
      ? `failed: ${record.error.kind}${record.retCode !== undefined ? ` ret_code=${record.retCode}` : ''}${record.httpStatus ? ` http=${record.httpStatus}` : ''}`
      : `ret_code=${record.retCode ?? '?'}`;
    const line = `${record.method} ${record.path} zone=${record.zone} ${outcome} ${record.durationMs}ms`;
    if (record.error) {
      this.log.warn(line);
    } else {
      this.log.info(line);
    }
  }
}
