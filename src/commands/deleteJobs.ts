// Delete Jobs from the tree, by its context menu or the Delete key; afterwards the keyboard
// outline goes to the row after the deleted ones, as in the Explorer, unless the user has
// selected other rows or gone to an editor while the jobs were being deleted.
import * as vscode from 'vscode';
import { Services } from '../services';
import { deleteAction } from '../batch/actions';
import { BatchResult } from '../batch/runner';
import { runJobAction } from './jobAction';
import { ClusterNode, isJobNode, jobsFromTree } from '../tree/nodes';
import { revealRow } from '../tree/reveal';
import { watchUserMoves } from './userMoves';

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
  return deleteJobs(services, target, selection);
}

/** Delete Jobs on the clicked row (and the selection it is part of); the palette's pickers without one. */
export async function deleteJobs(services: Services, clicked?: unknown, selection?: unknown): Promise<BatchResult | undefined> {
  const next = isJobNode(clicked) ? rowsAfter(services, clicked.parent, jobsFromTree(clicked, selection).map((job) => job.hpcjobUuid)) : undefined;
  const moves = watchUserMoves(services.treeView, isJobNode(clicked) ? [clicked] : []);
  let result: BatchResult | undefined;
  try {
    result = await runJobAction(services, deleteAction, clicked, selection);
  } finally {
    moves.dispose();
  }
  // Only in a view on screen (a delete run from elsewhere does not open it), and only if the
  // user is still where the delete began.
  if (result && next && services.treeView.visible && !moves.moved) {
    await focusFirstLeft(services, next);
  }
  return result;
}

interface RowsAfter {
  readonly cluster: ClusterNode;
  /** The cluster's other jobs, nearest first: those below the deleted ones, then those above. */
  readonly candidates: readonly string[];
}

function rowsAfter(services: Services, cluster: ClusterNode, deleted: readonly string[]): RowsAfter {
  const ids = services.model.loadedJobList(cluster)?.nodes.map((node) => node.job.hpcjobUuid) ?? [];
  const gone = new Set(deleted);
  const positions = ids.flatMap((id, index) => (gone.has(id) ? [index] : []));
  const last = positions.length > 0 ? Math.max(...positions) : -1;
  const first = positions.length > 0 ? Math.min(...positions) : ids.length;
  const below = ids.slice(last + 1).filter((id) => !gone.has(id));
  const above = ids.slice(0, first).filter((id) => !gone.has(id)).reverse();
  return { cluster, candidates: [...below, ...above] };
}

/** The outline on the nearest job still listed, else on the cluster; nothing selected. */
async function focusFirstLeft(services: Services, { cluster, candidates }: RowsAfter): Promise<void> {
  const nodes = services.model.loadedJobList(cluster)?.nodes ?? [];
  const next = candidates.map((id) => nodes.find((node) => node.job.hpcjobUuid === id)).find((node) => node !== undefined);
  try {
    await revealRow(services.treeView, next ?? cluster, { select: false, focus: true });
  } catch (error) {
    services.log.warn(`Could not move the focus after a delete: ${error instanceof Error ? error.message : String(error)}`);
  }
}
