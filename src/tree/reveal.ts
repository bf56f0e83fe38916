// Showing one job in the tree: its cluster expanded, its row revealed and selected. A job the
// tree cannot show (the filter hides it, it is past the loaded pages, its zone is not shown)
// is said to be so, with its details offered instead, rather than nothing happening.
import * as vscode from 'vscode';
import type { ClusterModel } from './model';
import { JobNode, TreeNode } from './nodes';
import { ClusterPlace } from '../ehpc/batch';

export interface RevealOptions {
  select?: boolean;
  focus?: boolean;
}

/** How a reveal went: the row shown, or why not. */
export type RevealOutcome = 'revealed' | 'filtered' | 'notLoaded' | 'notListed' | 'zoneNotShown' | 'noCluster' | 'failed';

/** What a reveal works with: the model, the view, a way to tell the user why not, the log. */
interface RevealServices {
  readonly model: ClusterModel;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly notifier: { show(severity: 'info', message: string, ...actions: string[]): Thenable<string | undefined> };
  readonly log: Pick<vscode.LogOutputChannel, 'warn'>;
}

/** Attempts at treeView.reveal: VS Code may not have drawn the rows just loaded yet. */
const REVEAL_ATTEMPTS = 10;

export async function revealJob(
  services: RevealServices,
  place: ClusterPlace,
  hpcjobUuid: string,
  options: RevealOptions = { select: true },
): Promise<RevealOutcome> {
  const outcome = await findAndReveal(services, place, hpcjobUuid, options);
  if (outcome !== 'revealed') {
    void explain(services, outcome, place, hpcjobUuid);
  }
  return outcome;
}

async function findAndReveal(services: RevealServices, place: ClusterPlace, hpcjobUuid: string, options: RevealOptions): Promise<RevealOutcome> {
  const { model, treeView } = services;
  if (!model.zonesOf(place.account).includes(place.zone)) {
    return 'zoneNotShown';
  }
  try {
    if (!treeView.visible) {
      await vscode.commands.executeCommand('ehpc.clusters.focus');
    }
    await model.clusters(place.account, place.zone);
    const cluster = model.findCluster(place);
    if (!cluster) {
      return 'noCluster';
    }
    await withRetries(() => treeView.reveal(cluster, { expand: true, select: false, focus: false }));
    const list = await model.jobs(cluster);
    const node: JobNode | undefined = list.nodes.find((row) => row.job.hpcjobUuid === hpcjobUuid);
    if (!node) {
      const filtered = Boolean(model.filter.status || model.filter.searchWord);
      return filtered ? 'filtered' : list.nodes.length < list.totalCount ? 'notLoaded' : 'notListed';
    }
    await withRetries(() => treeView.reveal(node, { select: options.select ?? true, focus: options.focus ?? false }));
    return 'revealed';
  } catch (error) {
    services.log.warn(`Could not reveal job ${hpcjobUuid}: ${error instanceof Error ? error.message : String(error)}`);
    return 'failed';
  }
}

/** Reveals a row the tree lists (or is about to draw), retrying while VS Code catches up. */
export function revealRow(treeView: vscode.TreeView<TreeNode>, node: TreeNode, options: RevealOptions): Promise<void> {
  return withRetries(() => treeView.reveal(node, options));
}

async function withRetries(reveal: () => Thenable<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await reveal();
      return;
    } catch (error) {
      if (attempt >= REVEAL_ATTEMPTS) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function explain(services: RevealServices, outcome: Exclude<RevealOutcome, 'revealed'>, place: ClusterPlace, hpcjobUuid: string): Promise<void> {
  const { account, zone, clusterId } = place;
  const cluster = services.model.findCluster(place)?.cluster.name ?? clusterId;
  const message = {
    filtered: vscode.l10n.t('Job {0} is hidden by the filter.', hpcjobUuid),
    notLoaded: vscode.l10n.t('Job {0} is further down the list of cluster {1}: use Load More to reach it.', hpcjobUuid, cluster),
    notListed: vscode.l10n.t('Job {0} is not listed in cluster {1}.', hpcjobUuid, cluster),
    zoneNotShown: vscode.l10n.t('Job {0} is in zone {1}, which the view does not show (setting ehpc.zones).', hpcjobUuid, zone),
    noCluster: vscode.l10n.t('Cluster {0} is not listed in zone {1}.', clusterId, zone),
    failed: vscode.l10n.t('Could not show job {0} in the EHPC view (see the EHPC log).', hpcjobUuid),
  }[outcome];
  const details = vscode.l10n.t('Show Details');
  const clearFilter = vscode.l10n.t('Clear Filter');
  const actions = outcome === 'filtered' ? [clearFilter, details] : outcome === 'noCluster' ? [] : [details];
  const choice = await services.notifier.show('info', message, ...actions);
  if (choice === details) {
    const node = { kind: 'job', job: { account, zone, clusterId, hpcjobUuid, name: hpcjobUuid, status: 'unknown' } };
    await vscode.commands.executeCommand('ehpc.showJobDetails', node);
  } else if (choice === clearFilter) {
    await vscode.commands.executeCommand('ehpc.clearFilter');
    await revealJob(services, place, hpcjobUuid);
  }
}
