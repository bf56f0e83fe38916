// The commands on a job's files and its login node: Open Output and Open Error (a tab that
// follows), Download Output..., Open Terminal on Login Node.
import * as vscode from 'vscode';
import { JobRef } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { parseJobFiles } from '../ehpc/parse';
import { downloadOutput } from '../output/downloadOutput';
import { jobOfOutputUri, JobOutputs } from '../output/jobOutputs';
import { ACCEPTED_HOST_KEYS, LoginNodes } from '../output/login';
import { fingerprint } from '../ssh/knownHosts';
import { createLoginTerminal } from '../output/loginTerminal';
import { Services } from '../services';
import { JobStream, workingDirectories } from '../ssh/paths';
import { sftpFileSource } from '../ssh/sftpSource';
import { isJobNode } from '../tree/nodes';
import { detailJob, JOB_DETAIL_SCHEME } from '../ui/jobDetailAddress';

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
      const detail = await client.jobDetail(job.zone, job.clusterId, job.hpcjobUuid);
      // Another cluster's job (an address made up by hand): its paths are not this node's to read.
      if (typeof detail.cluster_id === 'string' && detail.cluster_id !== job.clusterId) {
        throw new EhpcError('notFound', 'Not found: job {0} is not a job of cluster {1}.', [job.hpcjobUuid, job.clusterId]);
      }
      return parseJobFiles(detail);
    },
    isWatched: (job) => services.watch.isWatched(job.hpcjobUuid),
  });
}

/**
 * "Open Output" / "Open Error" on a job row or a notification's job: its file from the login
 * node, read-only, followed while the job runs. Resolves the editor, for tests.
 */
export async function openOutput(outputs: JobOutputs, clicked: unknown, stream: JobStream): Promise<vscode.TextEditor | undefined> {
  const job = jobOf(clicked)?.job;
  if (!job) {
    return noJob();
  }
  const title = stream === 'output' ? vscode.l10n.t('Opening the output of {0}...', job.name) : vscode.l10n.t('Opening the errors of {0}...', job.name);
  const uri = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => outputs.open(job, stream));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'log');
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * "Download Output..." on a job row (its output) or in an output tab's title (that tab's
 * file): the whole file, to a place the user picks. Resolves the saved file, for tests.
 */
export async function downloadJobOutput(outputs: JobOutputs, clicked: unknown): Promise<vscode.Uri | undefined> {
  const target = jobOf(clicked);
  if (!target) {
    return noJob();
  }
  const { job, stream } = target;
  const { login, path } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Finding the file of {0}...', job.name) }, () => outputs.locate(job, stream));
  try {
    // eslint-disable-next-line no-control-regex -- characters a file name cannot hold are replaced
    const name = `${job.name.replace(/[\u0000-\u001f/\\:*?"<>|]+/g, '_')}-${job.hpcjobUuid}.${stream === 'output' ? 'out' : 'err'}`;
    return await downloadOutput(login.lease, path, name);
  } finally {
    login.lease.release();
  }
}

/** "Open Terminal on Login Node": a terminal logged in as the job's run user, in its working directory. */
export async function openLoginTerminal(outputs: JobOutputs, clicked: unknown): Promise<vscode.Terminal | undefined> {
  const job = jobOf(clicked)?.job;
  if (!job) {
    return noJob();
  }
  const { login, detail } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Logging in to the login node of {0}...', job.clusterId) }, () => outputs.loginAs(job));
  // The working directory as the API gives it may be relative to the storage: the first place it is.
  const source = sftpFileSource(login.lease);
  let cwd: string | undefined;
  for (const dir of workingDirectories(detail, login.home)) {
    if ((await source.size(dir).catch(() => undefined)) !== undefined) {
      cwd = dir;
      break;
    }
  }
  const name = vscode.l10n.t('EHPC: {0}@{1}', login.target.username, job.clusterId);
  const terminal = vscode.window.createTerminal(createLoginTerminal(login.lease, { name, cwd }));
  terminal.show();
  return terminal;
}

/** "Forget Accepted Host Keys...": the keys accepted here that the user picks; the next connection asks again. */
export async function forgetHostKeys(services: Pick<Services, 'globalState' | 'prompts'>): Promise<number> {
  const lines = services.globalState.get<string[]>(ACCEPTED_HOST_KEYS, []);
  const keys = lines.map((line) => {
    const [host = '', keyType = '', blob = ''] = line.split(' ');
    return { host, keyType, fingerprint: fingerprint(Buffer.from(blob, 'base64')) };
  });
  if (keys.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No host keys were accepted in VS Code.'));
    return 0;
  }
  const picked = await services.prompts.pickHostKeys(keys);
  if (!picked || picked.length === 0) {
    return 0;
  }
  // Read again: a key accepted while the pick was open stays.
  const forgotten = new Set(picked.map((index) => lines[index]));
  await services.globalState.update(ACCEPTED_HOST_KEYS, services.globalState.get<string[]>(ACCEPTED_HOST_KEYS, []).filter((line) => !forgotten.has(line)));
  void vscode.window.showInformationMessage(vscode.l10n.t('Forgot {0} host key(s). The next connection to such a login node shows its fingerprint and asks again.', picked.length));
  return picked.length;
}

/**
 * The job a command is about: a job row, a notification's job, an output tab's URI (with its
 * stream), or a detail document's URI (its actions).
 */
function jobOf(clicked: unknown): { job: JobRef; stream: JobStream } | undefined {
  if (clicked instanceof vscode.Uri && clicked.scheme !== JOB_DETAIL_SCHEME) {
    return jobOfOutputUri(clicked);
  }
  const job = isJobNode(clicked) ? clicked.job : isJobRef(clicked) ? clicked : clicked instanceof vscode.Uri ? detailJob(clicked) : undefined;
  return job && { job, stream: 'output' };
}

function noJob(): undefined {
  void vscode.window.showInformationMessage(vscode.l10n.t('Right-click a job in the EHPC view to open its output.'));
  return undefined;
}

function isJobRef(value: unknown): value is JobRef {
  const job = value as Partial<JobRef> | undefined;
  return typeof job?.account === 'string' && typeof job.zone === 'string' && typeof job.clusterId === 'string' && typeof job.hpcjobUuid === 'string' && typeof job.name === 'string';
}
