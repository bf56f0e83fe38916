// The words of a job's detail document in the user's language: labels, statuses, reasons,
// times and durations. Loaded with the commands, not at activation.
import * as vscode from 'vscode';
import { JobStatus, JOB_STATUSES } from '../ehpc/types';
import { labelled, withAside } from '../text/punctuation';
import { jobStatusLabel } from '../text/statusLabels';
import { formatDuration, reasonText } from '../watch/notifications';
import { DetailWords, JobDetailPage, jobDetailPage, jobDetailText, JobTitle } from './jobDetailText';
import { readableTime, timeWords } from '../text/times';

function label(field: string): string | undefined {
  switch (field) {
    case 'hpcjob_uuid': return vscode.l10n.t('Job ID');
    case 'job_id': return vscode.l10n.t('Scheduler job ID');
    case 'cluster_id': return vscode.l10n.t('Cluster ID');
    case 'queue_name': return vscode.l10n.t('Queue');
    case 'run_user': return vscode.l10n.t('Run as');
    case 'job_status': return vscode.l10n.t('Status');
    case 'exit_code': return vscode.l10n.t('Exit code');
    case 'reason': return vscode.l10n.t('Reason');
    case 'pend_reason': return vscode.l10n.t('Pending reason');
    case 'submitted_time': return vscode.l10n.t('Submitted');
    case 'started_time': return vscode.l10n.t('Started');
    case 'end_time': return vscode.l10n.t('Ended');
    case 'run_time': return vscode.l10n.t('Run time');
    case 'modified_time': return vscode.l10n.t('Last changed');
    case 'exec_cwd': return vscode.l10n.t('Working directory');
    case 'output_dir': return vscode.l10n.t('Output folder');
    case 'stdout_redirect_path': return vscode.l10n.t('Output file');
    case 'stderr_redirect_path': return vscode.l10n.t('Error file');
    case 'cmd_line': return vscode.l10n.t('Command line');
    case 'core_limit': return vscode.l10n.t('Cores');
    default: return undefined;
  }
}

function value(field: string, raw: unknown): string | undefined {
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : undefined;
  if (text === undefined) {
    return undefined;
  }
  if (field === 'job_status') {
    return (JOB_STATUSES as readonly string[]).includes(text) ? jobStatusLabel(text as JobStatus) : text;
  }
  if (field === 'reason' || field === 'pend_reason') {
    const words = reasonText(text);
    return words === text ? text : withAside(words, text);
  }
  if (field === 'run_time') {
    return /^\d+$/.test(text) ? formatDuration(Number(text)) : undefined;
  }
  if (field.endsWith('_time')) {
    const time = readableTime(text);
    return time && timeWords(time);
  }
  return undefined;
}

export const detailWords: DetailWords = {
  label,
  value,
  get others() {
    return vscode.l10n.t('Other fields');
  },
  labelled,
};

/** The document of a job's details, in the user's language. */
export function renderJobDetail(detail: Readonly<Record<string, unknown>>, job: JobTitle): string {
  return jobDetailText(detail, job, detailWords);
}

/** The same, with where its paths are, for the document's actions. */
export function renderJobDetailPage(detail: Readonly<Record<string, unknown>>, job: JobTitle): JobDetailPage {
  return jobDetailPage(detail, job, detailWords);
}
