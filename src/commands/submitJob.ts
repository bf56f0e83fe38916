// Submit Job... (the script being edited, or a command line) and Resubmit... (an ended job,
// from its detail): the form, one confirmation, then upload, submit, one list of the cluster;
// the new job is revealed, selected and watched until it ends.
import * as path from 'path';
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { Cluster, Job } from '../ehpc/types';
import { Session } from '../accounts/connection';
import { Services } from '../services';
import { parseSbatch, coresFrom } from '../submit/sbatch';
import { toSubmission } from '../submit/form';
import { uploadTarget } from '../submit/script';
import { listKnown, LostAnswer, lookUpSubmitted, sendSubmission, SubmitOutcome, SubmitRequest } from '../submit/send';
import { showSubmitted } from '../batch/submitted';
import { readScript, scriptSource, ScriptSource } from './submitScript';
import { userMessage } from '../text/messages';
import { SubmitFormInitial, SubmitFormRequest, SubmitFormValues } from '../ui/submitForm';
import { submitConfirmation, submittedText, unknownOutcomeText } from '../ui/submitText';
import { showError } from './errors';
import { signedInFirst } from './signIn';
import { EhpcError } from '../ehpc/errors';
import { normalizeStatus } from '../ehpc/parse';
import { hasEnded } from '../submit/duplicates';
import { sentences, unlinked } from '../text/punctuation';
import { carriedRedirects, Redirects } from '../submit/redirects';
import { allClusters } from './jobAction';
import { startForSubmit } from './clusterPower';
import { startable } from '../ui/submitForm';
import { draftWithScriptNow, SbatchField, SbatchValues } from '../submit/drafts';
import { detailJob } from '../ui/jobDetailAddress';

const LAST_CLUSTER = 'ehpc.submit.lastCluster';
const LAST_RUN_USERS = 'ehpc.submit.lastRunUsers';
/** The answers of a submit cancelled at its question, per script: the next Submit of it offers them back. */
const DRAFTS = 'ehpc.submit.drafts';
/** The workspace script each job was submitted from, so that Resubmit can offer to upload it again. */
const SCRIPTS_OF_JOBS = 'ehpc.submit.scriptsOfJobs';
/** How many of each are kept, the newest. */
const MAX_KEPT = 50;

/** A draft: the answers, and what the script's #SBATCH lines said when they were given. */
interface Draft extends SubmitFormInitial {
  readonly sbatch?: SbatchValues;
}

/** Where a submit starts: the form's first values, the script, the paths the user chose, the job rerun. */
interface SubmitStart {
  /** The form's title: it names the script or the job. */
  readonly title: string;
  readonly initial: SubmitFormInitial;
  /** Where the form's summary comes (see SubmitFormRequest.summary). */
  readonly summary?: SubmitFormRequest['summary'];
  /** The first values are the answers of a submit cancelled at its question. */
  readonly offeredBack?: boolean;
  /** The fields whose #SBATCH lines changed since those answers: their new values are offered. */
  readonly sbatchChanged?: readonly SbatchField[];
  /** What the script's #SBATCH lines said when the form's first values were taken: kept with a draft. */
  readonly sbatch?: SbatchValues;
  /** The form opened again from the question (Edit...) or a refusal: closing it keeps a draft, as Cancel does. */
  readonly reopened?: boolean;
  /** The workspace script a resubmitted job came from, still there. */
  readonly reupload?: vscode.Uri;
  readonly script?: ScriptSource;
  /**
   * Resubmit's paths; a script's come from its #SBATCH -o/-e as it is when sent, else are
   * files beside the uploaded script (see toSubmission).
   */
  readonly redirects?: Redirects;
  readonly resubmits?: string;
}

/** What a submit ended with, for tests and the chat tool. */
export interface SubmitResult {
  readonly outcome: SubmitOutcome;
  /** The job as the cluster lists it afterwards, when it could be found. */
  readonly job?: Job;
}

/**
 * From the editor title, the editor or explorer context menu (`resource` is the file), or the
 * palette (the active editor's script, else a command line).
 */
export async function submitJob(services: Services, resource?: unknown): Promise<SubmitResult | undefined> {
  if (!(await signedInFirst(services))) {
    return undefined;
  }
  const script = await scriptSource(resource);
  if (script === null) {
    return undefined;
  }
  if (!script) {
    return submitFromForm(services, { title: vscode.l10n.t('Submit Job'), initial: { clusterKey: services.globalState.get<string>(LAST_CLUSTER), name: '' } });
  }
  const stored = services.globalState.get<Record<string, Draft>>(DRAFTS, {})[script.uri.toString()];
  const sbatch = fromSbatch(services, script);
  const fresh: SubmitFormInitial = {
    clusterKey: services.globalState.get<string>(LAST_CLUSTER),
    name: path.basename(script.fileName).replace(/\.[^.]+$/, ''),
    ...sbatch,
  };
  if (!stored) {
    return submitFromForm(services, { title: scriptTitle(script), initial: fresh, script, summary: 'afterCluster', offeredBack: false, sbatch });
  }
  const { sbatch: kept, ...draft } = stored;
  const { initial, changed } = draftWithScriptNow(draft, kept, sbatch, fresh);
  return submitFromForm(services, { title: scriptTitle(script), initial, script, summary: 'afterCluster', offeredBack: true, sbatchChanged: changed, sbatch });
}

function scriptTitle(script: ScriptSource): string {
  return vscode.l10n.t('Submit {0}', path.basename(script.fileName));
}

/** What the script's #SBATCH lines answer, and nothing for what they do not. */
function fromSbatch(services: Services, script: ScriptSource): Partial<SubmitFormInitial> {
  const defaults = parseSbatch(script.text);
  if (defaults.problems.length > 0 || defaults.ignored.length > 0) {
    services.log.info(`#SBATCH lines not used: ${[...defaults.problems.map((problem) => `${problem.option} ${problem.value}`), ...defaults.ignored].join(', ')}`);
  }
  const given: Partial<SubmitFormInitial> = {
    queueName: defaults.partition,
    queueFromScript: defaults.partition !== undefined ? true : undefined,
    name: defaults.jobName,
    cores: coresFrom(defaults),
    memLimitMb: defaults.memLimitMb,
    timeLimitMinutes: defaults.timeLimitMinutes,
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}

/** Resubmit... on an ended job (a tree row, or `{ zone, clusterId, hpcjobUuid }` from a notification). */
export async function resubmitJob(services: Services, target: unknown): Promise<SubmitResult | undefined> {
  // A detail document's title passes its URI.
  const fromDocument = target instanceof vscode.Uri;
  const ref = fromDocument ? detailJob(target, services.accounts) : jobRef(target);
  if (!ref) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick an ended job in the EHPC view to resubmit it.'));
    return undefined;
  }
  const client = await services.accounts.connection(ref.account).client();
  const detail = await client.jobDetail(ref.zone, ref.clusterId, ref.hpcjobUuid);
  // The title offers it for ended jobs only, as the view does; a URI says nothing of that itself.
  if (fromDocument && !hasEnded({ status: normalizeStatus(typeof detail.job_status === 'string' ? detail.job_status : undefined) })) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Job {0} has not ended: resubmit it once it has.', ref.hpcjobUuid));
    return undefined;
  }
  const text = (key: string) => (typeof detail[key] === 'string' && detail[key] !== '' ? detail[key] : undefined);
  const positive = (key: string) => {
    const value = Number(detail[key]);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const command = text('cmd_line');
  if (!command) {
    throw new Error(vscode.l10n.t('The cluster does not say what job {0} ran, so it cannot be resubmitted.', ref.hpcjobUuid));
  }
  const initial: SubmitFormInitial = {
    clusterKey: clusterKey(ref),
    queueId: text('hpcqueue_id'),
    queueName: text('queue_name'),
    runUser: text('run_user'),
    name: text('job_name') ?? ref.hpcjobUuid,
    command,
    cores: positive('core_limit'),
    memLimitMb: positive('mem_limit'),
    timeLimitMinutes: positive('time_limit'),
  };
  // The earlier run's own paths under new names; the server's defaults for it not at all.
  const redirects = carriedRedirects({ stdoutPath: text('stdout_redirect_path'), stderrPath: text('stderr_redirect_path'), jobId: positive('job_id') }, new Date());
  const reupload = await scriptOfJob(services, ref.hpcjobUuid);
  return submitFromForm(services, { title: vscode.l10n.t('Resubmit {0}', initial.name), initial, redirects, resubmits: ref.hpcjobUuid, summary: 'first', reupload });
}

/** The workspace script the job was submitted from, when it is still there. */
async function scriptOfJob(services: Services, hpcjobUuid: string): Promise<vscode.Uri | undefined> {
  const known = services.globalState.get<Record<string, string>>(SCRIPTS_OF_JOBS, {})[hpcjobUuid];
  if (known === undefined) {
    return undefined;
  }
  const uri = vscode.Uri.parse(known);
  return vscode.workspace.fs.stat(uri).then(
    () => uri,
    () => undefined,
  );
}

/**
 * Resubmit with the script uploaded again: Submit of that script as it is now, its #SBATCH
 * lines first, else the job's cluster, queue, user, name and limits.
 */
async function submitAgainFrom(services: Services, uri: vscode.Uri, job: SubmitStart): Promise<SubmitResult | undefined> {
  const script = await readScript(uri);
  if (!script) {
    return undefined;
  }
  const { command: _ran, ...asBefore } = job.initial;
  const sbatch = fromSbatch(services, script);
  const initial: SubmitFormInitial = { ...asBefore, ...(sbatch.queueName !== undefined ? { queueId: undefined } : {}), ...sbatch };
  return submitFromForm(services, { title: scriptTitle(script), initial, script, summary: 'afterCluster', resubmits: job.resubmits, sbatch });
}

/** Keeps `value` under `key` in a record of the global state, the newest MAX_KEPT; undefined removes it. */
async function keep<T>(services: Services, record: string, key: string, value: T | undefined): Promise<void> {
  const { [key]: _old, ...others } = services.globalState.get<Record<string, T>>(record, {});
  const entries = Object.entries(others).slice(-(MAX_KEPT - 1));
  await services.globalState.update(record, Object.fromEntries(value === undefined ? entries : [...entries, [key, value]]));
}

/** Keeps the answers for the next Submit of the script, with the #SBATCH values they were given from. */
async function keepDraft(services: Services, script: ScriptSource, answers: SubmitFormInitial, sbatch: SbatchValues | undefined): Promise<void> {
  await keep<Draft>(services, DRAFTS, script.uri.toString(), { ...answers, sbatch });
}

async function submitFromForm(services: Services, start: SubmitStart): Promise<SubmitResult | undefined> {
  const { initial, script } = start;
  // Taken before the form: a sign-in with another key while it is open stops the submit.
  const sessions = await services.accounts.sessions();
  const values = await services.prompts.submitForm({
    title: start.title,
    asksCommand: !script,
    initial,
    summary: start.summary,
    offeredBack: start.offeredBack,
    sbatchChanged: start.sbatchChanged,
    // By its path in the workspace: scripts of one name may be in several folders or workspaces.
    reupload: start.reupload ? vscode.workspace.asRelativePath(start.reupload) : undefined,
    clusters: () => orderedClusters(services, initial.clusterKey),
    queues: (cluster) => services.clusterInfo.queues(cluster),
    queueLoad: async (cluster, queue) => (await services.accounts.connection(cluster.account).client()).describeQueue(cluster.zone, cluster.clusterId, queue.queueId),
    users: (cluster) => services.clusterInfo.users(cluster),
    lastRunUser: (cluster) => services.globalState.get<Record<string, string>>(LAST_RUN_USERS, {})[clusterKey(cluster)],
  });
  if (!values) {
    // Closed after Edit...: the answers it opened with are kept, as Cancel at the question keeps them.
    if (script && start.reopened) {
      await keepDraft(services, script, initial, start.sbatch);
    }
    return undefined;
  }
  if ('reupload' in values) {
    return start.reupload ? submitAgainFrom(services, start.reupload, start) : undefined;
  }
  // An account signed in to only while the form was open has no session: nothing is sent.
  const session = sessions.get(values.cluster.account) ?? { client: undefined, isCurrent: () => false };
  await remember(services, values);
  if (startable(values.cluster) && !(await startFirst(services, session, values))) {
    return undefined;
  }
  const target = script ? uploadTarget(values.runUser.homeDir, values.name, new Date(), Math.random) : undefined;
  // After a refusal, or Edit... at the question, the form opens again with these answers.
  const edit = () => submitFromForm(services, { ...start, initial: answersOf(values, initial), offeredBack: false, sbatchChanged: undefined, reopened: true });
  // Listed while the user reads the question, so that the path from Submit to the new job
  // costs no request more than upload, submit and one list.
  const { zone, clusterId } = values.cluster;
  const known = session.client ? listKnown(session.client, { zone, clusterId, name: values.name, resubmits: start.resubmits }) : undefined;
  let shown = script;
  for (;;) {
    // The script as it is when the question is asked is what the question describes and what is sent.
    const current = shown ? await shown.reread() : undefined;
    if (current === null) {
      return undefined;
    }
    const redirects = current ? sbatchRedirects(current.text) : (start.redirects ?? {});
    // Checked once more as a whole: nothing half-checked is sent.
    const submission = toSubmission(
      {
        clusterKey: clusterKey(values.cluster),
        queueId: values.queue?.queueId,
        runUser: values.runUser.username,
        name: values.name,
        cores: values.cores,
        memLimitMb: values.memLimitMb,
        timeLimitMinutes: values.timeLimitMinutes,
        ...redirects,
        run: current ? { kind: 'script', text: current.text } : { kind: 'command', command: values.command ?? initial.command ?? '' },
      },
      target,
    );
    const { message, detail } = submitConfirmation(
      { account: services.accounts.several ? values.cluster.account : undefined, clusterName: values.cluster.name, queueName: values.queue?.name },
      submission,
      current && target ? { fileName: vscode.workspace.asRelativePath(current.uri), target, text: current.text, changedSinceForm: current.text !== script?.text } : undefined,
    );
    const answer = await services.prompts.confirmSubmit(message, detail, vscode.l10n.t('Submit'));
    if (answer === 'edit') {
      return edit();
    }
    if (answer !== 'submit') {
      // Cancelled: the next Submit of this script offers these answers back.
      if (script) {
        await keepDraft(services, script, answersOf(values, initial), start.sbatch);
      }
      return undefined;
    }
    // Edited while the question was open: asked again about the script as it is now.
    const after = current ? await current.reread() : undefined;
    if (after === null) {
      return undefined;
    }
    if (after && current && after.text !== current.text) {
      shown = after;
      continue;
    }
    if (script) {
      await keep(services, DRAFTS, script.uri.toString(), undefined);
    }
    const result = await send(services, session, values.cluster, { submission, script: current && target ? { text: current.text, target } : undefined, resubmits: start.resubmits, known }, edit);
    if (script && result.outcome.kind === 'submitted') {
      await keep(services, SCRIPTS_OF_JOBS, result.outcome.job.hpcjobUuid, script.uri.toString());
    }
    return result;
  }
}

/**
 * Start and Submit, for a shut-down cluster: asked, started and waited for (progress, cancel);
 * the usual confirmation follows once it is active. False when the user declines or it did not
 * start (the user has been told so).
 */
async function startFirst(services: Services, session: SubmitSession, values: SubmitFormValues): Promise<boolean> {
  const { cluster } = values;
  const start = vscode.l10n.t('Start and Submit');
  const question = vscode.l10n.t('Cluster "{0}" is shut down. Start it, then submit job "{1}"?', cluster.name, values.name);
  const detail = vscode.l10n.t('Starting takes a few minutes, and the cluster is billed while it runs. Once it is active you are asked to confirm the job as usual.');
  if (!(await services.prompts.confirm(question, detail, start))) {
    return false;
  }
  if (!session.client || !session.isCurrent()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('You signed out or changed the key before job "{0}" was submitted: nothing was submitted.', unlinked(values.name)));
    return false;
  }
  if (!(await startForSubmit(services, cluster, { client: session.client, isCurrent: session.isCurrent }))) {
    return false;
  }
  values.cluster = { ...cluster, status: 'active', transitionStatus: undefined };
  return true;
}

/** The form's answers as the first values of a form opened again. */
function answersOf(values: SubmitFormValues, initial: SubmitFormInitial): SubmitFormInitial {
  return {
    clusterKey: clusterKey(values.cluster),
    queueId: values.queue?.queueId,
    runUser: values.runUser.username,
    name: values.name,
    command: values.command ?? initial.command,
    cores: values.cores,
    memLimitMb: values.memLimitMb,
    timeLimitMinutes: values.timeLimitMinutes,
  };
}

/** A script's own output and error paths (#SBATCH -o/-e), read from the text that is sent. */
function sbatchRedirects(text: string): Redirects {
  const { output, error } = parseSbatch(text);
  return { ...(output !== undefined ? { stdoutPath: output } : {}), ...(error !== undefined ? { stderrPath: error } : {}) };
}

/**
 * A client and whether its key is still the account's (see Connection.session); no client
 * for an account that had no key when the form opened.
 */
type SubmitSession = Omit<Session, 'client'> & { client: Session['client'] | undefined };

/** What one send carries: the cluster comes apart. */
type SendRequest = Pick<SubmitRequest, 'submission' | 'script' | 'resubmits' | 'known'>;

/** Upload, submit, one list of the cluster; then reveal and watch. */
async function send(services: Services, session: SubmitSession, cluster: Cluster, request: SendRequest, edit?: () => Thenable<unknown>): Promise<SubmitResult> {
  const { zone, clusterId } = cluster;
  const { client, isCurrent } = session;
  const { submission, script } = request;
  services.log.info(`Submitting job "${submission.name}" to ${clusterId} (${zone}) as ${submission.runUser}${script ? `, script uploaded to ${script.target}` : ''}.`);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: unlinked(vscode.l10n.t('Submitting job "{0}" to {1}...', submission.name, cluster.name)) },
    () => (client ? sendSubmission(client, { ...request, account: cluster.account, zone, clusterId }, isCurrent) : Promise.resolve({ kind: 'signedOut' } as const)),
  );
  switch (outcome.kind) {
    case 'submitted': {
      services.log.info(`Submitted job "${submission.name}" to ${clusterId}: ${outcome.job.hpcjobUuid} (scheduler id ${outcome.job.jobId ?? '?'}).`);
      const job = await showSubmitted(services, cluster, [{ account: cluster.account, zone, clusterId, hpcjobUuid: outcome.job.hpcjobUuid, jobId: outcome.job.jobId, name: submission.name, status: outcome.job.status }]);
      // "Watching" only when it is: a job that has already ended (or is in a state this version does not know) is not.
      void vscode.window.showInformationMessage(submittedText(submission.name, cluster.name, services.watch.isWatched(outcome.job.hpcjobUuid)));
      return { outcome, job: job[0] };
    }
    case 'uploadFailed':
      // Nothing was submitted, so Retry may send it all again.
      services.log.warn(`Uploading the script for "${submission.name}" failed; nothing was submitted: ${userMessage(outcome.error)}`);
      void showError(outcome.error, () => send(services, session, cluster, request), vscode.l10n.t('The script could not be uploaded to {0}, so nothing was submitted.', unlinked(cluster.name)));
      return { outcome };
    case 'refused':
      services.log.warn(`${clusterId} refused job "${submission.name}": ${userMessage(outcome.error)}`);
      void showRefusal(outcome.error, vscode.l10n.t('{0} did not accept job "{1}".', cluster.name, submission.name), () => send(services, session, cluster, request, edit), edit);
      return { outcome };
    case 'signedOut':
      services.log.warn(`The key changed before job "${submission.name}" was submitted; nothing was sent.`);
      void vscode.window.showWarningMessage(vscode.l10n.t('You signed out or changed the key before job "{0}" was submitted: nothing was submitted.', unlinked(submission.name)));
      return { outcome };
    case 'unknown':
      return tellLostAnswer(services, session, cluster, request, outcome, edit);
  }
}

/** After a lost answer: what the cluster lists decides; nothing is sent again unless the user asks. */
async function tellLostAnswer(services: Services, session: SubmitSession, cluster: Cluster, request: SendRequest, outcome: LostAnswer, edit?: () => Thenable<unknown>): Promise<SubmitResult> {
  const { submission } = request;
  const listedBefore = outcome.known.listed;
  services.log.warn(
    `The answer to submitting "${submission.name}" to ${cluster.clusterId} was lost (${userMessage(outcome.error)}); the cluster lists ${outcome.found?.length ?? 'unknown'} matching job(s)${listedBefore ? '' : ', and the jobs of that name could not be listed before the submit'}.`,
  );
  const sentence = unknownOutcomeText(submission.name, cluster.name, outcome.found, listedBefore);
  if (outcome.found && outcome.found.length > 0 && listedBefore) {
    const jobs = await showSubmitted(services, cluster, [...outcome.found]);
    void vscode.window.showWarningMessage(sentence);
    return { outcome, job: jobs[0] };
  }
  const again = vscode.l10n.t('Submit Again');
  const check = vscode.l10n.t('Check Again');
  const show = vscode.l10n.t('Show Jobs');
  // Only possibly this one: shown when asked, never watched as the job submitted.
  const possible = outcome.found !== undefined && outcome.found.length > 0;
  const buttons = possible ? [show, check, again] : outcome.found === undefined ? [check, again] : [again];
  // Sent again only when the user says so: the first one may still appear.
  const choice = await vscode.window.showWarningMessage(sentence, ...buttons);
  if (choice === show && outcome.found) {
    await showSubmitted(services, cluster, [...outcome.found], { watch: false });
    return { outcome };
  }
  if (choice === check && session.client) {
    const checked = await lookUpSubmitted(session.client, { ...request, account: cluster.account, zone: cluster.zone, clusterId: cluster.clusterId }, outcome);
    return tellLostAnswer(services, session, cluster, request, checked, edit);
  }
  if (choice === again) {
    // The script is on the cluster already: only the submit goes again, after a fresh list
    // (the first one may yet appear, and must not be taken for the second).
    return send(services, session, cluster, { ...request, script: undefined, known: undefined }, edit);
  }
  return { outcome };
}

/**
 * A refused job does not exist: the user may send it again as it is (when the refusal may
 * pass, a busy server), or change the answers in the form and confirm again.
 */
async function showRefusal(error: unknown, lead: string, retry: () => Thenable<unknown>, edit: (() => Thenable<unknown>) | undefined): Promise<void> {
  const again = vscode.l10n.t('Retry');
  const change = vscode.l10n.t('Change and Submit...');
  const transient = error instanceof EhpcError && error.transient;
  // The lead names the job and cluster, the reason is the server's: never a link.
  const choice = await vscode.window.showErrorMessage(unlinked(sentences(lead, userMessage(error))), ...(edit ? [change] : []), ...(transient ? [again] : []));
  if (choice === change && edit) {
    await edit();
  } else if (choice === again) {
    await retry();
  }
}

async function remember(services: Services, values: SubmitFormValues): Promise<void> {
  const key = clusterKey(values.cluster);
  const users = services.globalState.get<Record<string, string>>(LAST_RUN_USERS, {});
  await services.globalState.update(LAST_CLUSTER, key);
  await services.globalState.update(LAST_RUN_USERS, { ...users, [key]: values.runUser.username });
}

/** Every cluster, the last one used first. */
async function orderedClusters(services: Services, first: string | undefined): Promise<Cluster[]> {
  const clusters = await allClusters(services);
  const index = clusters.findIndex((cluster) => clusterKey(cluster) === first);
  return index > 0 ? [clusters[index], ...clusters.slice(0, index), ...clusters.slice(index + 1)] : clusters;
}

function jobRef(target: unknown): { account: string; zone: string; clusterId: string; hpcjobUuid: string } | undefined {
  const value = target as { kind?: unknown; job?: Job; account?: unknown; zone?: unknown; clusterId?: unknown; hpcjobUuid?: unknown } | undefined;
  if (value?.kind === 'job' && value.job) {
    return value.job;
  }
  return typeof value?.account === 'string' && typeof value.zone === 'string' && typeof value.clusterId === 'string' && typeof value.hpcjobUuid === 'string'
    ? { account: value.account, zone: value.zone, clusterId: value.clusterId, hpcjobUuid: value.hpcjobUuid }
    : undefined;
}
