// The extension's tree, accounts and model in plain Node: the vscode stand-in of the unit
// tests answers the few vscode calls they make. For the bench's parts that count requests
// or watch memory over many refreshes, which a real VS Code would take hours for.
import '../../test/unit/support/fakeVscode';
import { EventEmitter, settings } from '../../test/unit/support/fakeVscode';
import type * as vscode from 'vscode';
import { LEGACY_SECRET_KEY, secretKeyFor, type AccountSetting } from '../../src/accounts/accounts';
import { Accounts } from '../../src/accounts/registry';
import { CredentialStore } from '../../src/accounts/credentialStore';
import type { EhpcClient } from '../../src/ehpc/client';
import { ClusterModel } from '../../src/tree/model';
import { BusyMarks } from '../../src/tree/busyMarks';
import { TreeNode } from '../../src/tree/nodes';
import { ClusterTreeProvider } from '../../src/tree/provider';
import { partRows } from '../../test/unit/support/partRows';
import type { Simulator } from '../../simulator/server';

export interface StandIn {
  model: ClusterModel;
  provider: ClusterTreeProvider;
  accounts: Accounts;
  /** The first account's name (with one account, the one the extension makes from ehpc.endpoint). */
  account: string;
  /** The account's client, as the extension's commands get it (default: the first account). */
  client(account?: string): Promise<EhpcClient>;
  log: vscode.LogOutputChannel;
  dispose(): void;
}

/** An account of several: its name, the simulator that serves it (with its own key), its zones. */
export interface StandInAccount {
  name: string;
  simulator: Simulator;
  zones: string[];
}

/** The model and provider, signed in to `simulator`, showing `zones`: one account, set as before accounts existed. */
export function standIn(simulator: Simulator, zones: string[]): StandIn {
  settings.set('ehpc.endpoint', simulator.endpoint);
  settings.set('ehpc.zones', zones);
  return wire(new Map([[LEGACY_SECRET_KEY, keysOf(simulator)]]));
}

/** The same with several accounts, as the user sets them: `ehpc.accounts`, a key each in SecretStorage. */
export function standInAccounts(list: readonly StandInAccount[]): StandIn {
  settings.set('ehpc.accounts', list.map(({ name, simulator, zones }): AccountSetting => ({ name, endpoint: simulator.endpoint, zones })));
  return wire(new Map(list.map(({ name, simulator }) => [secretKeyFor(name), keysOf(simulator)])));
}

/** As activate() puts them together (src/extension.ts). */
function wire(secrets: ReadonlyMap<string, string>): StandIn {
  const log = quietLog();
  const credentials = new CredentialStore(secretsHolding(secrets));
  const accounts = new Accounts(credentials, log);
  const client = (account = accounts.all[0].name) => accounts.connection(account).client();
  const model = new ClusterModel({ client }, accounts.all.map(({ name, zones }) => ({ name, zones })));
  const provider = new ClusterTreeProvider(model, accounts, new BusyMarks(), undefined, partRows);
  return {
    model,
    provider,
    accounts,
    account: accounts.all[0].name,
    client,
    log,
    dispose() {
      model.dispose();
      accounts.dispose();
      credentials.dispose();
      settings.clear();
    },
  };
}

/**
 * Asks for every row and its TreeItem, as VS Code does after the tree changes, one row's
 * children after another: the rows of accounts and zones (shown expanded), and of clusters
 * that were expanded (whose jobs were loaded). Resolves the rows drawn.
 */
export async function drawAll(shown: Pick<StandIn, 'model' | 'provider'>, node?: TreeNode): Promise<TreeNode[]> {
  const rows: TreeNode[] = [];
  for (const child of await shown.provider.getChildren(node)) {
    shown.provider.getTreeItem(child);
    rows.push(child);
    if (child.kind === 'account' || child.kind === 'zone' || (child.kind === 'cluster' && shown.model.loadedJobList(child))) {
      rows.push(...(await drawAll(shown, child)));
    }
  }
  return rows;
}

/** A tree view that is always visible. */
export function visibleView(): Pick<vscode.TreeView<unknown>, 'visible' | 'onDidChangeVisibility'> {
  return { visible: true, onDidChangeVisibility: new EventEmitter<vscode.TreeViewVisibilityChangeEvent>().event };
}

function keysOf(simulator: Simulator): string {
  return JSON.stringify({ accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey });
}

function secretsHolding(stored: ReadonlyMap<string, string>): vscode.SecretStorage {
  return {
    get: (key: string) => Promise.resolve(stored.get(key)),
    store: () => Promise.resolve(),
    delete: () => Promise.resolve(),
    onDidChange: new EventEmitter<vscode.SecretStorageChangeEvent>().event,
  };
}

function quietLog(): vscode.LogOutputChannel {
  const nothing = () => undefined;
  return { info: nothing, warn: nothing, error: nothing, debug: nothing, trace: nothing, appendLine: nothing } as unknown as vscode.LogOutputChannel;
}
