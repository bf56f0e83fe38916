// Read-only documents that show one job's details each, under their own URI scheme.
import * as vscode from 'vscode';
import type { Accounts } from '../accounts/registry';
import { JobRef } from '../ehpc/batch';
import { loadParts } from '../lazy/load';
import { userMessage } from '../text/messages';
import type { JobDetailPage } from './jobDetailText';
import { jobDetailUri, JobDetailPages, jobOfDetailUri } from './jobDetailAddress';

export class JobDetailDocuments implements vscode.TextDocumentContentProvider, JobDetailPages, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** What `load` fetched, per URI; dropped when VS Code lets go of the document. */
  private readonly pages = new Map<string, JobDetailPage>();
  /** The actions over the paths: registered with the first page, as their code loads with it. */
  private lenses: vscode.Disposable | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly accounts: Pick<Accounts, 'connection' | 'all'>) {
    this.disposables = [
      this.changed,
      vscode.workspace.onDidCloseTextDocument((document) => this.pages.delete(document.uri.toString())),
      {
        dispose: () => {
          this.lenses?.dispose();
        },
      },
    ];
  }

  /**
   * Fetches the job's details and returns the URI of its document, which then shows them,
   * also when it is open already. Fetching first means a failure throws here, for the
   * command to report, instead of opening a document with nothing in it.
   */
  async load(job: JobRef, uri = jobDetailUri(job)): Promise<vscode.Uri> {
    await this.fetch(job, uri);
    // An open document keeps its text until told otherwise; VS Code then asks again.
    this.changed.fire(uri);
    return uri;
  }

  /** What the document at `uri` was last given. */
  page(uri: vscode.Uri): JobDetailPage | undefined {
    return this.pages.get(uri.toString());
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const loaded = this.pages.get(uri.toString());
    if (loaded !== undefined) {
      return loaded.text;
    }
    // Not opened through `load`, e.g. a tab restored with the window: fetch it now, and say
    // what went wrong in the document, as nobody else can.
    const parsed = jobOfDetailUri(uri);
    // Before accounts there was one: the only one now, if there is only one.
    const account = parsed?.account ?? (this.accounts.all.length === 1 ? this.accounts.all[0].name : undefined);
    const job = parsed && account !== undefined ? { ...parsed, account } : undefined;
    if (!job) {
      return vscode.l10n.t('This is not the address of an EHPC job: {0}', uri.toString());
    }
    try {
      return await this.fetch(job, uri);
    } catch (error) {
      const reason = userMessage(error);
      return vscode.l10n.t('Could not load the details of job {0}: {1}', job.hpcjobUuid, reason);
    }
  }

  private async fetch(job: JobRef, uri: vscode.Uri): Promise<string> {
    const client = await this.accounts.connection(job.account).client();
    const detail = await client.jobDetail(job.zone, job.clusterId, job.hpcjobUuid);
    // Its words and actions load with the commands: activation only registers the documents.
    const parts = loadParts();
    this.lenses ??= parts.registerJobDetailLenses(this);
    const page = parts.renderJobDetailPage(detail, job);
    this.pages.set(uri.toString(), page);
    parts.showEndedJobDetails(this.pages);
    return page.text;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
