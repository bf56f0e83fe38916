// The sentence a failure is told with, for every layer that reports one.
import * as vscode from 'vscode';
import { EhpcError } from '../ehpc/errors';

/** The sentence to show the user for a failure, in the user's language where translated. */
export function userMessage(error: unknown): string {
  if (error instanceof EhpcError) {
    return vscode.l10n.t(error.template, ...error.args);
  }
  return error instanceof Error ? error.message : String(error);
}
