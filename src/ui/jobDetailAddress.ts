// The address of a job's detail document (`ehpc-job:`), read back into the job it names:
// what the documents, their actions and the commands handed such an address share.
import * as vscode from 'vscode';
import type { Accounts } from '../accounts/registry';
import type { JobRef } from '../ehpc/batch';
import { CLUSTER_ID, JOB_ID, ZONE_ID } from '../ehpc/ids';
import type { JobDetailPage } from './jobDetailText';

export const JOB_DETAIL_SCHEME = 'ehpc-job';

/**
 * `ehpc-job:/<account>/<zone>/<clusterId>/<job name> (<hpcjob_uuid>).md`: the file name is
 * the tab's title, and `.md` gives Markdown highlighting. A "/" in the name would add a path
 * segment, so it becomes a look-alike "∕"; the account's name is encoded.
 */
export function jobDetailUri(job: JobRef): vscode.Uri {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const name = job.name.replace(/[/\\]/g, '∕').replace(/[\u0000-\u001f]+/g, ' ');
  return vscode.Uri.from({ scheme: JOB_DETAIL_SCHEME, path: `/${encodeURIComponent(job.account)}/${job.zone}/${job.clusterId}/${name} (${job.hpcjobUuid}).md` });
}

/**
 * The job a detail URI is about; undefined for a path jobDetailUri did not make. A URI from
 * before accounts (a tab restored after an upgrade) names none: `account` is then undefined.
 */
export function jobOfDetailUri(uri: vscode.Uri): (Omit<JobRef, 'account'> & { account: string | undefined }) | undefined {
  const match = /^\/(?:([^/]*)\/)?([^/]+)\/((?:ehpc|hpc)-[^/]+)\/(.*) \(([^()/]+)\)\.md$/.exec(uri.path);
  if (!match) {
    return undefined;
  }
  let account: string | undefined;
  try {
    account = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return { account, zone: match[2], clusterId: match[3], name: match[4], hpcjobUuid: match[5] };
}

/** Where a detail document's page is kept (the documents themselves). */
export interface JobDetailPages {
  /** What the document at `uri` was last given. */
  page(uri: vscode.Uri): JobDetailPage | undefined;
}

/**
 * The job of a detail URI, its ids in the forms the API gives them; undefined for any other
 * URI. One from before accounts is the only account's, when `accounts` are given and there is
 * only one (as the document's own text is).
 */
export function detailJob(uri: vscode.Uri, accounts?: Pick<Accounts, 'all'>): JobRef | undefined {
  const parsed = uri.scheme === JOB_DETAIL_SCHEME ? jobOfDetailUri(uri) : undefined;
  const account = parsed?.account ?? (accounts?.all.length === 1 ? accounts.all[0].name : undefined);
  const wellFormed = parsed && ZONE_ID.test(parsed.zone) && CLUSTER_ID.test(parsed.clusterId) && JOB_ID.test(parsed.hpcjobUuid);
  return wellFormed && account !== undefined ? { ...parsed, account } : undefined;
}
