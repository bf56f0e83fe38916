// A SecretStorage that answers as VS Code's does: every call is a round trip to another
// process, and the change event of a write reaches the extension just before the write's own
// reply. Another window's write lands between two round trips of this one.
import type * as vscode from 'vscode';
import { EventEmitter } from './fakeVscode';

const roundTrip = () => new Promise<void>((resolve) => setImmediate(resolve));

export class RoundTripSecrets {
  readonly entries = new Map<string, string>();
  /** Every write this window sent, in order: `undefined` for a delete. */
  readonly writes: [string, string | undefined][] = [];
  private readonly changes = new EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changes.event;

  async get(key: string): Promise<string | undefined> {
    await roundTrip();
    return this.entries.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.writes.push([key, value]);
    await roundTrip();
    this.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.writes.push([key, undefined]);
    await roundTrip();
    this.set(key, undefined);
  }

  keys(): Promise<string[]> {
    return Promise.resolve([...this.entries.keys()]);
  }

  /** Another window signs in (a value) or out (undefined) under `key`, one round trip from now. */
  async changeElsewhere(key: string, value: string | undefined): Promise<void> {
    await roundTrip();
    this.set(key, value);
  }

  private set(key: string, value: string | undefined): void {
    if (value === undefined) {
      this.entries.delete(key);
    } else {
      this.entries.set(key, value);
    }
    this.changes.fire({ key });
  }
}

/** Lets every round trip under way land. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await roundTrip();
  }
}
