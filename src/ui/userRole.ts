// A cluster user's role as a person reads it. The API sends codes (the simulator's admin is a
// "boss"); the known ones get the console's names, any other is shown as it was sent.
import * as vscode from 'vscode';

export function roleLabel(role: string | undefined): string | undefined {
  switch (role) {
    case 'admin':
    case 'boss':
      return vscode.l10n.t('administrator');
    case 'member':
      return vscode.l10n.t('regular user');
    default:
      return role;
  }
}
