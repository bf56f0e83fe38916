import * as vscode from 'vscode';
import { EhpcError } from '../ehpc/errors';
import { Credentials } from '../ehpc/signing';

// Both halves of the key live in SecretStorage: the access key id is logged nowhere either.
const SECRET_KEY = 'ehpc.credentials';

export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires on sign-in or sign-out, in this window or any other. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private changes = 0;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_KEY) {
        this.changes++;
        this.changed.fire();
      }
    });
  }

  /**
   * Grows with every sign-in and sign-out, here or in another window, from the moment it is
   * asked for (before the keyring answers): work begun under one key compares it to stop.
   */
  get generation(): number {
    return this.changes;
  }

  async get(): Promise<Credentials | undefined> {
    const stored = await keyring(() => this.secrets.get(SECRET_KEY));
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

  store(credentials: Credentials): Promise<void> {
    this.changes++;
    return keyring(() => this.secrets.store(SECRET_KEY, JSON.stringify(credentials)));
  }

  delete(): Promise<void> {
    this.changes++;
    return keyring(() => this.secrets.delete(SECRET_KEY));
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
