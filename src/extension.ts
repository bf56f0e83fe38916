// Wiring only: build the services, register the view and the commands.
import * as vscode from 'vscode';
import { CredentialStore } from './auth/credentialStore';
import { deleteJobs } from './commands/deleteJobs';
import { registerCommand } from './commands/errors';
import { refresh } from './commands/refresh';
import { signIn } from './commands/signIn';
import { signOut } from './commands/signOut';
import { readSettings } from './config';
import { Connection } from './connection';
import { Services } from './services';
import { ClusterModel } from './tree/model';
import { ClusterTreeProvider } from './tree/provider';
import { vscodePrompts } from './ui/prompts';

/** Returned from activate(): what the extension-host tests drive. Not a stable API. */
export interface ExtensionApi extends Services {
  readonly provider: ClusterTreeProvider;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('EHPC', { log: true });
  const credentials = new CredentialStore(context.secrets);
  const connection = new Connection(credentials, log);
  const model = new ClusterModel(connection, readSettings().zones);
  const provider = new ClusterTreeProvider(model, connection);
  const treeView = vscode.window.createTreeView('ehpc.clusters', {
    treeDataProvider: provider,
    canSelectMany: true,
    showCollapseAll: true,
  });
  const services: ExtensionApi = { log, credentials, connection, model, treeView, provider, prompts: vscodePrompts };

  const updateSignedIn = async () => {
    await vscode.commands.executeCommand('setContext', 'ehpc.signedIn', await connection.isSignedIn());
    model.refresh();
  };
  void updateSignedIn();

  context.subscriptions.push(
    log,
    credentials,
    model,
    treeView,
    credentials.onDidChange(updateSignedIn),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ehpc.zones')) {
        model.setZones(readSettings().zones);
      } else if (event.affectsConfiguration('ehpc.endpoint')) {
        model.refresh();
      }
    }),
    registerCommand('ehpc.signIn', log, () => signIn(services)),
    registerCommand('ehpc.signOut', log, () => signOut(services)),
    registerCommand('ehpc.refresh', log, (node) => refresh(services, node)),
    registerCommand('ehpc.deleteJobs', log, (clicked, selection) => deleteJobs(services, clicked, selection)),
  );
  return services;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
