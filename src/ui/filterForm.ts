// The Filter Jobs form: a status, then a word of the name (Back returns to the status).
import * as vscode from 'vscode';
import { JobFilter } from '../ehpc/client';
import { JobStatus, JOB_STATUSES } from '../ehpc/types';
import { jobStatusLabel } from '../text/statusLabels';
import { inputStep, pickStep, runSteps } from './multiStep';

/** Undefined when the user closes it. */
export async function showFilterForm(current: JobFilter): Promise<JobFilter | undefined> {
  const chosen: JobFilter = { ...current };
  const done = await runSteps(
    [
      async (place) => {
        const status = await pickStep<JobStatus | ''>(place, {
          placeholder: vscode.l10n.t('Show jobs in this state'),
          items: Promise.resolve(statusItems(current.status)),
          isActive: (value) => value === (chosen.status ?? ''),
        });
        if (typeof status === 'string') {
          chosen.status = status || undefined;
        }
        return status;
      },
      async (place) => {
        const word = await inputStep(place, {
          prompt: vscode.l10n.t('Show jobs whose name contains this word (leave empty for any name)'),
          value: chosen.searchWord ?? '',
          validate: () => undefined,
        });
        if (typeof word === 'string') {
          chosen.searchWord = word.trim() || undefined;
        }
        return word;
      },
    ],
    vscode.l10n.t('Filter Jobs'),
  );
  return done ? { status: chosen.status, searchWord: chosen.searchWord } : undefined;
}

/** "Any status", then each state with what it means; the filter's current one marked. */
export function statusItems(current: string | undefined): { label: string; description?: string; detail?: string; value: JobStatus | '' }[] {
  const mark = (value: string | undefined) => (value === current ? vscode.l10n.t('current') : undefined);
  return [
    { label: vscode.l10n.t('Any status'), description: mark(undefined), value: '' },
    ...JOB_STATUSES.map((status) => ({ label: jobStatusLabel(status), description: mark(status), detail: statusMeaning(status), value: status })),
  ];
}

function statusMeaning(status: JobStatus): string | undefined {
  switch (status) {
    case 'pending':
      return vscode.l10n.t('Waiting in the queue');
    case 'running':
      return vscode.l10n.t('Running now');
    case 'finished':
      return vscode.l10n.t('Ended successfully');
    case 'exited':
      return vscode.l10n.t('Ended with an error: the job failed, e.g. with a non-zero exit code');
    case 'cancelled':
      return vscode.l10n.t('Cancelled by a user');
    case 'stopped':
      return vscode.l10n.t('Stopped before it ended');
    default:
      return undefined;
  }
}
