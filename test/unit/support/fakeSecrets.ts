// An in-memory SecretStorage: what CredentialStore reads and writes, and the change events
// VS Code sends for this window's writes and for another window's.
import type * as vscode from 'vscode';
import { EventEmitter } from './fakeVscode';

export class FakeSecrets {
  readonly entries = new Map<string, string>();
  private readonly changes = new EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changes.event;
  /** Set: every call fails, as a locked or missing keyring does. */
  broken: Error | undefined;

  get(key: string): Promise<string | undefined> {
    return this.broken ? Promise.reject(this.broken) : Promise.resolve(this.entries.get(key));
  }

  store(key: string, value: string): Promise<void> {
    if (this.broken) {
      return Promise.reject(this.broken);
    }
    this.entries.set(key, value);
    this.changes.fire({ key });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    if (this.broken) {
      return Promise.reject(this.broken);
    }
    this.entries.delete(key);
    this.changes.fire({ key });
    return Promise.resolve();
  }

  keys(): Promise<string[]> {
    return Promise.resolve([...this.entries.keys()]);
  }

  /** Another window signed in (a value) or out (undefined) under `key`. */
  changeElsewhere(key: string, value: string | undefined): void {
    if (value === undefined) {
      this.entries.delete(key);
    } else {
      this.entries.set(key, value);
    }
    this.changes.fire({ key });
  }
}
