import * as vscode from 'vscode';
import { asTreeNode } from '../tree/nodes';

/**
 * "Copy IP Address" on a node row: its only address, or the one picked when it has a public
 * and a private one. Resolves what was copied, for tests.
 */
export async function copyNodeIp(clicked: unknown): Promise<string | undefined> {
  const node = asTreeNode(clicked);
  if (node?.kind !== 'machine') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select a node of a cluster to copy its IP address.'));
    return undefined;
  }
  const { eip, privateIp, name } = node.machine;
  const choices = [
    ...(eip ? [{ label: eip, description: vscode.l10n.t('Public IP') }] : []),
    ...(privateIp && privateIp !== eip ? [{ label: privateIp, description: vscode.l10n.t('Private IP') }] : []),
  ];
  if (choices.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Node {0} lists no IP address.', name));
    return undefined;
  }
  const picked = choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { placeHolder: vscode.l10n.t('IP address of {0} to copy', name) });
  if (!picked) {
    return undefined;
  }
  await vscode.env.clipboard.writeText(picked.label);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied IP address {0}', picked.label), 3000);
  return picked.label;
}
