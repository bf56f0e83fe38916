// A command that moves the keyboard focus when it ends (Delete, Load More) may only do so if the
// user is still where the command began: rows they selected meanwhile, or an editor or terminal
// they went to, keep the focus. Otherwise the next Delete key would act on the row the command
// put the outline on, outside the selection the user made.
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { TreeNode } from '../tree/nodes';
import { JOB_DETAIL_SCHEME } from '../ui/jobDetailAddress';

export interface UserMoves extends vscode.Disposable {
  /** The user selected another row, or went to an editor or a terminal, since the watch began. */
  readonly moved: boolean;
}

type SelectionSource = Pick<vscode.TreeView<TreeNode>, 'selection' | 'onDidChangeSelection'>;

/**
 * Watches for the user moving elsewhere from now on; dispose of it when the command ends.
 * `ownRows`: rows the gesture that ran the command may select after it began (the row clicked
 * or entered), which are no move.
 */
export function watchUserMoves(treeView: SelectionSource, ownRows: readonly TreeNode[] = []): UserMoves {
  const before = new Set([...treeView.selection, ...ownRows].map(rowKey));
  const editorBefore = vscode.window.activeTextEditor && editorKey(vscode.window.activeTextEditor);
  let moved = false;
  const subscriptions = [
    // The rows deleted leave the selection: only a row that was not selected is a move.
    treeView.onDidChangeSelection(({ selection }) => {
      moved ||= selection.some((node) => !before.has(rowKey(node)));
    }),
    // Another editor. Not none: a modal question (Delete's) leaves the editor and comes back.
    // Nor a job's details: a row's click or Enter previews them, the keyboard left in the tree.
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      moved ||= editor !== undefined && editor.document.uri.scheme !== JOB_DETAIL_SCHEME && editorKey(editor) !== editorBefore;
    }),
    // A kind says the user (or a command they ran) moved the cursor, not an edit of the text.
    vscode.window.onDidChangeTextEditorSelection(({ kind }) => {
      moved ||= kind !== undefined;
    }),
    vscode.window.onDidChangeActiveTerminal(() => {
      moved = true;
    }),
  ];
  return {
    get moved() {
      return moved;
    },
    dispose: () => {
      for (const subscription of subscriptions) {
        subscription.dispose();
      }
    },
  };
}

/** A row as the same row after the tree draws it again (job and cluster nodes may be new objects). */
function rowKey(node: TreeNode): unknown {
  switch (node.kind) {
    case 'job':
      return `job:${clusterKey(node.job)}/${node.job.hpcjobUuid}`;
    case 'cluster':
      return `cluster:${clusterKey(node.cluster)}`;
    case 'loadMore':
      return `loadMore:${clusterKey(node.parent.cluster)}`;
    default:
      return node;
  }
}

function editorKey(editor: vscode.TextEditor): string {
  return `${editor.viewColumn ?? ''} ${editor.document.uri.toString()}`;
}
