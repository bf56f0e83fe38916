// A job's tooltip: its ids, state, queue, user and times (see text/times.ts). Drawn when the
// pointer rests on the row (ClusterTreeProvider.resolveTreeItem), so loaded with the commands.
import * as vscode from 'vscode';
import { Job, JobStatus } from '../ehpc/types';
import { labelled } from '../text/punctuation';
import { jobStatusLabel } from '../text/statusLabels';
import { shownTime } from '../text/times';
import { code, escape, markdown } from './items';

const ENDED: readonly JobStatus[] = ['finished', 'exited', 'cancelled', 'stopped'];

export function jobTooltip(job: Job, watched: boolean): vscode.MarkdownString {
  const ended = ENDED.includes(job.status);
  const fields: [string, string | number | undefined][] = [
    [vscode.l10n.t('Job ID'), code(job.hpcjobUuid)],
    [vscode.l10n.t('Scheduler job ID'), job.jobId],
    [vscode.l10n.t('Status'), watched ? vscode.l10n.t('{0}, watched', jobStatusLabel(job.status)) : jobStatusLabel(job.status)],
    [vscode.l10n.t('Queue'), job.queueName && escape(job.queueName)],
    [vscode.l10n.t('Run user'), job.runUser && escape(job.runUser)],
    [vscode.l10n.t('Submitted'), time(job.submittedTime)],
    [vscode.l10n.t('Started'), time(job.startedTime)],
    // The list's last change of an ended job is about when it ended.
    [vscode.l10n.t('Ended'), ended ? time(job.modifiedTime) : undefined],
    // The list does not give the exit reason; the details fetch it.
    [vscode.l10n.t('Exit reason'), job.status === 'exited' ? vscode.l10n.t('in the job\'s details') : undefined],
  ];
  const lines = [`**${escape(job.name)}**`, ''];
  for (const [name, value] of fields) {
    if (value !== undefined && value !== '') {
      lines.push(labelled(name, value));
    }
  }
  if (job.cmdLine) {
    lines.push('', '```sh', job.cmdLine.replace(/```/g, '`\u200b``'), '```');
  }
  return markdown(lines);
}


/** A time as shown, escaped: one the server sent that is no time comes back as sent. */
function time(text: string | undefined): string | undefined {
  const shown = shownTime(text);
  return shown && escape(shown);
}
