import { Services } from '../services';
import { TreeNode } from '../tree/nodes';

/** From the title bar: everything. From a zone or cluster row: that part only. */
export function refresh(services: Services, node?: TreeNode): void {
  services.model.refresh(node?.kind === 'zone' || node?.kind === 'cluster' ? node : undefined);
}
