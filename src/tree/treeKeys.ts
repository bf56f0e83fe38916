// The keys of the tree's caches nest (account, then zone, then cluster), so that one prefix
// finds everything below a row.
import { clusterKey } from '../ehpc/batch';
import { ClusterNode } from './nodes';

export function keyOf(cluster: ClusterNode): string {
  return clusterKey(cluster.cluster);
}

/** An account's zone, as the start of its clusters' keys (see clusterKey). */
export function zoneKey(account: string, zone: string): string {
  return `${encodeURIComponent(account)}/${zone}`;
}

/** What the keys of an account's zones and clusters begin with. */
export function accountPrefix(account: string): string {
  return `${encodeURIComponent(account)}/`;
}

/** What the keys of a zone's clusters begin with. */
export function zonePrefix(account: string, zone: string): string {
  return `${zoneKey(account, zone)}/`;
}

/** Drops the keys under `prefix` (everything when undefined). */
export function dropUnder(keys: Map<string, unknown> | Set<string>, prefix: string | undefined): void {
  for (const key of [...keys.keys()]) {
    if (prefix === undefined || `${key}/`.startsWith(prefix)) {
      keys.delete(key);
    }
  }
}
