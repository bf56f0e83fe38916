import * as vscode from 'vscode';
import { JobStatus } from '../ehpc/types';

export function jobStatusLabel(status: JobStatus): string {
  switch (status) {
    case 'pending':
      return vscode.l10n.t('pending');
    case 'running':
      return vscode.l10n.t('running');
    case 'finished':
      return vscode.l10n.t('finished');
    case 'exited':
      return vscode.l10n.t('exited');
    case 'cancelled':
      return vscode.l10n.t('cancelled');
    case 'stopped':
      return vscode.l10n.t('stopped');
    default:
      return vscode.l10n.t('unknown');
  }
}
