import { Services } from '../services';
import { TreeNode } from '../tree/nodes';

/** "Load More...": the cluster's next page of jobs. */
export async function loadMore(services: Services, node?: TreeNode): Promise<void> {
  if (node?.kind === 'cluster') {
    await services.model.loadMore(node);
  }
}
