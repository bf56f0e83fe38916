// The job filter (status, search word): applied to the model, kept in the workspace's state
// so it survives a reload, and shown as the view's description.
import * as vscode from 'vscode';
import { JobFilter } from '../ehpc/client';
import { JobStatus, JOB_STATUSES } from '../ehpc/types';
import { jobStatusLabel } from '../text/statusLabels';
import { ClusterModel } from './model';

const STATE_KEY = 'ehpc.jobFilter';

export class FilterState {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly model: ClusterModel,
    private readonly treeView: vscode.TreeView<unknown>,
  ) {}

  /** The stored filter, as far as it still makes sense. */
  static load(memento: vscode.Memento): JobFilter {
    const stored = memento.get<JobFilter>(STATE_KEY) ?? {};
    return {
      status: (JOB_STATUSES as readonly string[]).includes(stored.status ?? '') ? stored.status : undefined,
      searchWord: typeof stored.searchWord === 'string' && stored.searchWord.trim() ? stored.searchWord.trim() : undefined,
    };
  }

  /** What a reload of the window would start with. */
  saved(): JobFilter {
    return FilterState.load(this.memento);
  }

  get current(): JobFilter {
    return this.model.filter;
  }

  async set(filter: JobFilter): Promise<void> {
    const clean: JobFilter = { status: filter.status || undefined, searchWord: filter.searchWord?.trim() || undefined };
    this.model.setFilter(clean);
    await this.memento.update(STATE_KEY, clean.status || clean.searchWord ? clean : undefined);
    await this.show();
  }

  /** The view's description and message, and the context key that swaps Filter for Clear Filter. */
  async show(): Promise<void> {
    const { status, searchWord } = this.model.filter;
    const label = status && jobStatusLabel(status as JobStatus);
    // Whole sentences, so that Chinese gets its own comma and quotation marks.
    const text =
      label && searchWord
        ? vscode.l10n.t('Filter: {0}, "{1}"', label, searchWord)
        : label
          ? vscode.l10n.t('Filter: {0}', label)
          : searchWord
            ? vscode.l10n.t('Filter: "{0}"', searchWord)
            : undefined;
    // The description is hidden while the view is the only one in its container (its title
    // merges into the container's): the message above the rows is always seen.
    this.treeView.description = text;
    this.treeView.message = text;
    await vscode.commands.executeCommand('setContext', 'ehpc.filterActive', text !== undefined);
  }
}
