// The two steps that ask for a key pair: the Access Key ID, then the secret (with Back to the
// id). Sign In asks them as steps 1 and 2 of its own; Add Account as its last two steps.
import * as vscode from 'vscode';
import { inputStep, StepResult } from './multiStep';

/** Where the key steps sit: their form's title and step numbers. */
export interface KeyPlace {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

/** Sign In's own two steps, "Sign In to … (1/2)". */
export function signInPlace(account: string | undefined, step: 1 | 2): KeyPlace {
  return { title: account === undefined ? vscode.l10n.t('Sign In to QingCloud EHPC') : vscode.l10n.t('Sign In to {0}', account), step, totalSteps: 2 };
}

/** The id typed before, and why it is asked again (the key pair was rejected): a warning while it is unchanged. */
export function accessKeyIdStep(place: KeyPlace, typed?: { accessKeyId: string; problem?: string }): Promise<StepResult<string>> {
  return inputStep(
    { ...place, cameBack: false },
    {
      prompt: vscode.l10n.t('Access Key ID (create one in the QingCloud console under API Keys)'),
      placeholder: 'QYACCESSKEYID…',
      value: typed?.accessKeyId ?? '',
      validate: (value) =>
        !value.trim()
          ? vscode.l10n.t('Enter the Access Key ID.')
          : typed?.problem && value.trim() === typed.accessKeyId
            ? { message: typed.problem, severity: vscode.InputBoxValidationSeverity.Warning }
            : undefined,
    },
  );
}

/** `problem`: why the secret is asked again (the key pair was rejected), shown until the user types. */
export function secretStep(place: KeyPlace, problem?: string): Promise<StepResult<string>> {
  return inputStep(
    { ...place, cameBack: false },
    {
      prompt: vscode.l10n.t('Secret Access Key (stored in VS Code\'s secret storage only)'),
      value: '',
      password: true,
      problem,
      validate: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the Secret Access Key.')),
    },
  );
}
