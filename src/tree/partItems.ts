// How the rows under a cluster's Queues and Nodes look (a queue with its load, a node with its
// role, state, size, addresses and the jobs on it), and Load More. Loaded with the commands (lazy/parts.ts) when
// such a row is first drawn, not at activation.
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { MAX_NODE_NAMES, parseNodeList } from '../ehpc/nodeList';
import { ClusterMachine, Job, Queue, QueueLoad } from '../ehpc/types';
import { labelled, listOf } from '../text/punctuation';
import { freeSlotsText } from '../text/slots';
import { clusterStatusLabel, nodeHealthLabel, nodeRoleLabel } from '../text/statusLabels';
import { QUEUE_LOADS } from '../ehpc/queueLoads';
import { code, escape, markdown } from './items';
import { MachineNode, QueueNode } from './nodes';

export function queueItem(node: QueueNode): vscode.TreeItem {
  const { queue, load } = node;
  const item = new vscode.TreeItem(queue.name, vscode.TreeItemCollapsibleState.None);
  item.id = `queue:${clusterKey(node.parent.parent.cluster)}/${queue.queueId}`;
  item.description = queueDescription(queue, load);
  item.iconPath = new vscode.ThemeIcon('list-ordered');
  item.contextValue = 'queue';
  const lines = [`**${escape(queue.name)}**`, ''];
  const fields: [string, string | number | undefined][] = [
    [vscode.l10n.t('Queue ID'), code(queue.queueId)],
    [vscode.l10n.t('Partition'), queue.partitionName && escape(queue.partitionName)],
    [vscode.l10n.t('Default queue'), queue.isDefault ? vscode.l10n.t('yes') : vscode.l10n.t('no')],
    [vscode.l10n.t('Per node'), perNode(queue)],
    [vscode.l10n.t('Nodes'), queue.nodeCount],
    [vscode.l10n.t('Running jobs'), load?.runningJobs],
    [vscode.l10n.t('Pending jobs'), load?.pendingJobs],
    [vscode.l10n.t('Free slots'), load?.freeSlots === undefined ? undefined : load.totalSlots === undefined ? load.freeSlots : vscode.l10n.t('{0} of {1}', load.freeSlots, load.totalSlots)],
    [vscode.l10n.t('Load'), node.loadError ? escape(node.loadError) : node.loadSkipped ? escape(vscode.l10n.t('not shown: only the first {0} queues of a cluster show their load', QUEUE_LOADS)) : undefined],
  ];
  for (const [name, value] of fields) {
    if (value !== undefined && value !== '') {
      lines.push(labelled(name, value));
    }
  }
  item.tooltip = markdown(lines);
  return item;
}

/** "compute · default · 8 cores/node · 2 running, 1 pending, 12 free slots". */
export function queueDescription(queue: Queue, load: QueueLoad | undefined): string {
  const parts = [
    queue.partitionName && queue.partitionName !== queue.name ? queue.partitionName : undefined,
    queue.isDefault ? vscode.l10n.t('default') : undefined,
    queue.coresPerNode !== undefined ? vscode.l10n.t('{0} cores/node', queue.coresPerNode) : undefined,
    load ? loadText(load) : undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The load as describeQueue gave it; each figure only when it did. */
export function loadText(load: QueueLoad): string | undefined {
  const parts = [
    load.runningJobs !== undefined ? vscode.l10n.t('{0} running', load.runningJobs) : undefined,
    load.pendingJobs !== undefined ? vscode.l10n.t('{0} pending', load.pendingJobs) : undefined,
    freeSlotsText(load.freeSlots),
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? listOf(parts) : undefined;
}


/** "8 cores, 32 GB memory, 1 GPUs": one node of the queue. */
function perNode(queue: Queue): string | undefined {
  const parts = [
    queue.coresPerNode !== undefined ? vscode.l10n.t('{0} cores', queue.coresPerNode) : undefined,
    queue.memPerNodeGb !== undefined ? vscode.l10n.t('{0} GB memory', queue.memPerNodeGb) : undefined,
    queue.gpusPerNode ? vscode.l10n.t('{0} GPUs', queue.gpusPerNode) : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? listOf(parts) : undefined;
}

const ROLE_ICONS: Record<string, string> = { login: 'terminal', controller: 'server-process', compute: 'vm' };

export function machineItem(node: MachineNode): vscode.TreeItem {
  const { machine, jobs } = node;
  const item = new vscode.TreeItem(machine.name, vscode.TreeItemCollapsibleState.None);
  item.id = `node:${clusterKey(node.parent.parent.cluster)}/${machine.nodeId}`;
  item.description = machineDescription(machine, jobs);
  const down = machine.status !== undefined && machine.status !== 'active';
  item.iconPath = new vscode.ThemeIcon(ROLE_ICONS[machine.role] ?? 'vm', down ? new vscode.ThemeColor('disabledForeground') : undefined);
  // Copy IP Address only where there is one to copy.
  item.contextValue = machine.eip || machine.privateIp ? 'clusterNode.ip' : 'clusterNode';
  const fields: [string, string | number | undefined][] = [
    [vscode.l10n.t('Node ID'), code(machine.nodeId)],
    [vscode.l10n.t('Role'), escape(nodeRoleLabel(machine.role))],
    [vscode.l10n.t('Status'), machine.status && escape(clusterStatusLabel(machine.status))],
    [vscode.l10n.t('Health'), machine.health && escape(nodeHealthLabel(machine.health))],
    [vscode.l10n.t('Size'), machineSize(machine)],
    [vscode.l10n.t('Public IP'), machine.eip && code(machine.eip)],
    [vscode.l10n.t('Private IP'), machine.privateIp && code(machine.privateIp)],
    [vscode.l10n.t('Jobs on it'), jobs.length > 0 ? escape(listOf(jobs.map((job) => `${job.name} (${job.hpcjobUuid})`))) : undefined],
  ];
  const lines = [`**${escape(machine.name)}**`, ''];
  for (const [name, value] of fields) {
    if (value !== undefined && value !== '') {
      lines.push(labelled(name, value));
    }
  }
  item.tooltip = markdown(lines);
  return item;
}

/** "compute · active · healthy · 2 jobs". */
export function machineDescription(machine: ClusterMachine, jobs: readonly Job[]): string {
  const parts = [
    nodeRoleLabel(machine.role),
    machine.status && clusterStatusLabel(machine.status),
    machine.health && nodeHealthLabel(machine.health),
    jobs.length === 0 ? undefined : jobs.length === 1 ? vscode.l10n.t('1 job') : vscode.l10n.t('{0} jobs', jobs.length),
  ];
  return parts.filter(Boolean).join(' · ');
}

/** "8 cores, 32 GB memory, 1 GPUs". */
export function machineSize(machine: ClusterMachine): string | undefined {
  const parts = [
    machine.cores !== undefined ? vscode.l10n.t('{0} cores', machine.cores) : undefined,
    machine.memoryMb !== undefined ? memoryText(machine.memoryMb) : undefined,
    machine.gpus ? vscode.l10n.t('{0} GPUs', machine.gpus) : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? listOf(parts) : undefined;
}

function memoryText(mb: number): string {
  if (mb < 1024) {
    return vscode.l10n.t('{0} MB memory', mb);
  }
  const gb = mb / 1024;
  return vscode.l10n.t('{0} GB memory', Number.isInteger(gb) ? gb : Number(gb.toFixed(1)));
}

/**
 * The loaded jobs that run on each of the cluster's `machineCount` nodes, by node name: running
 * ones whose job_node_list names it. Each job's list is read once, and only when it names no
 * more nodes than the cluster has; all lists together are read up to MAX_NODE_NAMES names, so
 * that a page of hostile lists cannot stall the window. Only what the tree has loaded (its
 * first pages under the filter) is known.
 */
export function jobsByMachine(jobs: readonly Job[], machineCount: number): Map<string, Job[]> {
  const byName = new Map<string, Job[]>();
  let left = MAX_NODE_NAMES;
  for (const job of jobs) {
    const list = job.status === 'running' ? job.nodeList : undefined;
    if (list === undefined || left <= 0) {
      continue;
    }
    const names = parseNodeList(list, Math.min(machineCount, left));
    left -= names.length;
    for (const name of names) {
      const onIt = byName.get(name);
      if (onIt) {
        onIt.push(job);
      } else {
        byName.set(name, [job]);
      }
    }
  }
  return byName;
}
