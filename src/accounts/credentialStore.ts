// Where each account's key is kept: VS Code's SecretStorage, bound to the endpoint it was checked for.
import * as vscode from 'vscode';
import { Account, LEGACY_SECRET_KEY } from './accounts';
import { endpointIdentity } from '../ehpc/endpoint';
import { EhpcError } from '../ehpc/errors';
import { Credentials } from '../ehpc/signing';

// Both halves of each account's key live in SecretStorage, one entry per account (its
// `secretKey`): the access key id is logged nowhere either. The entry also holds the endpoint
// the key was entered and checked for: a key is used with that endpoint only, so an account
// whose endpoint is edited in the settings is signed out rather than sending its key there.

type KeyOf = Pick<Account, 'secretKey'>;
/** An account as far as its key is concerned: where the key lives, and where it may be sent. */
type Bound = Pick<Account, 'secretKey' | 'endpoint'>;

/** What an entry holds: the key pair and, from this version on, the endpoint it is bound to. */
interface Entry {
  credentials: Credentials;
  endpoint: string | undefined;
}

/** Where an earlier version's entry keeps its endpoint: the extension's global state. */
export interface BindingState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the secret key of an account signed in or out, in this window or any other. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly changes = new Map<string, number>();

  /** Without `bindings` (tests), the bindings of earlier entries last while the store lives. */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly bindings: BindingState = memoryState(),
  ) {
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

  /** The account's key, if it was entered for the endpoint the account has now. */
  async get(account: Bound): Promise<Credentials | undefined> {
    const entry = await this.read(account);
    return entry && entry.endpoint === endpointIdentity(account.endpoint) ? entry.credentials : undefined;
  }

  /**
   * The endpoint the account's key was entered for, when that is not the account's endpoint
   * any more (the settings were edited, or an entry of that name had another endpoint).
   */
  async boundElsewhere(account: Bound): Promise<string | undefined> {
    const entry = await this.read(account);
    return entry?.endpoint !== undefined && entry.endpoint !== endpointIdentity(account.endpoint) ? entry.endpoint : undefined;
  }

  /**
   * Once, at the first activation of this version: an earlier version's entry (it holds no
   * endpoint) of each account listed now is bound to that account's endpoint, where it was
   * used, and its user stays signed in. An entry no account named then is bound to nothing:
   * an account of that name added later, at whatever endpoint, signs in again.
   */
  bindEarlierEntries(accounts: readonly Bound[]): void {
    if (this.bindings.get(BOUND_ONCE_KEY) === true) {
      return;
    }
    for (const account of accounts) {
      const key = bindingKey(account);
      if (typeof this.bindings.get(key) !== 'string') {
        Promise.resolve(this.bindings.update(key, endpointIdentity(account.endpoint))).catch(() => undefined);
      }
    }
    Promise.resolve(this.bindings.update(BOUND_ONCE_KEY, true)).catch(() => undefined);
  }

  async store(account: Bound, credentials: Credentials): Promise<void> {
    this.bump(account.secretKey);
    await keyring(() => this.secrets.store(account.secretKey, serialise(account, credentials)));
    this.unbind(account);
  }

  /**
   * An entry of an earlier version holds no endpoint: it is bound where bindEarlierEntries
   * bound it, and to nothing (no key) otherwise. The binding is kept beside the secret, never
   * written into it: SecretStorage cannot replace a value only if it is still the one read,
   * so writing the old key back could undo a sign-out or overwrite a key entered meanwhile
   * (here or in another window), and its change event could not be told apart.
   */
  private async read(account: Bound): Promise<Entry | undefined> {
    const entry = parse(await keyring(() => this.secrets.get(account.secretKey)));
    if (!entry || entry.endpoint !== undefined) {
      return entry;
    }
    const endpoint = this.bindings.get<unknown>(bindingKey(account));
    return typeof endpoint === 'string' ? { ...entry, endpoint } : undefined;
  }

  async delete(account: KeyOf): Promise<void> {
    this.bump(account.secretKey);
    await keyring(() => this.secrets.delete(account.secretKey));
    this.unbind(account);
  }

  /** The entry now holds its endpoint, or is gone: an earlier binding would be stale. */
  private unbind(account: KeyOf): void {
    const key = bindingKey(account);
    if (this.bindings.get(key) !== undefined) {
      Promise.resolve(this.bindings.update(key, undefined)).catch(() => undefined);
    }
  }

  private bump(secretKey: string): void {
    this.changes.set(secretKey, this.generation({ secretKey }) + 1);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Set once bindEarlierEntries has run: later lists of accounts bind nothing. */
const BOUND_ONCE_KEY = 'ehpc.keyEndpointsBound';

function bindingKey(account: KeyOf): string {
  return `ehpc.keyEndpoint:${account.secretKey}`;
}

function memoryState(): BindingState {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
  };
}

function serialise(account: Bound, { accessKeyId, secretAccessKey }: Credentials): string {
  return JSON.stringify({ accessKeyId, secretAccessKey, endpoint: endpointIdentity(account.endpoint) });
}

/** An unreadable entry is no key: treated as signed out, and replaced at the next sign-in. */
function parse(stored: string | undefined): Entry | undefined {
  if (!stored) {
    return undefined;
  }
  try {
    const value = JSON.parse(stored) as Partial<Credentials> & { endpoint?: unknown };
    if (typeof value.accessKeyId === 'string' && typeof value.secretAccessKey === 'string') {
      const endpoint = typeof value.endpoint === 'string' ? value.endpoint : undefined;
      return { credentials: { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey }, endpoint };
    }
  } catch {
    // fall through
  }
  return undefined;
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
