// The Delete key on the tree's focused row.
import * as vscode from 'vscode';
import { Services } from '../services';
import { deleteAction } from '../batch/actions';
import { BatchResult } from '../batch/runner';
import { runJobAction } from './jobAction';

/**
 * The Delete key in the tree, as the Explorer's: the row the keyboard outline is on (`focused`,
 * which the keybinding asks VS Code for) with the rest of the selection when it is part of it,
 * else that row alone; the selection when no row has the outline. Never the palette's pickers.
 */
export function deleteSelection(services: Services, focused?: unknown): Promise<BatchResult | undefined> {
  const selection = services.treeView.selection;
  const target = focused ?? selection[0];
  if (target === undefined) {
    void vscode.window.showInformationMessage(deleteAction.phrases.selectSome);
    return Promise.resolve(undefined);
  }
  return runJobAction(services, deleteAction, target, selection);
}
