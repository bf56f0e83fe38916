// The extension's tree, connection and model in plain Node: the vscode stand-in of the unit
// tests answers the few vscode calls they make. For the bench's parts that count requests
// or watch memory over many refreshes, which a real VS Code would take hours for.
import '../../test/unit/support/fakeVscode';
import { EventEmitter, settings } from '../../test/unit/support/fakeVscode';
import type * as vscode from 'vscode';
import { CredentialStore } from '../../src/auth/credentialStore';
import { Connection } from '../../src/connection';
import { ClusterModel } from '../../src/tree/model';
import { BusyMarks } from '../../src/tree/busyMarks';
import { TreeNode } from '../../src/tree/nodes';
import { ClusterTreeProvider } from '../../src/tree/provider';
import type { Simulator } from '../../simulator/server';

export interface StandIn {
  model: ClusterModel;
  provider: ClusterTreeProvider;
  connection: Connection;
  log: vscode.LogOutputChannel;
  dispose(): void;
}

/** The model and provider, signed in to `simulator`, showing `zones`. */
export function standIn(simulator: Simulator, zones: string[]): StandIn {
  settings.set('ehpc.endpoint', simulator.endpoint);
  settings.set('ehpc.zones', zones);
  const log = quietLog();
  const credentials = new CredentialStore(secretsHolding({ accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey }));
  const connection = new Connection(credentials, log);
  const model = new ClusterModel(connection, zones);
  const provider = new ClusterTreeProvider(model, connection, new BusyMarks());
  return {
    model,
    provider,
    connection,
    log,
    dispose() {
      model.dispose();
      credentials.dispose();
      settings.clear();
    },
  };
}

/**
 * Asks for every row and its TreeItem, as VS Code does after the tree changes: the rows of
 * zones, and of clusters that were expanded (whose jobs were loaded).
 */
export async function drawAll(shown: Pick<StandIn, 'model' | 'provider'>, node?: TreeNode): Promise<void> {
  for (const child of await shown.provider.getChildren(node)) {
    shown.provider.getTreeItem(child);
    if (child.kind === 'zone' || (child.kind === 'cluster' && shown.model.loadedJobList(child))) {
      await drawAll(shown, child);
    }
  }
}

/** A tree view that is always visible. */
export function visibleView(): Pick<vscode.TreeView<unknown>, 'visible' | 'onDidChangeVisibility'> {
  return { visible: true, onDidChangeVisibility: new EventEmitter<vscode.TreeViewVisibilityChangeEvent>().event };
}

function secretsHolding(credentials: { accessKeyId: string; secretAccessKey: string }): vscode.SecretStorage {
  const stored = JSON.stringify(credentials);
  return {
    get: () => Promise.resolve(stored),
    store: () => Promise.resolve(),
    delete: () => Promise.resolve(),
    onDidChange: new EventEmitter<vscode.SecretStorageChangeEvent>().event,
  };
}

function quietLog(): vscode.LogOutputChannel {
  const nothing = () => undefined;
  return { info: nothing, warn: nothing, error: nothing, debug: nothing, trace: nothing, appendLine: nothing } as unknown as vscode.LogOutputChannel;
}
