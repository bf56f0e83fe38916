import { Services } from '../services';
import { TreeNode } from '../tree/nodes';
import { revealRow } from '../tree/reveal';

/** "Load More...": the cluster's next page of jobs; the outline then on the first job it added. */
export async function loadMore(services: Services, node?: TreeNode): Promise<void> {
  if (node?.kind !== 'cluster') {
    return;
  }
  const shown = services.model.loadedJobList(node)?.nodes.length ?? 0;
  await services.model.loadMore(node);
  const first = services.model.loadedJobList(node)?.nodes[shown];
  // Only in a view on screen: a Load More run from elsewhere does not open it.
  if (first && services.treeView.visible) {
    try {
      await revealRow(services.treeView, first, { select: false, focus: true });
    } catch (error) {
      services.log.warn(`Could not move the focus to the jobs loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
