import * as vscode from 'vscode';
import { JobRef } from '../ehpc/batch';
import { parseJobFiles } from '../ehpc/parse';
import { JobOutputs } from '../output/jobOutputs';
import { LoginNodes } from '../output/login';
import { Services } from '../services';
import { JobStream } from '../ssh/paths';
import { isJobNode } from '../tree/nodes';

/** The output tabs and the login nodes' connections behind them, made on the first Open Output. */
export function createJobOutputs(services: Services, secrets: vscode.SecretStorage): JobOutputs {
  const login = new LoginNodes({ accounts: services.accounts, prompts: () => services.prompts, secrets, globalState: services.globalState, log: services.log });
  return new JobOutputs({
    login,
    model: services.model,
    log: services.log,
    owned: login,
    detail: async (job) => {
      const client = await services.accounts.connection(job.account).client();
      return parseJobFiles(await client.jobDetail(job.zone, job.clusterId, job.hpcjobUuid));
    },
  });
}

/**
 * "Open Output" / "Open Error" on a job row or a notification's job: its file from the login
 * node, read-only, followed while the job runs. Resolves the editor, for tests.
 */
export async function openOutput(outputs: JobOutputs, clicked: unknown, stream: JobStream): Promise<vscode.TextEditor | undefined> {
  const job = isJobNode(clicked) ? clicked.job : isJobRef(clicked) ? clicked : undefined;
  if (!job) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Right-click a job in the EHPC view to open its output.'));
    return undefined;
  }
  const title = stream === 'output' ? vscode.l10n.t('Opening the output of {0}...', job.name) : vscode.l10n.t('Opening the errors of {0}...', job.name);
  const uri = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => outputs.open(job, stream));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'log');
  return vscode.window.showTextDocument(document, { preview: false });
}

function isJobRef(value: unknown): value is JobRef {
  const job = value as Partial<JobRef> | undefined;
  return typeof job?.account === 'string' && typeof job.zone === 'string' && typeof job.clusterId === 'string' && typeof job.hpcjobUuid === 'string' && typeof job.name === 'string';
}
