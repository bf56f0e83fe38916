// Sends a confirmed submission: the script first (createJobFile), then the job (submitJob).
// Both are writes and are sent once. The jobs of that name already listed (before the
// confirmation, or just before the submit) cannot be the new one. When the submit's outcome
// is unknown (a time-out, a dropped connection, an answer that makes no sense) the job may exist, so the cluster is
// listed by the job's name and the caller tells the user what it found: nothing is sent again
// unless the user asks. No `vscode` import: the chat tool and the command share it.
import { EhpcClient } from '../ehpc/client';
import { EhpcError } from '../ehpc/errors';
import { Job, JobSubmission, SubmittedJob } from '../ehpc/types';
import { findSubmitted } from './duplicates';

/** Where the job goes, what it runs, and the script to upload first (if any). */
export interface SubmitRequest {
  /** The account whose key sends it. */
  readonly account: string;
  readonly zone: string;
  readonly clusterId: string;
  readonly submission: JobSubmission;
  /** The script and its target path on the cluster; `submission.cmdLine` runs it. */
  readonly script?: { readonly text: string; readonly target: string };
  /** The hpcjob_uuid of the job this one resubmits: never taken for the new one. */
  readonly resubmits?: string;
  /**
   * The jobs of that name the cluster listed before (see listKnown), taken while the user
   * read the confirmation; without it they are listed just before the submit.
   */
  readonly known?: Promise<KnownJobs>;
}

/** The jobs that cannot be the new one, and whether the cluster's list of them was read. */
export interface KnownJobs {
  readonly uuids: ReadonlySet<string>;
  /**
   * False when the list failed: only the resubmitted job is known, and a job found after a
   * lost answer may be an earlier one of that name.
   */
  readonly listed: boolean;
}

export type SubmitOutcome =
  /** The server took the job. */
  | { readonly kind: 'submitted'; readonly job: SubmittedJob }
  /** The script could not be written: nothing was submitted. */
  | { readonly kind: 'uploadFailed'; readonly error: unknown }
  /** The server refused the job: it does not exist. */
  | { readonly kind: 'refused'; readonly error: unknown }
  /** The answer was lost: see LostAnswer. */
  | LostAnswer
  /** The key changed before the submit was sent: nothing was submitted. */
  | { readonly kind: 'signedOut' };

/**
 * The submit's answer was lost. `found`: the jobs the cluster lists that may be it (undefined
 * if that look-up failed too); `sentAt` and `known` let the look-up be made again. When
 * `known.listed` is false, nothing tells an earlier job of that name from the new one: the
 * jobs found are only possibly it.
 */
export interface LostAnswer {
  readonly kind: 'unknown';
  readonly error: unknown;
  readonly found: readonly Job[] | undefined;
  readonly lookupError?: unknown;
  readonly sentAt: Date;
  readonly known: KnownJobs;
}

type SubmitClient = Pick<EhpcClient, 'createJobFile' | 'submitJob' | 'listJobs'>;

export async function sendSubmission(client: SubmitClient, request: SubmitRequest, isCurrent: () => boolean, now: () => Date = () => new Date()): Promise<SubmitOutcome> {
  const { zone, clusterId, submission, script } = request;
  if (script) {
    if (!isCurrent()) {
      return { kind: 'signedOut' };
    }
    try {
      await client.createJobFile(zone, clusterId, script.target, script.text);
    } catch (error) {
      return { kind: 'uploadFailed', error };
    }
  }
  if (!isCurrent()) {
    return { kind: 'signedOut' };
  }
  // The jobs of that name before the submit cannot be the new one, should its answer be lost.
  const known = await (request.known ?? listKnown(client, { ...request, name: submission.name }));
  if (!isCurrent()) {
    return { kind: 'signedOut' };
  }
  const sentAt = now();
  try {
    return { kind: 'submitted', job: await client.submitJob(zone, clusterId, submission) };
  } catch (error) {
    if (!outcomeUnknown(error)) {
      return { kind: 'refused', error };
    }
    const lost = { error, sentAt, known };
    if (!isCurrent()) {
      return { kind: 'unknown', ...lost, found: undefined };
    }
    return lookUpSubmitted(client, request, lost);
  }
}

/**
 * The jobs of the submission's name the cluster lists now, and the job it resubmits: none of
 * them can be the job about to be sent. Never fails: a failed list is recorded as such, and
 * what is found after a lost answer is then only possibly the new job.
 */
export async function listKnown(client: Pick<EhpcClient, 'listJobs'>, request: Pick<SubmitRequest, 'zone' | 'clusterId' | 'resubmits'> & { readonly name: string }): Promise<KnownJobs> {
  const uuids = new Set(request.resubmits ? [request.resubmits] : []);
  try {
    const page = await client.listJobs(request.zone, request.clusterId, 0, { searchWord: request.name });
    page.items.forEach((job) => uuids.add(job.hpcjobUuid));
    return { uuids, listed: true };
  } catch {
    return { uuids, listed: false };
  }
}

/**
 * After a lost answer: the cluster's newest jobs of that name that may be the one sent. Also
 * for Check Again, when the first look-up failed; it sends nothing but a list.
 */
export async function lookUpSubmitted(
  client: Pick<EhpcClient, 'listJobs'>,
  request: SubmitRequest,
  lost: Pick<LostAnswer, 'error' | 'sentAt' | 'known'>,
): Promise<LostAnswer> {
  const { zone, clusterId, submission } = request;
  try {
    // The newest first page of jobs by that name: a job submitted a moment ago is on it.
    const page = await client.listJobs(zone, clusterId, 0, { searchWord: submission.name });
    const found = findSubmitted(page.items, { name: submission.name, cmdLine: submission.cmdLine, runUser: submission.runUser, sentAt: lost.sentAt, known: lost.known.uuids, listedBefore: lost.known.listed });
    return { kind: 'unknown', ...lost, found: found.map((match) => match.job) };
  } catch (lookupError) {
    return { kind: 'unknown', ...lost, found: undefined, lookupError };
  }
}

/**
 * Whether a failed submit may still have created the job: no answer, a proxy's error page,
 * an answer that does not parse, or an internal error (it may have struck after the job was
 * queued). A refusal (bad parameter, key, quota, busy) and a check made before sending
 * created nothing.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof EhpcError)) {
    return true;
  }
  // A proxy's error page (HTTP 502, 503 without a ret_code) may come after the service acted.
  const fromProxy = error.retCode === undefined && error.httpStatus !== undefined;
  return fromProxy || error.kind === 'timeout' || error.kind === 'network' || error.kind === 'badResponse' || error.kind === 'server';
}
