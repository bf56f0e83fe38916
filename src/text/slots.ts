import * as vscode from 'vscode';

/** "12 free slots": a queue's free cores as describeQueue tells them (the tree and the submit form). */
export function freeSlotsText(freeSlots: number | undefined): string | undefined {
  return freeSlots === undefined ? undefined : freeSlots === 1 ? vscode.l10n.t('1 free slot') : vscode.l10n.t('{0} free slots', freeSlots);
}
