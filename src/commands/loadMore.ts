import { Services } from '../services';
import { TreeNode } from '../tree/nodes';
import { revealRow } from '../tree/reveal';
import { watchUserMoves } from './userMoves';

/**
 * "Load More...": the cluster's next page of jobs; the outline then on the first job it added,
 * unless the user has selected another row or gone to an editor while the page was loading.
 */
export async function loadMore(services: Services, node?: TreeNode): Promise<void> {
  if (node?.kind !== 'cluster') {
    return;
  }
  const shown = services.model.loadedJobList(node)?.nodes.length ?? 0;
  const moves = watchUserMoves(services.treeView, [{ kind: 'loadMore', parent: node }]);
  try {
    await services.model.loadMore(node);
  } finally {
    moves.dispose();
  }
  const first = services.model.loadedJobList(node)?.nodes[shown];
  // Only in a view on screen (a Load More run from elsewhere does not open it), and only if the
  // user is still where Load More began.
  if (first && services.treeView.visible && !moves.moved) {
    try {
      await revealRow(services.treeView, first, { select: false, focus: true });
    } catch (error) {
      services.log.warn(`Could not move the focus to the jobs loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
