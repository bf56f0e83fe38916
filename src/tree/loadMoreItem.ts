// The Load More row at the end of a cluster's loaded jobs: what a click brings, and how far the
// list is. Drawn with the tree (a cluster of more than a page shows it at once).
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { PAGE_SIZE } from '../ehpc/client';
import { JobList } from './jobLists';
import { LoadMoreNode } from './nodes';

/** "Load 100 More..." with "100 of 230 shown": what the click brings, and how far the list is. */
export function loadMoreItem(node: LoadMoreNode, list: JobList | undefined): vscode.TreeItem {
  const shown = list?.nodes.length ?? 0;
  const total = list?.totalCount ?? 0;
  const next = Math.min(PAGE_SIZE, Math.max(total - shown, 0));
  const title = next > 0 ? vscode.l10n.t('Load {0} More...', next) : vscode.l10n.t('Load More...');
  const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.None);
  item.id = `more:${clusterKey(node.parent.cluster)}`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = 'loadMore';
  if (list) {
    item.description = vscode.l10n.t('{0} of {1} shown', shown, total);
    // Read out as shown: a string tooltip would otherwise stand for the row's name.
    item.accessibilityInformation = { label: `${title} ${item.description}` };
    item.tooltip = vscode.l10n.t('{0} of the {1} jobs of cluster {2} are shown. Click or press Enter to list the next {3}.', shown, total, node.parent.cluster.name, next);
  }
  item.command = { command: 'ehpc.loadMore', title, arguments: [node.parent] };
  return item;
}
