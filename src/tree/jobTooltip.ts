// A job's tooltip: its ids, state, queue, user and times in the user's zone. Drawn when the
// pointer rests on the row (ClusterTreeProvider.resolveTreeItem), so loaded with the commands.
import * as vscode from 'vscode';
import { Job, JobStatus } from '../ehpc/types';
import { labelled } from '../text/punctuation';
import { jobStatusLabel } from '../text/statusLabels';
import { localTime } from '../text/times';
import { escape, markdown } from './items';

const ENDED: readonly JobStatus[] = ['finished', 'exited', 'cancelled', 'stopped'];

export function jobTooltip(job: Job, watched: boolean): vscode.MarkdownString {
  const ended = ENDED.includes(job.status);
  const fields: [string, string | number | undefined][] = [
    [vscode.l10n.t('Job ID'), `\`${job.hpcjobUuid}\``],
    [vscode.l10n.t('Scheduler job ID'), job.jobId],
    [vscode.l10n.t('Status'), watched ? vscode.l10n.t('{0}, watched', jobStatusLabel(job.status)) : jobStatusLabel(job.status)],
    [vscode.l10n.t('Queue'), job.queueName && escape(job.queueName)],
    [vscode.l10n.t('Run user'), job.runUser && escape(job.runUser)],
    [vscode.l10n.t('Submitted'), localTime(job.submittedTime)],
    [vscode.l10n.t('Started'), localTime(job.startedTime)],
    // The list's last change of an ended job is about when it ended.
    [vscode.l10n.t('Ended'), ended ? localTime(job.modifiedTime) : undefined],
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

