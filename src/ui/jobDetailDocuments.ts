// Read-only documents that show one job's details each, under their own URI scheme.
import * as vscode from 'vscode';
import { Connection } from '../connection';
import { JobRef } from '../ehpc/batch';
import { jobDetailText } from './jobDetailText';
import { userMessage } from './messages';

export const JOB_DETAIL_SCHEME = 'ehpc-job';

/**
 * `ehpc-job:/<zone>/<clusterId>/<job name> (<hpcjob_uuid>).md`: the file name is the tab's
 * title, and `.md` gives Markdown highlighting. A "/" in the name would add a path segment,
 * so it becomes a look-alike "∕".
 */
export function jobDetailUri(job: JobRef): vscode.Uri {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const name = job.name.replace(/[/\\]/g, '∕').replace(/[\u0000-\u001f]+/g, ' ');
  return vscode.Uri.from({ scheme: JOB_DETAIL_SCHEME, path: `/${job.zone}/${job.clusterId}/${name} (${job.hpcjobUuid}).md` });
}

/** The job a detail URI is about; undefined for a path jobDetailUri did not make. */
export function jobOfDetailUri(uri: vscode.Uri): JobRef | undefined {
  const match = /^\/([^/]+)\/([^/]+)\/(.*) \(([^()/]+)\)\.md$/.exec(uri.path);
  return match ? { zone: match[1], clusterId: match[2], name: match[3], hpcjobUuid: match[4] } : undefined;
}

export class JobDetailDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The text `load` fetched, per URI; dropped when VS Code lets go of the document. */
  private readonly texts = new Map<string, string>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly connection: Connection) {
    this.disposables = [
      this.changed,
      vscode.workspace.onDidCloseTextDocument((document) => this.texts.delete(document.uri.toString())),
    ];
  }

  /**
   * Fetches the job's details and returns the URI of its document, which then shows them,
   * also when it is open already. Fetching first means a failure throws here, for the
   * command to report, instead of opening a document with nothing in it.
   */
  async load(job: JobRef): Promise<vscode.Uri> {
    const uri = jobDetailUri(job);
    this.texts.set(uri.toString(), await this.fetch(job));
    // An open document keeps its text until told otherwise; VS Code then asks again.
    this.changed.fire(uri);
    return uri;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const loaded = this.texts.get(uri.toString());
    if (loaded !== undefined) {
      return loaded;
    }
    // Not opened through `load`, e.g. a tab restored with the window: fetch it now, and say
    // what went wrong in the document, as nobody else can.
    const job = jobOfDetailUri(uri);
    if (!job) {
      return vscode.l10n.t('This is not the address of an EHPC job: {0}', uri.toString());
    }
    try {
      const text = await this.fetch(job);
      this.texts.set(uri.toString(), text);
      return text;
    } catch (error) {
      const reason = userMessage(error);
      return vscode.l10n.t('Could not load the details of job {0}: {1}', job.hpcjobUuid, reason);
    }
  }

  private async fetch(job: JobRef): Promise<string> {
    const client = await this.connection.client();
    const detail = await client.jobDetail(job.zone, job.clusterId, job.hpcjobUuid);
    return jobDetailText(detail, job);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
