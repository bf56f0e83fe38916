import * as vscode from 'vscode';
import { Credentials } from '../ehpc/signing';

// Both halves of the key live in SecretStorage: the access key id is logged nowhere either.
const SECRET_KEY = 'ehpc.credentials';

export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires on sign-in or sign-out, in this window or any other. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_KEY) {
        this.changed.fire();
      }
    });
  }

  async get(): Promise<Credentials | undefined> {
    const stored = await this.secrets.get(SECRET_KEY);
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

  store(credentials: Credentials): Thenable<void> {
    return this.secrets.store(SECRET_KEY, JSON.stringify(credentials));
  }

  delete(): Thenable<void> {
    return this.secrets.delete(SECRET_KEY);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
