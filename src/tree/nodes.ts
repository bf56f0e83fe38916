// The tree's elements: plain data with parent links (for TreeView.reveal and getParent).
import { clusterKey } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { Cluster, ClusterMachine, Job, Queue, QueueLoad } from '../ehpc/types';

/** An account's row: shown only when there are several accounts. */
export interface AccountNode {
  readonly kind: 'account';
  readonly account: string;
}

export interface ZoneNode {
  readonly kind: 'zone';
  readonly account: string;
  readonly zone: string;
  readonly parent: AccountNode | undefined;
}

export interface ClusterNode {
  readonly kind: 'cluster';
  /** Replaced in place when the cluster list is loaded again, so the node keeps its identity. */
  cluster: Cluster;
  readonly parent: ZoneNode | AccountNode | undefined;
}

export interface JobNode {
  readonly kind: 'job';
  job: Job;
  readonly parent: ClusterNode;
}

/** "Queues" under a cluster, before its jobs: its queues are listed when it is expanded. */
export interface QueuesNode {
  readonly kind: 'queues';
  readonly parent: ClusterNode;
}

/** "Nodes" under a cluster (its machines: login, controller, compute), listed when expanded. */
export interface MachinesNode {
  readonly kind: 'machines';
  readonly parent: ClusterNode;
}

export interface QueueNode {
  readonly kind: 'queue';
  readonly queue: Queue;
  /** Its load, when describeQueue answered. */
  readonly load?: QueueLoad;
  /** Why describeQueue did not answer, in the user's words. */
  readonly loadError?: string;
  /** Its load was not asked: it comes after the queues that show theirs. */
  readonly loadSkipped?: boolean;
  readonly parent: QueuesNode;
}

export interface MachineNode {
  readonly kind: 'machine';
  readonly machine: ClusterMachine;
  /** The loaded jobs of the cluster that run on it (their job_node_list names it). */
  readonly jobs: readonly Job[];
  readonly parent: MachinesNode;
}

/** "Load More..." at the end of a cluster's jobs while the server has more. */
export interface LoadMoreNode {
  readonly kind: 'loadMore';
  readonly parent: ClusterNode;
}

/** A row that is not a resource: an error, or "no jobs". */
export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly text: string;
  readonly error?: EhpcError;
  /** The account whose key an error row's Sign In Again replaces. */
  readonly account?: string;
  /** A zone the endpoint does not know: the row offers Edit Zones... instead of Retry. */
  readonly zone?: string;
  readonly parent: AccountNode | ZoneNode | ClusterNode | QueuesNode | MachinesNode | undefined;
}

export type TreeNode = AccountNode | ZoneNode | ClusterNode | QueuesNode | MachinesNode | QueueNode | MachineNode | JobNode | LoadMoreNode | MessageNode;

/** A command's argument as a tree row, if it is one (commands can be run with anything). */
export function asTreeNode(value: unknown): TreeNode | undefined {
  const kinds: unknown[] = ['account', 'zone', 'cluster', 'queues', 'machines', 'queue', 'machine', 'job', 'loadMore', 'message'];
  return typeof value === 'object' && value !== null && kinds.includes((value as { kind?: unknown }).kind) ? (value as TreeNode) : undefined;
}

export function isJobNode(value: unknown): value is JobNode {
  return typeof value === 'object' && value !== null && (value as TreeNode).kind === 'job';
}

/**
 * The jobs a tree command acts on, from the clicked row and the selection VS Code passes:
 * the selection if the clicked row is part of it, else the clicked row alone; jobs only. A job
 * row is compared by its job (account, zone, cluster and id), not as an object.
 */
export function jobsFromTree(clicked: unknown, selection: unknown): Job[] {
  const rows = Array.isArray(selection) && selection.some((row) => row === clicked || sameJob(row, clicked)) ? selection : [clicked];
  return rows.filter(isJobNode).map((node) => node.job);
}

function sameJob(a: unknown, b: unknown): boolean {
  return isJobNode(a) && isJobNode(b) && a.job.hpcjobUuid === b.job.hpcjobUuid && clusterKey(a.job) === clusterKey(b.job);
}
