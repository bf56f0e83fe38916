// The words around a submit: the confirmation (everything that will be sent, since a job
// costs money) and what the user is told when the answer was lost.
import * as vscode from 'vscode';
import { Job, JobSubmission } from '../ehpc/types';
import { hasEnded } from '../submit/duplicates';
import { formatDuration, formatMemory } from '../submit/limits';
import { scriptSummary } from '../submit/script';
import { labelled, listOf, unlinked, withAside } from '../text/punctuation';
import { jobStatusLabel } from '../text/statusLabels';

/** Where the job goes, by name, for the sentences. */
export interface SubmitPlace {
  /** Named when there are several accounts: two may list clusters of the same name. */
  readonly account?: string;
  readonly clusterName: string;
  /** Undefined: the cluster's default queue. */
  readonly queueName?: string;
}

/** The script a confirmation describes: exactly the text that is uploaded. */
export interface ConfirmedScript {
  /** Its path in the workspace (scripts of one name may be in several folders), else its full path. */
  readonly fileName: string;
  readonly target: string;
  readonly text: string;
  /** The script changed after the form was filled in from its #SBATCH lines. */
  readonly changedSinceForm?: boolean;
}

export function submitConfirmation(place: SubmitPlace, submission: JobSubmission, script?: ConfirmedScript): { message: string; detail: string } {
  const lines = [
    ...(place.account !== undefined ? [labelled(vscode.l10n.t('Account'), place.account)] : []),
    labelled(vscode.l10n.t('Cluster'), place.clusterName),
    labelled(vscode.l10n.t('Queue'), place.queueName ?? vscode.l10n.t('the cluster\'s default')),
    labelled(vscode.l10n.t('Run as'), submission.runUser),
    labelled(vscode.l10n.t('Cores'), submission.coreLimit ?? 1),
  ];
  if (submission.memLimitMb !== undefined) {
    lines.push(labelled(vscode.l10n.t('Memory limit'), formatMemory(submission.memLimitMb)));
  }
  if (submission.timeLimitMinutes !== undefined) {
    lines.push(labelled(vscode.l10n.t('Time limit'), timeLimitText(submission.timeLimitMinutes)));
  }
  if (submission.stdoutPath !== undefined) {
    lines.push(labelled(vscode.l10n.t('Output file'), submission.stdoutPath));
  }
  if (submission.stderrPath !== undefined) {
    lines.push(labelled(vscode.l10n.t('Error file'), submission.stderrPath));
  }
  if (script) {
    const { lines: count, bytes, digest } = scriptSummary(script.text);
    lines.push(
      labelled(vscode.l10n.t('Script'), withAside(script.fileName, vscode.l10n.t('uploaded to {0}', script.target))),
      labelled(vscode.l10n.t('Content'), vscode.l10n.t('{0} lines, {1} bytes, SHA-256 {2}', count, bytes, digest)),
      labelled(vscode.l10n.t('First line'), firstLine(script.text)),
    );
    if (script.changedSinceForm) {
      lines.push(vscode.l10n.t('{0} changed after the form was filled in from it: this is the script as it is now, and what is uploaded.', script.fileName));
    }
  }
  lines.push(labelled(vscode.l10n.t('Command'), submission.cmdLine), '', vscode.l10n.t('The job runs on the cluster\'s paid resources.'));
  return { message: vscode.l10n.t('Submit job "{0}" to {1}?', submission.name, place.clusterName), detail: lines.join('\n') };
}

/**
 * After a lost answer: what the cluster lists now decides the sentence. `listedBefore`: the
 * jobs of that name were listed before the submit; without that list a job found may be an
 * earlier one, and it is only offered as possibly this one.
 */
export function unknownOutcomeText(name: string, clusterName: string, found: readonly Job[] | undefined, listedBefore: boolean): string {
  // The names and ids come from the server or the script: never a link in the notification.
  return unlinked(lostAnswerText(name, clusterName, found, listedBefore));
}

/** "Job "x" submitted to cfd-prod. Watching it until it ends." — safe in a notification. */
export function submittedText(name: string, clusterName: string, watching: boolean): string {
  return unlinked(
    watching
      ? vscode.l10n.t('Job "{0}" submitted to {1}. Watching it until it ends.', name, clusterName)
      : vscode.l10n.t('Job "{0}" submitted to {1}.', name, clusterName),
  );
}

function lostAnswerText(name: string, clusterName: string, found: readonly Job[] | undefined, listedBefore: boolean): string {
  if (found !== undefined && found.length > 0 && !listedBefore) {
    const jobs = found.map((job) => {
      const time = clockTime(job.submittedTime);
      return time ? withAside(job.hpcjobUuid, vscode.l10n.t('submitted at {0}', time)) : job.hpcjobUuid;
    });
    return vscode.l10n.t(
      'The answer to submitting job "{0}" was lost, and the jobs of that name could not be listed before it was sent, so an earlier job cannot be told from this one. {1} lists these jobs of that name, possibly this one: {2}. Look at them before submitting again.',
      name,
      clusterName,
      listOf(jobs),
    );
  }
  if (found === undefined) {
    return vscode.l10n.t('The answer to submitting job "{0}" was lost, and {1} could not be listed to check. Check again, or look in the view before submitting again.', name, clusterName);
  }
  if (found.length === 0) {
    return vscode.l10n.t('The answer to submitting job "{0}" was lost, and {1} lists no new job of that name. It was most likely not submitted.', name, clusterName);
  }
  if (found.length === 1) {
    const [job] = found;
    const time = clockTime(job.submittedTime);
    // A short or failing job may have ended before the look-up: it is not watched then.
    if (hasEnded(job)) {
      const state = jobStatusLabel(job.status);
      return time
        ? vscode.l10n.t('The answer to submitting job "{0}" was lost, but {1} lists a job of that name submitted at {2} ({3}), not listed before: most likely this one. It has already ended: {4}.', name, clusterName, time, job.hpcjobUuid, state)
        : vscode.l10n.t('The answer to submitting job "{0}" was lost, but {1} lists a new job of that name ({2}): most likely this one. It has already ended: {3}.', name, clusterName, job.hpcjobUuid, state);
    }
    return time
      ? vscode.l10n.t('The answer to submitting job "{0}" was lost, but {1} lists a job of that name submitted at {2} ({3}), not listed before: most likely this one. Watching it.', name, clusterName, time, job.hpcjobUuid)
      : vscode.l10n.t('The answer to submitting job "{0}" was lost, but {1} lists a new job of that name ({2}): most likely this one. Watching it.', name, clusterName, job.hpcjobUuid);
  }
  const uuids = found.map((job) => job.hpcjobUuid).join(', ');
  const ended = found.filter(hasEnded).length;
  if (ended === found.length) {
    return vscode.l10n.t('The answer to submitting job "{0}" was lost, and {1} lists {2} new jobs of that name ({3}): one of them is most likely this one. They have all ended already.', name, clusterName, found.length, uuids);
  }
  if (ended > 0) {
    return vscode.l10n.t('The answer to submitting job "{0}" was lost, and {1} lists {2} new jobs of that name ({3}): one of them is most likely this one. {4} of them already ended; the others are watched.', name, clusterName, found.length, uuids, ended);
  }
  return vscode.l10n.t('The answer to submitting job "{0}" was lost, and {1} lists {2} new jobs of that name ({3}): one of them is most likely this one. Watching them.', name, clusterName, found.length, uuids);
}

/** The time of day of a wire time, as the cluster lists it (`2021-08-19T14:06:41` → `14:06:41`). */
function clockTime(wireTime: string | undefined): string | undefined {
  return wireTime === undefined ? undefined : /[T ](\d{2}:\d{2}:\d{2})/.exec(wireTime)?.[1];
}

/** A script's first line that is not blank, cut short for a dialog. */
function firstLine(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** A time limit in words: Slurm's "10" means minutes; a longer limit also in Slurm's own H:MM:SS. */
export function timeLimitText(minutes: number): string {
  const inMinutes = vscode.l10n.t('{0} minutes', minutes);
  return minutes < 60 ? inMinutes : withAside(formatDuration(minutes), inMinutes);
}
