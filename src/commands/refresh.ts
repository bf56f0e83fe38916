import { Services } from '../services';
import { TreeNode } from '../tree/nodes';

/**
 * From the title bar: everything. From an account, zone or cluster row: that part only. From
 * an error row ("Retry"): the part that failed to load.
 */
export function refresh(services: Services, node?: TreeNode): void {
  const target = node?.kind === 'message' ? node.parent : node;
  if (target?.kind === 'queues' || target?.kind === 'machines') {
    services.model.refreshPart(target);
    return;
  }
  services.model.refresh(target?.kind === 'account' || target?.kind === 'zone' || target?.kind === 'cluster' ? target : undefined);
}
