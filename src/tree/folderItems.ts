// The two collapsed rows before a cluster's jobs: Queues and Nodes.
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { MachinesNode, QueuesNode } from './nodes';

export function folderItem(node: QueuesNode | MachinesNode): vscode.TreeItem {
  const queues = node.kind === 'queues';
  const item = new vscode.TreeItem(queues ? vscode.l10n.t('Queues') : vscode.l10n.t('Nodes'), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `${queues ? 'queues' : 'nodes'}:${clusterKey(node.parent.cluster)}`;
  item.iconPath = new vscode.ThemeIcon(queues ? 'list-tree' : 'server');
  item.contextValue = queues ? 'queues' : 'nodes';
  return item;
}
