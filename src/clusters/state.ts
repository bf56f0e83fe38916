// A cluster's state in one word, from its status and the transition under way: what the rows,
// Start and Stop and the idle guard go by. No `vscode` import: it runs in plain Node.
import { Cluster } from '../ehpc/types';

export type ClusterState = 'active' | 'stopped' | 'starting' | 'stopping' | 'pending' | 'suspended' | 'unknown';

const STATUSES: readonly ClusterState[] = ['active', 'stopped', 'starting', 'stopping', 'pending', 'suspended'];

/**
 * A transition under way wins over the status (a stopping cluster still lists as active). A
 * transition the API does not document, or a status it does not, is 'unknown': nothing is
 * offered or assumed for such a cluster. `starting`/`stopping` sent as the status itself are
 * read too.
 */
export function clusterState(cluster: Pick<Cluster, 'status' | 'transitionStatus'>): ClusterState {
  const transition = cluster.transitionStatus;
  if (transition !== undefined) {
    return transition;
  }
  const status = typeof cluster.status === 'string' ? cluster.status.trim().toLowerCase() : '';
  return STATUSES.find((known) => known === status) ?? 'unknown';
}

/** A start or stop is under way. */
export function inTransition(state: ClusterState): boolean {
  return state === 'starting' || state === 'stopping';
}
