import * as vscode from 'vscode';
import { Account, LEGACY_SECRET_KEY } from '../accounts/accounts';
import { EhpcError } from '../ehpc/errors';
import { Credentials } from '../ehpc/signing';

// Both halves of each account's key live in SecretStorage, one entry per account (its
// `secretKey`): the access key id is logged nowhere either.

type KeyOf = Pick<Account, 'secretKey'>;

export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the secret key of an account signed in or out, in this window or any other. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly changes = new Map<string, number>();

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === LEGACY_SECRET_KEY || event.key.startsWith(`${LEGACY_SECRET_KEY}/`)) {
        this.bump(event.key);
        this.changed.fire(event.key);
      }
    });
  }

  /**
   * Grows with every sign-in and sign-out of the account, here or in another window, from
   * the moment it is asked for (before the keyring answers): work begun under one key
   * compares it to stop.
   */
  generation(account: KeyOf): number {
    return this.changes.get(account.secretKey) ?? 0;
  }

  async get(account: KeyOf): Promise<Credentials | undefined> {
    const stored = await keyring(() => this.secrets.get(account.secretKey));
    if (!stored) {
      return undefined;
    }
    try {
      const value = JSON.parse(stored) as Partial<Credentials>;
      if (typeof value.accessKeyId === 'string' && typeof value.secretAccessKey === 'string') {
        return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey };
      }
    } catch {
      // Unreadable: treated as signed out, and replaced at the next sign-in.
    }
    return undefined;
  }

  store(account: KeyOf, credentials: Credentials): Promise<void> {
    this.bump(account.secretKey);
    return keyring(() => this.secrets.store(account.secretKey, JSON.stringify(credentials)));
  }

  delete(account: KeyOf): Promise<void> {
    this.bump(account.secretKey);
    return keyring(() => this.secrets.delete(account.secretKey));
  }

  private bump(secretKey: string): void {
    this.changes.set(secretKey, this.generation({ secretKey }) + 1);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/**
 * SecretStorage fails where the OS has no usable keyring (Linux without gnome-keyring or
 * KWallet, a locked keyring): say so and what to do, rather than act signed out.
 */
async function keyring<T>(operation: () => Thenable<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EhpcError(
      'keyring',
      'VS Code could not use the system keyring, where your EHPC key is kept ({0}). On Linux, install and unlock a keyring such as gnome-keyring or KWallet, then reload the window.',
      [reason.slice(0, 200)],
    );
  }
}
